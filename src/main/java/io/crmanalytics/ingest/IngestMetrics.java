package io.crmanalytics.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;

/** crm.events.ingested{type, outcome}: accepted, duplicate or rejected events. */
final class IngestMetrics {

    private static final String NAME = "crm.events.ingested";

    private final Map<EventType, Counter> accepted = new EnumMap<>(EventType.class);
    private final Map<EventType, Counter> duplicates = new EnumMap<>(EventType.class);
    private final Map<EventType, Counter> rejected = new EnumMap<>(EventType.class);
    private final Counter rejectedUnknownType;

    IngestMetrics(MeterRegistry registry) {
        for (var type : EventType.values()) {
            accepted.put(type, counter(registry, type.wireName, "accepted"));
            duplicates.put(type, counter(registry, type.wireName, "duplicate"));
            rejected.put(type, counter(registry, type.wireName, "rejected"));
        }
        rejectedUnknownType = counter(registry, "unknown", "rejected");
    }

    private static Counter counter(MeterRegistry registry, String type, String outcome) {
        return Counter.builder(NAME).description("Events received, by type and outcome")
                .tag("type", type).tag("outcome", outcome).register(registry);
    }

    void accepted(EventType type) {
        accepted.get(type).increment();
    }

    void duplicate(EventType type) {
        duplicates.get(type).increment();
    }

    void rejected(JsonNode node) {
        var typeNode = node == null ? null : node.get("type");
        var type = typeNode == null ? null : EventType.of(typeNode.asText()).orElse(null);
        (type == null ? rejectedUnknownType : rejected.get(type)).increment();
    }
}
