package io.crmanalytics.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** What one delivery became: the events to ingest, and notes on the parts that gave none. */
final class Mapping {

    private final List<JsonNode> events = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private boolean needsEnrichment;

    void add(CanonicalEvent event) {
        events.add(event.node());
    }

    /** A part of the payload we do not use (another entity type, a field edit we do not track). */
    void ignore(String what) {
        notes.add("ignored: " + what);
    }

    /** A part that carries only ids: kept raw until the CRM's REST API is asked for the rest. */
    void needsEnrichment(String what) {
        needsEnrichment = true;
        notes.add("needs enrichment: " + what);
    }

    List<JsonNode> events() {
        return events;
    }

    List<String> notes() {
        return notes;
    }

    /** needs_enrichment wins over mapped so that such deliveries can be found again for enrichment. */
    DeliveryStatus status() {
        if (needsEnrichment) {
            return DeliveryStatus.NEEDS_ENRICHMENT;
        }
        return events.isEmpty() ? DeliveryStatus.IGNORED : DeliveryStatus.MAPPED;
    }
}
