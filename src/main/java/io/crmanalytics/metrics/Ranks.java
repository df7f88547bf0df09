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
 *
 * <p>With bucket counts (how many of A lie between consecutive edges), a walk starts at the highest
 * edge with at most k values of A ∪ B below it, rather than at the smallest value: the values below
 * that edge are counted, not walked (and the walk down for p90 likewise from the lowest edge with at
 * most its rank above it).
 */
public final class Ranks {

    private Ranks() {
    }

    /**
     * Needs {@code NAME_sets} with a row per group: its key columns {@code keys} (comma-separated),
     * {@code in_index} (|A|) and {@code others} (B, float8[]), and {@code NAME_bucket_rows}: the keys,
     * {@code bucket} (a value's {@code width_bucket(v, edges)}) and {@code n}, the count of A there, one
     * row per group and bucket. A group's counts are used only when {@code when} holds (the rows give all
     * of A) and they add up to in_index (a safety net); otherwise its walks start from the smallest value.
     * Gives {@code NAME_percentiles}: the key columns with {@code median} and {@code p90} (null unless
     * asked for), for the groups with a value. {@code walk} selects a group's A in order ({@code g} is the
     * group's row): a format with the direction (%1$s, "" or "desc"), the rank to start at (%2$s), how
     * many (%3$s) and a bound on the value (%4$s).
     */
    public static String percentiles(String name, String keys, String when, String walk, boolean p90, String edges) {
        String median = walk.formatted("", "g.low_skip", "g.high - g.lo_below - g.low_skip + 1", ">= g.lo_edge");
        String top = walk.formatted("desc", "g.top_skip", "g.top - g.hi_above - g.top_skip + 1", "< g.hi_edge");
        String starts = """
                select coalesce(max(s.edge) filter (where s.below <= r.low), '-infinity') as lo_edge,
                       coalesce(max(s.below) filter (where s.below <= r.low), 0) as lo_below,
                       coalesce(min(s.edge) filter (where r.n - s.below <= r.top), 'infinity') as hi_edge,
                       coalesce(r.n - min(s.below) filter (where r.n - s.below <= r.top), 0) as hi_above
                from (select e.edges[k] as edge,
                             sum(r.buckets[k]) over (order by k)
                               + (select count(*) from unnest(r.others) o where o < e.edges[k]) as below
                      from (select %s as edges) e, generate_series(1, cardinality(e.edges)) k
                      where r.buckets is not null) s""".formatted(edges);
        return """
                NAME_buckets as (
                  select %4$s, array_agg(coalesce(s.n, 0) order by bucket) as buckets, sum(s.n) as total
                  from (select distinct %4$s from NAME_bucket_rows) g
                  cross join generate_series(0, cardinality(%5$s)) b(bucket)
                  left join NAME_bucket_rows s using (%4$s, bucket)
                  where %6$s
                  group by %4$s),
                NAME_groups as (
                  select c.*, case when b.total = c.in_index then b.buckets end as buckets
                  from NAME_sets c left join NAME_buckets b using (%4$s)),
                -- low, high: the median's ranks; top: p90's rank counted from the top; all from 0. lo_below
                -- of A ∪ B are below lo_edge, where the median's walk starts; hi_above at or above hi_edge,
                -- where p90's walk down starts; lo_others and hi_others: the values of B past those edges.
                NAME_ranks as (
                  select r.*, greatest(0, r.low - r.lo_below - cardinality(r.lo_others)) as low_skip,
                         greatest(0, r.top - r.hi_above - cardinality(r.hi_others)) as top_skip
                  from (select r.*, t.*,
                               array(select o from unnest(r.others) o where o >= t.lo_edge) as lo_others,
                               array(select o from unnest(r.others) o where o < t.hi_edge) as hi_others
                        from (select g.*, 0.5::float8 * (g.n - 1) as position,
                                     floor(0.5::float8 * (g.n - 1))::bigint as low,
                                     ceil(0.5::float8 * (g.n - 1))::bigint as high,
                                     g.n - ceil(0.9::float8 * g.n)::bigint as top
                              from (select g.*, g.in_index + cardinality(g.others) as n from NAME_groups g) g
                              where g.n > 0) r
                        cross join lateral (%3$s) t) r),
                NAME_values as materialized (
                  select g.*,
                         array(select v from (select v from (%1$s) w union all select unnest(g.lo_others)) u
                               order by v offset g.low - g.lo_below - g.low_skip limit 2) as middle,
                         %2$s as p90
                  from NAME_ranks g),
                NAME_percentiles as (
                  select v.*, v.middle[1] + (case when v.high > v.low then v.middle[2] else v.middle[1] end - v.middle[1])
                                            * (v.position - v.low) as median
                  from NAME_values v)""".replace("NAME", name).formatted(median, p90 ? """
                (select v from (select v from (%s) w union all select unnest(g.hi_others)) u
                          order by v desc offset g.top - g.hi_above - g.top_skip limit 1)""".formatted(top)
                : "null::float8", starts, keys, edges, when);
    }
}
