package io.crmanalytics.metrics;

/** A ticket's hours from opening to resolution (ticket_facts), as /service's medians read them (V37, V51). */
public final class ResolutionHours {

    private ResolutionHours() {
    }

    /** The V51 bucket edges, for {@link Ranks}. */
    public static final String EDGES = "resolution_hour_edges()";

    /** The hours of ticket_facts row {@code alias}: the value of the V37 indexes. */
    public static String hours(String alias) {
        return "extract(epoch from %1$s.resolved_at - %1$s.opened_at)::float8 / 3600".formatted(alias);
    }

    /** The V51 bucket of those hours. */
    public static String bucket(String alias) {
        return "width_bucket(%s, %s)".formatted(hours(alias), EDGES);
    }
}
