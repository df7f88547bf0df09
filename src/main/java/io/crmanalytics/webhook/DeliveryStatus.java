package io.crmanalytics.webhook;

import java.util.Locale;

/** Where a stored delivery stands; the lower-case name is the database value, API value and metric outcome. */
public enum DeliveryStatus {
    /** stored, not yet mapped (a crash between storing and mapping leaves it here; it can be replayed) */
    RECEIVED,
    /** its events were ingested */
    MAPPED,
    /** acknowledged, nothing in it we use */
    IGNORED,
    /** its events (if any) were ingested; part of it carries only ids and needs the CRM's API */
    NEEDS_ENRICHMENT,
    /** could not be mapped or its events were refused; listed for admins and replayable */
    DEAD_LETTER;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static DeliveryStatus of(String wireName) {
        return valueOf(wireName.toUpperCase(Locale.ROOT));
    }
}
