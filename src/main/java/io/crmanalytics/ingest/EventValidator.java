package io.crmanalytics.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Checks one event object against the contract; every problem is reported as "field: problem". */
public final class EventValidator {

    static final int MAX_ID_LENGTH = 128;
    static final int MAX_TEXT_LENGTH = 500;
    private static final BigDecimal MONEY_LIMIT = new BigDecimal("1e13");
    private static final Set<String> ENVELOPE = Set.of("eventId", "type", "occurredAt", "source", "currency");

    /** Either an event or the reasons it was refused. */
    public record Result(ValidEvent event, String eventId, List<String> errors) {
    }

    private EventValidator() {
    }

    public static Result validate(JsonNode node) {
        if (!(node instanceof ObjectNode object)) {
            return new Result(null, null, List.of("event: must be a JSON object"));
        }
        var errors = new ArrayList<String>();
        String eventId = id(object, "eventId", true, errors);
        EventType type = null;
        JsonNode typeNode = object.get("type");
        if (absent(typeNode)) {
            errors.add("type: is required");
        } else if (!typeNode.isTextual() || EventType.of(typeNode.asText()).isEmpty()) {
            errors.add("type: must be one of " + EventType.wireNames());
        } else {
            type = EventType.of(typeNode.asText()).get();
        }
        Instant occurredAt = instant(object, "occurredAt", true, errors);
        String source = text(object, "source", errors);
        String currency = null;
        JsonNode currencyNode = object.get("currency");
        if (!absent(currencyNode)) {
            if (currencyNode.isTextual() && currencyNode.asText().matches("[A-Z]{3}")) {
                currency = currencyNode.asText();
            } else {
                errors.add("currency: must be an ISO 4217 code such as USD");
            }
        }
        Object[] columns = new Object[Column.values().length];
        ObjectNode extra = null;
        if (type != null) {
            for (var field : type.fields) {
                Object value = value(object, field, errors, columns);
                if (field.column() != null) {
                    columns[field.column().ordinal()] = value;
                }
            }
            var known = type.fields.stream().map(EventType.Field::name).toList();
            for (var it = object.fieldNames(); it.hasNext(); ) {
                String name = it.next();
                if (!ENVELOPE.contains(name) && !known.contains(name)) {
                    if (extra == null) {
                        extra = object.objectNode();
                    }
                    extra.set(name, object.get(name));
                }
            }
        }
        if (!errors.isEmpty()) {
            return new Result(null, eventId, errors);
        }
        return new Result(new ValidEvent(eventId, type, occurredAt, source, currency, columns,
                extra == null ? null : extra.toString()), eventId, List.of());
    }

    private static Object value(ObjectNode object, EventType.Field field, List<String> errors, Object[] columns) {
        String name = field.name();
        return switch (field.kind()) {
            case ID -> id(object, name, field.required(), errors);
            case TEXT -> text(object, name, errors);
            case MONEY -> money(object, name, field.required(), errors);
            case INSTANT -> instant(object, name, field.required(), errors);
            case BOOLEAN -> bool(object, name, field.required(), errors);
            case COUNT -> integer(object, name, field.required(), 0, Integer.MAX_VALUE, errors);
            case RATING -> integer(object, name, field.required(), 1, 5, errors);
            case DIRECTION -> oneOf(object, name, field.required(), Set.of("in", "out"), errors);
            case MEDIUM -> oneOf(object, name, field.required(), Set.of("email", "sms", "messenger"), errors);
            case UTM -> {
                utm(object, name, errors, columns);
                yield null;
            }
        };
    }

    private static boolean absent(JsonNode node) {
        return node == null || node.isNull();
    }

    private static boolean missing(JsonNode node, String name, boolean required, List<String> errors) {
        if (absent(node)) {
            if (required) {
                errors.add(name + ": is required");
            }
            return true;
        }
        return false;
    }

    private static String id(ObjectNode object, String name, boolean required, List<String> errors) {
        JsonNode node = object.get(name);
        if (missing(node, name, required, errors)) {
            return null;
        }
        if (!node.isTextual() || node.asText().isEmpty()) {
            errors.add(name + ": must be a non-empty string");
            return null;
        }
        if (node.asText().length() > MAX_ID_LENGTH) {
            errors.add(name + ": must be at most " + MAX_ID_LENGTH + " characters");
            return null;
        }
        return node.asText();
    }

