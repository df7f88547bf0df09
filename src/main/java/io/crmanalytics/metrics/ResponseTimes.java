package io.crmanalytics.metrics;

/**
 * Exact percentiles of minutes to first response, read at their ranks ({@link Ranks}). Most answered
 * leads are settled: no deal of theirs is created at or after :to, so their derived first response
 * (lead_facts) holds as of :to, and indexes keep those in order of response time (V27: all leads, and
 * per manager). The others (answered leads with a deal created at or after :to) get their first
 * response as of :to from {@link Facts#FIRST_RESPONSES}.
 */
public final class ResponseTimes {

    private ResponseTimes() {
    }

    private static final String CHANNEL = Facts.mappedChannel("l.channel", "l.utm_source", "l.tracking_number");

    /**
     * The settled answered leads of the window in lead_facts {@code l}, narrowed by %1$s and by the
     * channel filter (the lead's channel %2$s as Facts.LEADS gives it).
     */
    private static final String SETTLED = """
            l.workspace_id = :ws and l.first_response_at is not null
              and l.created_at >= :from and l.created_at < :to and l.first_response_at < :to
              and (l.last_deal_at is null or l.last_deal_at < :to) and %1$s
              and (cardinality(:channels) = 0 or %2$s = any(:channels))""";

    /** Those of {@link #SETTLED} (%1$s) in the order of the V27 indexes, from rank %3$s, %4$s of them. */
    private static final String WALK = """
            select extract(epoch from l.first_response_at - l.created_at)::float8 / 60 as v
            from lead_facts l
            where %1$s
            order by 1 %2$s
            offset %3$s limit %4$s""";

    private static final String OTHER_MINUTES = "extract(epoch from r.first_at - r.created_at)::float8 / 60";

    /**
     * Aggregates over {@link Facts#FIRST_RESPONSES} rows {@code r} for a one-pass {@code response_groups}:
     * the settled answered leads, to be walked, and the minutes of the other answered ones.
     */
    public static final String GROUP_FIGURES = """
            count(*) filter (where r.first_at is not null and (r.last_deal_at is null or r.last_deal_at < :to))
              as in_index,
            coalesce(array_agg(%s) filter (where r.first_at is not null and r.last_deal_at >= :to), '{}')
              as others""".formatted(OTHER_MINUTES);

    /**
     * Needs {@link Facts#MAPPING_ARRAYS} and {@code response_groups(grp, in_index, others)} of the
     * window's answered leads narrowed by the report's filters ({@link #groups} or
     * {@link #GROUP_FIGURES}); gives {@code response_percentiles(grp, median, p90)} for the groups with
     * an answered lead (p90 null unless asked for). {@code group}: the lead_facts column of grp, or null
     * for one group; {@code condition}: the report's filters but the channel in terms of lead_facts
     * {@code l}.
     */
    public static String percentiles(String group, String condition, boolean p90) {
        String walkCondition = SETTLED.formatted(condition, CHANNEL)
                + (group == null ? "" : " and l." + group + " = g.grp");
        return Ranks.percentiles("response", WALK.formatted(walkCondition, "%1$s", "%2$s", "%3$s"), p90);
    }

    /**
     * {@code response_groups(grp, in_index, others)} per value of the lead_facts column {@code group}:
     * the settled answered leads, counted from lead_facts with {@code condition} as for
     * {@link #percentiles}, and the minutes of the other answered ones, from {@code responses}.
     */
    public static String groups(String group, String condition) {
        return """
                response_groups as (
                  select coalesce(c.grp, o.grp) as grp, coalesce(c.in_index, 0) as in_index,
                         coalesce(o.others, '{}') as others
                  from (select l.%1$s as grp, count(*) as in_index from lead_facts l where %2$s group by 1) c
                  full join (select r.%1$s as grp, array_agg(%3$s) as others
                             from responses r where r.first_at is not null and r.last_deal_at >= :to
                             group by 1) o on o.grp = c.grp)"""
                .formatted(group, SETTLED.formatted(condition, CHANNEL), OTHER_MINUTES);
    }
}
