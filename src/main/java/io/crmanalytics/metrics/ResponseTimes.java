package io.crmanalytics.metrics;

/**
 * Exact percentiles of minutes to first response, read at their ranks ({@link Ranks}). Most answered
 * leads are settled: no deal of theirs is created at or after :to, so their derived first response
 * (lead_facts) holds as of :to, and indexes keep those in order of response time (V27: all leads, and
 * per manager). The others (answered leads with a deal created at or after :to) get their first
 * response as of :to from {@link Facts#FIRST_RESPONSES}. Unless narrowed by channel, the settled ones
 * are also counted per bucket of response minutes (V46), so that a walk starts near its rank.
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
            select %6$s as v
            from lead_facts l
            where %1$s and %6$s %5$s
            order by 1 %2$s
            offset %3$s limit %4$s""";

    /**
     * The V46 rollup rows of the window's clean days ({@link Rollups#clean}), per manager only when the
     * report is narrowed by manager (manager_id null otherwise).
     */
    public static final String ROLLUP = """
            (select r.workspace_id, r.day, null::text as manager_id, r.bucket, r.leads
             from %s r where cardinality(:managers) = 0
             union all
             select r.workspace_id, r.day, r.manager_id, r.bucket, r.leads
             from %s r where cardinality(:managers) > 0)""".formatted(Rollups.clean("response_buckets"),
            Rollups.clean("manager_response_buckets"));

    /** The minutes of a {@link Facts#FIRST_RESPONSES} row {@code r}, as {@link Ranked#RESPONSE_MINUTES} of a lead. */
    private static final String OTHER_MINUTES = "extract(epoch from r.first_at - r.created_at)::float8 / 60";

    /**
     * Aggregates over {@link Facts#FIRST_RESPONSES} rows {@code r} for a one-pass {@code response_sets}:
     * the settled answered leads, to be walked, their buckets, and the minutes of the other answered ones.
     */
    public static final String GROUP_FIGURES = """
            count(*) filter (where r.first_at is not null and (r.last_deal_at is null or r.last_deal_at < :to))
              as in_index,
            coalesce(array_agg(width_bucket(%1$s, %2$s))
                       filter (where r.first_at is not null and (r.last_deal_at is null or r.last_deal_at < :to)),
                     '{}') as in_index_buckets,
            coalesce(array_agg(%1$s) filter (where r.first_at is not null and r.last_deal_at >= :to), '{}')
              as others""".formatted(OTHER_MINUTES, Ranked.RESPONSE_MINUTES.edges());

    /**
     * Needs {@link Facts#MAPPING_ARRAYS}, {@code response_sets(grp, in_index, others)} of the window's
     * answered leads narrowed by the report's filters and {@code response_bucket_rows(grp, bucket, n)}:
     * the settled ones (in_index) per bucket, one row each, used when the report is not narrowed by
     * channel ({@link Ranks#percentiles}). {@link #MANAGER_GROUPS} or {@link #GROUP_FIGURES} give both. Gives
     * {@code response_percentiles(grp, median, p90)} for the groups with an answered lead (p90 null
     * unless asked for). {@code group}: the lead_facts column of grp, or null for one group;
     * {@code condition}: the report's filters but the channel in terms of lead_facts {@code l}.
     */
    public static String percentiles(String group, String condition, boolean p90) {
        String walkCondition = SETTLED.formatted(condition, CHANNEL)
                + (group == null ? "" : " and l." + group + " = g.grp");
        return Ranks.percentiles("response", "grp", "cardinality(:channels) = 0",
                WALK.formatted(walkCondition, "%1$s", "%2$s", "%3$s", "%4$s", Ranked.RESPONSE_MINUTES.of("l")), p90,
                Ranked.RESPONSE_MINUTES.edges());
    }

    /**
     * {@code response_sets(grp, in_index, others)} and {@code response_bucket_rows} per manager of
     * lead_facts and the daily rollups (leads without one left out): the settled answered leads, counted
     * from the daily rollups for the window's whole clean UTC days (less those whose state changed at or
     * after :to, as {@code KpiQuery} does) and from lead_facts for the rest, and the minutes of the other
     * answered ones, from {@code responses}. Needs {@link Rollups#WINDOW}.
     */
    public static final String MANAGER_GROUPS;

    static {
        String condition = "l.manager_id is not null";
        String settled = SETTLED.formatted(condition, CHANNEL);
        String unsettledDays = """
                greatest(l.status_at, l.first_response_at, l.last_deal_at) >= :to
                  and l.created_at >= :dayFrom and l.created_at < :dayTo
                  and date_trunc('day', l.created_at, 'UTC') not in (select day from dirty_days)""";
        MANAGER_GROUPS = """
                response_bucket_rows as (
                  select grp, bucket, sum(n)::bigint as n
                  from (select r.manager_id as grp, r.leads as n, r.bucket
                        from %2$s r
                        where cardinality(:channels) = 0
                        union all
                        select r.manager_id, r.leads, null
                        from %9$s r
                        %1$s
                        where r.answered and r.manager_id is not null and cardinality(:channels) > 0
                          and coalesce(r.channel, mu.channel, mt.channel, 'unknown') = any(:channels)
                        union all
                        select l.manager_id, -1, %8$s from lead_facts l
                        where l.workspace_id = :ws and l.first_response_at is not null and %3$s and %4$s
                          and (cardinality(:channels) = 0 or %5$s = any(:channels))
                        union all
                        select l.manager_id, 1, %8$s from lead_facts l where %6$s and %3$s
                        union all
                        select l.manager_id, 1, %8$s from fact_ranges f
                        join lead_facts l on l.workspace_id = :ws and l.created_at >= f.lo and l.created_at < f.hi
                        where %6$s) x
                  group by grp, bucket),
                response_sets as (
                  select coalesce(c.grp, o.grp) as grp, coalesce(c.in_index, 0) as in_index,
                         coalesce(o.others, '{}') as others
                  from (select grp, sum(n)::bigint as in_index from response_bucket_rows group by grp) c
                  full join (select r.manager_id as grp, array_agg(%7$s) as others
                             from responses r where r.first_at is not null and r.last_deal_at >= :to
                             group by 1) o on o.grp = c.grp)"""
                .formatted(Facts.keyMappings("r"), Rollups.clean("manager_response_buckets"), unsettledDays,
                        condition, CHANNEL, settled, OTHER_MINUTES, Ranked.RESPONSE_MINUTES.bucket("l"), Rollups.clean("leads"));
    }
}
