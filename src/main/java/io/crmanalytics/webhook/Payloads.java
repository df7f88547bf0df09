package io.crmanalytics.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** Reading the loosely typed values CRMs send: numbers as strings, empty strings for absent, several time formats. */
final class Payloads {

    private static final DateTimeFormatter SQL_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private Payloads() {
    }

    /** The field as text; null when absent, null or blank. */
    static String text(JsonNode node, String field) {
        if (node == null) {
            return null;
        }
        JsonNode value = node.get(field);
        if (value == null || value.isNull() || value.isContainerNode()) {
            return null;
        }
        String text = value.asText();
        return text.isBlank() ? null : text;
    }

    static String required(JsonNode node, String field, String where) {
        String value = text(node, field);
        if (value == null) {
            throw new Unmappable(where + ": '" + field + "' is missing");
        }
        return value;
    }

    /** A money amount; null when absent. */
    static BigDecimal money(JsonNode node, String field, String where) {
        String value = text(node, field);
        if (value == null) {
            return null;
        }
        try {
            return new BigDecimal(value);
        } catch (NumberFormatException e) {
            throw new Unmappable(where + ": '" + field + "' is not a number: " + value);
        }
    }

    /** Unix seconds as sent by amoCRM and Bitrix24. */
    static Instant epochSeconds(String value, String where) {
        try {
            return Instant.ofEpochSecond(Long.parseLong(value.trim()));
        } catch (NumberFormatException e) {
            throw new Unmappable(where + ": not a Unix time in seconds: " + value);
        }
    }

    static Instant epochMillis(String value, String where) {
        try {
            return Instant.ofEpochMilli(Long.parseLong(value.trim()));
        } catch (NumberFormatException e) {
            throw new Unmappable(where + ": not a Unix time in milliseconds: " + value);
        }
    }

    /** Pipedrive's times: ISO-8601 in webhooks v2, "yyyy-MM-dd HH:mm:ss" in UTC in v1. */
    static Instant pipedriveTime(String value, String where) {
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException iso) {
            try {
                return LocalDateTime.parse(value, SQL_TIME).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException sql) {
                throw new Unmappable(where + ": not a time: " + value);
            }
        }
    }
}
