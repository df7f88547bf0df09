package io.crmanalytics.metrics;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

/**
 * Reading the daily rollups of V25 exactly. A window [from, to) splits into its whole UTC days
 * [:dayFrom, :dayTo), read from the rollup rows of the days that are clean, and the rest, read from the
 * facts: the partial first day [from, :dayFrom), the partial last day [:dayTo, to) and the dirty days
 * (facts changed since the day was last summed). A window without a whole UTC day reads only facts.
 * The clean days of a whole UTC month without dirty days are read as their month's rows (V48).
 */
public final class Rollups {

    private Rollups() {
    }

    /**
     * Needs :ws, :from, :to, :dayFrom, :dayTo. {@code dirty_days(day)}: the window's whole days that are
     * dirty; {@code fact_ranges(lo, hi)}: the parts of the window to read from the facts.
     */
    public static final String WINDOW = """
            dirty_days as materialized (
              select day from rollup_dirty where workspace_id = :ws and day >= :dayFrom and day < :dayTo),
            fact_ranges as materialized (
              select lo, hi
              from (select cast(:from as timestamptz) as lo, cast(:dayFrom as timestamptz) as hi
                    union all
                    select :dayTo, :to
                    union all
                    select day, day + interval '24 hours' from dirty_days) r
              where lo < hi),
            -- the window's whole days per UTC month; whole: the month is whole in the window and clean
            month_parts as materialized (
              select greatest(t.month, cast(:dayFrom as timestamptz)) as lo, least(t.next, cast(:dayTo as timestamptz)) as hi,
                     t.month >= :dayFrom and t.next <= :dayTo
                       and not exists (select 1 from dirty_days d where d.day >= t.month and d.day < t.next) as whole
              from (select g at time zone 'UTC' as month, (g + interval '1 month') at time zone 'UTC' as next
                    from generate_series(date_trunc('month', cast(:dayFrom as timestamptz), 'UTC') at time zone 'UTC',
                                         cast(:dayTo as timestamptz) at time zone 'UTC', interval '1 month') g) t
              where t.month < :dayTo and t.next > :dayFrom)""";

    /**
     * Needs {@link #WINDOW}. The rows of rollup daily_{@code name} for the window's clean whole days, as
     * a subquery: the whole clean months' rows from monthly_{@code name} (same columns), the other
     * clean days' from daily_{@code name}, each part of a month by index ("offset 0" keeps the planner
     * from joining the parts to a scan of the whole table).
     */
    public static String clean(String name) {
        return clean(name, "month_parts");
    }

    /** As {@link #clean(String)}, with the months of CTE {@code parts}, which has month_parts' columns. */
    public static String clean(String name, String parts) {
        return """
                (select d.* from %2$s p
                 cross join lateral (select * from daily_%1$s d
                                     where d.workspace_id = :ws and d.day >= p.lo and d.day < p.hi
                                       and d.day not in (select day from dirty_days)
                                     offset 0) d
                 where not p.whole
                 union all
                 select m.* from %2$s p
                 cross join lateral (select * from monthly_%1$s m where m.workspace_id = :ws and m.day = p.lo offset 0) m
                 where p.whole)""".formatted(name, parts);
    }

    /**
     * :fromFloor is the UTC midnight at or before from; :dayFrom the one at or after it and :dayTo the one
     * at or before to, both :to when the window holds no whole UTC day (then it is all first day).
     */
    static void putDays(Map<String, Object> params, Instant from, Instant to) {
        Instant fromFloor = from.truncatedTo(ChronoUnit.DAYS);
        Instant dayFrom = fromFloor.equals(from) ? from : fromFloor.plus(1, ChronoUnit.DAYS);
        Instant dayTo = to.truncatedTo(ChronoUnit.DAYS);
        if (!dayFrom.isBefore(dayTo)) {
            dayFrom = to;
            dayTo = to;
        }
        params.put("fromFloor", fromFloor);
        params.put("dayFrom", dayFrom);
        params.put("dayTo", dayTo);
    }
}