    private static String text(ObjectNode object, String name, List<String> errors) {
        JsonNode node = object.get(name);
        if (absent(node)) {
            return null;
        }
        if (!node.isTextual()) {
            errors.add(name + ": must be a string");
            return null;
        }
        if (node.asText().length() > MAX_TEXT_LENGTH) {
            errors.add(name + ": must be at most " + MAX_TEXT_LENGTH + " characters");
            return null;
        }
        return node.asText().isBlank() ? null : node.asText();
    }

    private static BigDecimal money(ObjectNode object, String name, boolean required, List<String> errors) {
        JsonNode node = object.get(name);
        if (missing(node, name, required, errors)) {
            return null;
        }
        if (!node.isNumber()) {
            errors.add(name + ": must be a number");
            return null;
        }
        BigDecimal value = node.decimalValue();
        if (value.signum() < 0 || value.compareTo(MONEY_LIMIT) >= 0) {
            errors.add(name + ": must be at least 0 and below 10^13");
            return null;
        }
        if (value.stripTrailingZeros().scale() > 2) {
            errors.add(name + ": must have at most 2 decimals");
            return null;
        }
        return value;
    }

    private static Instant instant(ObjectNode object, String name, boolean required, List<String> errors) {
        JsonNode node = object.get(name);
        if (missing(node, name, required, errors)) {
            return null;
        }
        if (node.isTextual()) {
            try {
                return OffsetDateTime.parse(node.asText(), DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
            } catch (DateTimeParseException e) {
                // reported below
            }
        }
        errors.add(name + ": must be an ISO-8601 instant with offset, e.g. 2026-01-31T22:30:00Z");
        return null;
    }

    private static Boolean bool(ObjectNode object, String name, boolean required, List<String> errors) {
        JsonNode node = object.get(name);
        if (missing(node, name, required, errors)) {
            return null;
        }
        if (!node.isBoolean()) {
            errors.add(name + ": must be true or false");
            return null;
        }
        return node.booleanValue();
    }

    private static Integer integer(ObjectNode object, String name, boolean required, int min, int max,
                                   List<String> errors) {
        JsonNode node = object.get(name);
        if (missing(node, name, required, errors)) {
            return null;
        }
        boolean integral = node.isIntegralNumber()
                || node.isNumber() && node.decimalValue().stripTrailingZeros().scale() <= 0;
        if (!integral || node.decimalValue().compareTo(BigDecimal.valueOf(min)) < 0
                || node.decimalValue().compareTo(BigDecimal.valueOf(max)) > 0) {
            errors.add(name + (max == Integer.MAX_VALUE ? ": must be a non-negative integer"
                    : ": must be an integer from " + min + " to " + max));
            return null;
        }
        return node.decimalValue().intValueExact();
    }

    private static String oneOf(ObjectNode object, String name, boolean required, Set<String> allowed,
                                List<String> errors) {
        JsonNode node = object.get(name);
        if (missing(node, name, required, errors)) {
            return null;
        }
        if (!node.isTextual() || !allowed.contains(node.asText())) {
            errors.add(name + ": must be one of " + String.join(", ", allowed.stream().sorted().toList()));
            return null;
        }
        return node.asText();
    }

    private static void utm(ObjectNode object, String name, List<String> errors, Object[] columns) {
        JsonNode node = object.get(name);
        if (absent(node)) {
            return;
        }
        if (!(node instanceof ObjectNode utm)) {
            errors.add(name + ": must be an object with source, medium, campaign");
            return;
        }
        columns[Column.UTM_SOURCE.ordinal()] = text(utm, "source", errors, name);
        columns[Column.UTM_MEDIUM.ordinal()] = text(utm, "medium", errors, name);
        columns[Column.UTM_CAMPAIGN.ordinal()] = text(utm, "campaign", errors, name);
    }

    private static String text(ObjectNode utm, String key, List<String> errors, String parent) {
        var nested = new ArrayList<String>();
        String value = text(utm, key, nested);
        nested.forEach(e -> errors.add(parent + "." + e));
        return value;
    }
}
