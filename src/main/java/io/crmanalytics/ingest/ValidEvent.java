package io.crmanalytics.ingest;

import java.time.Instant;

/**
 * An event that passed validation, ready to insert: envelope plus one value per {@link Column}
 * (String, BigDecimal, Boolean, Integer or Instant; null when absent) and the unknown fields as JSON.
 */
public record ValidEvent(String eventId, EventType type, Instant occurredAt, String source, String currency,
                         Object[] columns, String extraJson) {

    public Object column(Column column) {
        return columns[column.ordinal()];
    }
}
