package io.crmanalytics.metrics;

/**
 * Exact percentiles of a large set read at their ranks from an index instead of sorting the set.
 *
 * <p>The set is A ∪ B: A, most of it, is read in order from an index ({@code walk}); B, a few values
 * the index cannot give (those worked out as of :to from the events), comes as an array. With skip =
 * max(0, k - |B|), the value at rank k of A ∪ B is at rank k - skip of (A's ranks skip..k, B): at least
 * k + 1 - |B| of the k + 1 smallest values of the union are from A. PostgreSQL's arithmetic is kept:
 * percentile_cont(0.5) interpolates the ranks floor and ceil of 0.5 (n - 1), from 0; percentile_disc(0.9)
 * takes rank ceil(0.9 n), from 1 (walking down from the top).
 */
public final class Ranks {

    private Ranks() {
    }

    /**
     * Needs {@code NAME_groups} with a row per group: its key columns, {@code in_index} (|A|) and
     * {@code others} (B, float8[]). Gives {@code NAME_percentiles}: the key columns with {@code median}
     * and {@code p90} (null unless asked for), for the groups with a value. {@code walk} selects a
     * group's A in order ({@code g} is the group's row): a format with the direction (%1$s, "" or
     * "desc"), the rank to start at (%2$s) and how many (%3$s).
     */
    public static String percentiles(String name, String walk, boolean p90) {
        String median = walk.formatted("", "g.low_skip", "g.high - g.low_skip + 1");
        String top = walk.formatted("desc", "g.top_skip", "g.top - g.top_skip + 1");
        return """
                -- low, high: the median's ranks; top: p90's rank counted from the top; all from 0
                NAME_ranks as (
                  select r.*, greatest(0, r.low - cardinality(r.others)) as low_skip,
                         greatest(0, r.top - cardinality(r.others)) as top_skip
                  from (select g.*, 0.5::float8 * (g.n - 1) as position,
                               floor(0.5::float8 * (g.n - 1))::bigint as low, ceil(0.5::float8 * (g.n - 1))::bigint as high,
                               g.n - ceil(0.9::float8 * g.n)::bigint as top
                        from (select g.*, g.in_index + cardinality(g.others) as n from NAME_groups g) g
                        where g.n > 0) r),
                NAME_values as materialized (
                  select g.*,
                         array(select v from (select v from (%1$s) w union all select unnest(g.others)) u
                               order by v offset g.low - g.low_skip limit 2) as middle,
                         %2$s as p90
                  from NAME_ranks g),
                NAME_percentiles as (
                  select v.*, v.middle[1] + (case when v.high > v.low then v.middle[2] else v.middle[1] end - v.middle[1])
                                            * (v.position - v.low) as median
                  from NAME_values v)""".replace("NAME", name).formatted(median, p90 ? """
                (select v from (select v from (%s) w union all select unnest(g.others)) u
                          order by v desc offset g.top - g.top_skip limit 1)""".formatted(top) : "null::float8");
    }
}
