package io.crmanalytics.metrics;

/** A deal's completed days in a stage (deal_stages), as /funnel's stage medians read them (V49). */
public final class StageDays {

    private StageDays() {
    }

    /** The V49 bucket edges, for {@link Ranks}. */
    public static final String EDGES = "stage_day_edges()";

    /** The days of deal_stages row {@code alias}: the value of the V49 index. */
    public static String days(String alias) {
        return alias + ".completed_seconds / 86400";
    }

    /** The V49 bucket of those days. */
    public static String bucket(String alias) {
        return "width_bucket(%s, %s)".formatted(days(alias), EDGES);
    }
}
