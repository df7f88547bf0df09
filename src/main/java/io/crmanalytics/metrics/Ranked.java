package io.crmanalytics.metrics;

/**
 * A value whose exact percentiles {@link Ranks} reads at their ranks: its SQL over a row {@code %1$s}
 * (what its index is in order of) and the SQL function giving its bucket edges, by which a rollup counts
 * the rows so that a walk starts near its rank.
 */
public record Ranked(String value, String edges) {

    /** Minutes from a lead_facts row's creation to its first response (V27 indexes, V46 buckets). */
    public static final Ranked RESPONSE_MINUTES = new Ranked(
            "extract(epoch from %1$s.first_response_at - %1$s.created_at)::float8 / 60", "response_minute_edges()");

    /** A deal_stages row's completed days in its stage (V49 index and buckets). */
    public static final Ranked STAGE_DAYS = new Ranked("%1$s.completed_seconds / 86400", "stage_day_edges()");

    /** Hours from a ticket_facts row's opening to its resolution (V37 indexes, V51 buckets). */
    public static final Ranked RESOLUTION_HOURS = new Ranked(
            "extract(epoch from %1$s.resolved_at - %1$s.opened_at)::float8 / 3600", "resolution_hour_edges()");

    /** The value of row {@code alias}. */
    public String of(String alias) {
        return value.formatted(alias);
    }

    /** Its bucket: {@code width_bucket(value, edges)}. */
    public String bucket(String alias) {
        return "width_bucket(%s, %s)".formatted(of(alias), edges);
    }
}
