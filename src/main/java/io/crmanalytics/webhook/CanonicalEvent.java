package io.crmanalytics.webhook;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.Instant;

/** Builds one event of the contract; absent values are left out rather than sent as null. */
final class CanonicalEvent {

    // exact decimals, as the ingest endpoint reads money
    private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);

    private final ObjectNode node = NODES.objectNode();

    private CanonicalEvent(String eventId, String type, Instant occurredAt, Crm source) {
        node.put("eventId", eventId);
        node.put("type", type);
        node.put("occurredAt", occurredAt == null ? null : occurredAt.toString());
        node.put("source", source.pathName);
    }

    static CanonicalEvent of(Crm source, String eventId, String type, Instant occurredAt) {
        return new CanonicalEvent(eventId, type, occurredAt, source);
    }

    CanonicalEvent put(String field, String value) {
        if (value != null && !value.isBlank()) {
            node.put(field, value);
        }
        return this;
    }

    CanonicalEvent put(String field, BigDecimal value) {
        if (value != null) {
            node.put(field, value);
        }
        return this;
    }

    CanonicalEvent put(String field, boolean value) {
        node.put(field, value);
        return this;
    }

    CanonicalEvent put(String field, int value) {
        node.put(field, value);
        return this;
    }

    CanonicalEvent put(String field, Instant value) {
        if (value != null) {
            node.put(field, value.toString());
        }
        return this;
    }

    /** utm {source, medium, campaign}, only when at least one is present. */
    CanonicalEvent utm(String source, String medium, String campaign) {
        var utm = NODES.objectNode();
        for (var pair : new String[][]{{"source", source}, {"medium", medium}, {"campaign", campaign}}) {
            if (pair[1] != null && !pair[1].isBlank()) {
                utm.put(pair[0], pair[1]);
            }
        }
        if (!utm.isEmpty()) {
            node.set("utm", utm);
        }
        return this;
    }

    ObjectNode node() {
        return node;
    }
}
