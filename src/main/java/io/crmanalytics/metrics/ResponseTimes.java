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
     * {@code response_groups(grp, in_index, others)} per value of the column {@code group} of lead_facts
     * and the daily lead rollups (manager_id; leads without one left out): the settled answered leads, counted from the daily
     * rollup for the window's whole clean UTC days (less those whose state changed at or after :to, as
     * {@code KpiQuery} does) and from lead_facts for the rest, and the minutes of the other answered ones,
     * from {@code responses}. Needs {@link Rollups#WINDOW}.
     */
    public static String groups(String group) {
        String condition = "l.%s is not null".formatted(group);
        String settled = SETTLED.formatted(condition, CHANNEL);
        String unsettledDays = """
                greatest(l.status_at, l.first_response_at, l.last_deal_at) >= :to
                  and l.created_at >= :dayFrom and l.created_at < :dayTo
                  and date_trunc('day', l.created_at, 'UTC') not in (select day from dirty_days)""";
        return """
                response_groups as (
                  select coalesce(c.grp, o.grp) as grp, coalesce(c.in_index, 0) as in_index,
                         coalesce(o.others, '{}') as others
                  from (select grp, sum(n)::bigint as in_index
                        from (select r.%1$s as grp, r.leads as n
                              from %9$s r
                              %2$s
                              where %3$s and r.answered and r.%1$s is not null
                                and (cardinality(:channels) = 0
                                     or coalesce(r.channel, mu.channel, mt.channel, 'unknown') = any(:channels))
                              union all
                              select l.%1$s, -1 from lead_facts l
                              where l.workspace_id = :ws and l.first_response_at is not null and %4$s and %5$s
                                and (cardinality(:channels) = 0 or %6$s = any(:channels))
                              union all
                              select l.%1$s, 1 from lead_facts l where %7$s and %4$s
                              union all
                              select l.%1$s, 1 from fact_ranges f
                              join lead_facts l on l.workspace_id = :ws and l.created_at >= f.lo and l.created_at < f.hi
                              where %7$s) x
                        group by grp) c
                  full join (select r.%1$s as grp, array_agg(%8$s) as others
                             from responses r where r.first_at is not null and r.last_deal_at >= :to
                             group by 1) o on o.grp = c.grp)"""
                .formatted(group, Facts.keyMappings("r"), Rollups.cleanDays("r"), unsettledDays, condition, CHANNEL,
                        settled, OTHER_MINUTES, Facts.MANAGER_LEAD_ROLLUP);
    }
}
