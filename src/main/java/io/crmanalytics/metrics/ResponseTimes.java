package io.crmanalytics.metrics;

/**
 * Exact percentiles of minutes to first response without sorting every response time of the window.
 *
 * <p>Most answered leads are settled: no deal of theirs is created at or after :to, so their derived
 * first response (lead_facts) holds as of :to, and indexes keep those in order of response time (V27:
 * all leads, and per manager). Only the values at the wanted ranks are read, walking an index up for
 * the median and down for p90, merged with the few others (answered leads with a deal created at or
 * after :to, whose first response {@link Facts#FIRST_RESPONSES} works out from the events). With B
 * the others, the value at rank k of the union is at rank k - skip of (index ranks skip..k, B), skip =
 * max(0, k - |B|): at least k + 1 - |B| of the k + 1 smallest values are from the index. PostgreSQL's
 * arithmetic is kept: percentile_cont(0.5) interpolates the ranks floor and ceil of 0.5 (n - 1);
 * percentile_disc(0.9) takes rank ceil(0.9 n), from 1.
 */
public final class ResponseTimes {

    private ResponseTimes() {
    }

    /**
     * The channel mappings as arrays, so an index walk can give a lead its channel without a join; needed
     * by {@link #groups} and {@link #percentiles}, before them.
     */
    public static final String MAPPING_ARRAYS = """
            mapping_arrays as (
              select array_agg(key order by key) filter (where kind = 'utm_source') as utm_keys,
                     array_agg(channel order by key) filter (where kind = 'utm_source') as utm_channels,
                     array_agg(key order by key) filter (where kind = 'tracking_number') as tracking_keys,
                     array_agg(channel order by key) filter (where kind = 'tracking_number') as tracking_channels
              from channel_mappings where workspace_id = :ws)""";

    /**
     * The settled answered leads of the window in lead_facts {@code l}, narrowed by %1$s; their minutes
     * to first response are in the order of the V27 indexes.
     */
    private static final String SETTLED = """
            l.workspace_id = :ws and l.first_response_at is not null
              and l.created_at >= :from and l.created_at < :to and l.first_response_at < :to
              and (l.last_deal_at is null or l.last_deal_at < :to) and %1$s
              -- a lead's channel as Facts.LEADS gives it
              and (cardinality(:channels) = 0
                   or coalesce(l.channel, (select m.utm_channels[array_position(m.utm_keys, lower(l.utm_source))]
                                           from mapping_arrays m),
                               (select m.tracking_channels[array_position(m.tracking_keys, l.tracking_number)]
                                from mapping_arrays m), 'unknown') = any(:channels))""";

    /** Those of {@link #SETTLED} (%1$s), from rank %3$s, %4$s of them, in order %2$s. */
    private static final String WALK = """
            select extract(epoch from l.first_response_at - l.created_at)::float8 / 60 as minutes
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
     * Needs {@code response_groups(grp, in_index, others)} of the window's answered leads, narrowed by
     * the report's filters ({@link #groups} or {@link #GROUP_FIGURES}); gives
     * {@code response_percentiles(grp, median, p90)} for the groups with an answered lead (p90 null
     * unless asked for). {@code group}: the lead_facts column of grp, or null for one group;
     * {@code condition}: the report's filters in terms of lead_facts {@code l}, but for the channel,
     * which is applied here.
     */
    public static String percentiles(String group, String condition, boolean p90) {
        String walkCondition = SETTLED.formatted(condition) + (group == null ? "" : " and l." + group + " = g.grp");
        String median = WALK.formatted(walkCondition, "", "g.low_skip", "g.high - g.low_skip + 1");
        String top = WALK.formatted(walkCondition, "desc", "g.top_skip", "g.top - g.top_skip + 1");
        return """
                -- low, high: the median's ranks; top: p90's rank counted from the top; all from 0
                response_ranks as (
                  select r.*, greatest(0, r.low - cardinality(r.others)) as low_skip,
                         greatest(0, r.top - cardinality(r.others)) as top_skip
                  from (select g.grp, g.others, g.n, 0.5::float8 * (g.n - 1) as position,
                               floor(0.5::float8 * (g.n - 1))::bigint as low, ceil(0.5::float8 * (g.n - 1))::bigint as high,
                               g.n - ceil(0.9::float8 * g.n)::bigint as top
                        from (select grp, others, in_index + cardinality(others) as n from response_groups) g
                        where g.n > 0) r),
                response_values as materialized (
                  select g.grp, g.position, g.low, g.high,
                         array(select minutes from (select minutes from (%1$s) w union all select unnest(g.others)) u
                               order by minutes offset g.low - g.low_skip limit 2) as middle,
                         %2$s as p90
                  from response_ranks g),
                response_percentiles as (
                  select grp, middle[1] + (case when high > low then middle[2] else middle[1] end - middle[1])
                                          * (position - low) as median, p90
                  from response_values)""".formatted(median, p90 ? """
                (select minutes from (select minutes from (%s) w union all select unnest(g.others)) u
                          order by minutes desc offset g.top - g.top_skip limit 1)""".formatted(top) : "null::float8");
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
                             group by 1) o on o.grp = c.grp)""".formatted(group, SETTLED.formatted(condition), OTHER_MINUTES);
    }
}
