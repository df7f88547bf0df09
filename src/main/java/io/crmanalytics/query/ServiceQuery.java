package io.crmanalytics.query;

import io.agroal.api.AgroalDataSource;
import io.crmanalytics.common.Sql;
import io.crmanalytics.metrics.MetricQuery;
import io.crmanalytics.metrics.Ranked;
import io.crmanalytics.metrics.Ranks;
import io.crmanalytics.metrics.Rollups;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Support quality over [from, to): tickets opened, resolved, complaints, backlog at to, resolution
 * time, CSAT and average rating, overall and per category. The filters do not narrow tickets.
 */
@ApplicationScoped
public class ServiceQuery {

    @Schema(name = "ServiceFigures")
    public record ServiceFigures(
            @Schema(description = "Category; absent in the overall figures") String category,
            long ticketsOpened, long ticketsResolved, long complaints,
            @Schema(description = "Tickets opened before 'to' and not resolved by then") long backlog,
            @Schema(description = "Hours from opening to the first resolution, for tickets resolved in the window")
            KpiQuery.MeanMedian resolutionHours,
            @Schema(description = "Share of ratings >= 4 among ratings in the window") Double csat,
            Double averageRating) {

        static final ServiceFigures EMPTY = new ServiceFigures(null, 0, 0, 0, 0,
                new KpiQuery.MeanMedian(null, null), null, null);
    }

    @Schema(name = "ServiceView")
    public record ServiceView(ServiceFigures overall, List<ServiceFigures> categories) {
    }

    /** The resolution times of the window in index order (V37), narrowed by {@code condition}; see Ranks. */
    private static String resolutionWalk(String condition) {
        return """
                select %1$s as v
                from ticket_facts t
                where t.workspace_id = :ws and t.resolved_at is not null and t.opened_at is not null
                  and t.resolved_at >= :from and t.resolved_at < :to and t.opened_at < :to%2$s and %1$s %%4$s
                order by 1 %%1$s
                offset %%2$s limit %%3$s""".formatted(Ranked.RESOLUTION_HOURS.of("t"), condition);
    }

    // One row per category first seen before :to plus the overall row (grouping () → category null,
    // overall = true). Opened tickets and ratings of whole clean UTC days come from the daily rollups
    // (V34), the rest of the window from the facts; a rating's rollup share has its ticket's category,
    // taken back for the tickets opened at or after :to (their ratings count only overall). Resolutions
    // are read one by one for the median, and the backlog from the tickets open at :to: a few index
    // range scans, not every ticket opened before :to. Ratings of tickets never opened count only in the
    // overall row.
    private static final Sql SQL = new Sql(("with " + Rollups.WINDOW + """
            ,
            -- every category (a skip scan over ticket_facts_category), first seen before :to (a lookup each)
            category_keys as (
              with recursive k(category) as (
                select (select min(t.category) from ticket_facts t where t.workspace_id = :ws)
                union all
                select (select min(t.category) from ticket_facts t where t.workspace_id = :ws and t.category > k.category)
                from k where k.category is not null)
              select category from k where category is not null),
            categories as (
              select c.category, c.first_seen
              from (select k.category,
                           (select min(t.opened_at) from ticket_facts t
                            where t.workspace_id = :ws and t.category = k.category and t.opened_at < :to) as first_seen
                    from category_keys k) c
              where c.first_seen is not null),
            late_ratings as (
              select t.category, r.rating
              from ticket_facts t
              join rating_facts r on r.workspace_id = t.workspace_id and r.ticket_id = t.ticket_id
              where t.workspace_id = :ws and t.opened_at >= :to and r.occurred_at >= :dayFrom and r.occurred_at < :dayTo
                and date_trunc('day', r.occurred_at, 'UTC') not in (select day from dirty_days)),
            facts as (
              select c.category, 0 as opened, 0 as backlog, 0 as ratings, 0 as satisfied, 0 as rating_sum
              from categories c
              union all
              select r.category, r.opened, 0, 0, 0, 0
              from %1$s r
              union all
              select t.category, 1, 0, 0, 0, 0
              from fact_ranges f join ticket_facts t on t.workspace_id = :ws and t.opened_at >= f.lo and t.opened_at < f.hi

              union all
              -- counted per category before the union: the backlog is most of the rows here
              select t.category, 0, count(*), 0, 0, 0
              from ticket_facts t where t.workspace_id = :ws and t.resolved_at is null and t.opened_at < :to
              group by t.category
              union all
              select t.category, 0, count(*), 0, 0, 0
              from ticket_facts t where t.workspace_id = :ws and t.resolved_at >= :to and t.opened_at < :to
              group by t.category
              union all
              select r.category, 0, 0, r.ratings, r.satisfied, r.rating_sum
              from %4$s r
              union all
              select l.category, 0, 0, -1, -(l.rating >= 4)::int, -l.rating from late_ratings l
              union all
              select null, 0, 0, 1, (l.rating >= 4)::int, l.rating from late_ratings l
              union all
              -- the ticket looked up per rating: a join would hash every ticket when a range is misestimated
              select (select t.category from ticket_facts t
                      where t.workspace_id = r.workspace_id and t.ticket_id = r.ticket_id and t.opened_at < :to),
                     0, 0, 1, (r.rating >= 4)::int, r.rating
              from fact_ranges f
              join rating_facts r on r.workspace_id = :ws and r.occurred_at >= f.lo and r.occurred_at < f.hi),
            -- resolutions in the window per category and bucket of hours (V51): whole clean UTC days from the
            -- rollup but for the tickets opened after their resolution (counted when opened before :to), the
            -- rest from the facts
            resolution_rows as (
              select category, bucket, sum(resolved)::bigint as resolved, sum(seconds) as seconds
              from (select r.category, r.bucket, r.resolved, r.resolution_seconds as seconds
                    from %5$s r
                    union all
                    select t.category, %6$s, 1, extract(epoch from t.resolved_at - t.opened_at)
                    from ticket_facts t
                    where t.workspace_id = :ws and t.opened_at > t.resolved_at and t.opened_at < :to
                      and t.resolved_at >= :dayFrom and t.resolved_at < :dayTo
                      and date_trunc('day', t.resolved_at, 'UTC') not in (select day from dirty_days)
                    union all
                    select t.category, %6$s, 1, extract(epoch from t.resolved_at - t.opened_at)
                    from fact_ranges f
                    join ticket_facts t on t.workspace_id = :ws and t.resolved_at >= f.lo and t.resolved_at < f.hi
                    where t.opened_at < :to) x
              group by category, bucket),
            resolution_sums as (
              select category, sum(resolved) as resolved, sum(seconds) as seconds
              from resolution_rows group by category),
            -- their medians read at their ranks (Ranks), overall and per category, each walk from the bucket
            -- holding its rank; every value is in the index
            resolution_sets as (
              select '' as grp, coalesce(sum(resolved), 0)::bigint as in_index, '{}'::float8[] as others
              from resolution_sums),
            resolution_bucket_rows as (
              select '' as grp, bucket, sum(resolved)::bigint as n from resolution_rows group by bucket),
            %2$s,
            category_resolution_sets as (
              select category, resolved::bigint as in_index, '{}'::float8[] as others
              from resolution_sums where category is not null),
            category_resolution_bucket_rows as (
              select category, bucket, resolved as n from resolution_rows where category is not null),
            %3$s,
            figures as (
              select grouping(f.category) = 1 as overall, f.category,
                     coalesce(sum(f.opened), 0) as opened,
                     coalesce(sum(f.opened) filter (where f.category = 'complaint'), 0) as complaints,
                     coalesce(sum(f.backlog), 0) as backlog,
                     sum(f.satisfied)::float8 / nullif(sum(f.ratings), 0) as csat,
                     (sum(f.rating_sum) / nullif(sum(f.ratings), 0))::float8 as average_rating,
                     min(c.first_seen) as first_seen
              from facts f left join categories c on c.category = f.category
              group by grouping sets ((f.category), ())
              having grouping(f.category) = 1 or min(c.first_seen) is not null)
            select g.overall, g.category, g.opened, coalesce(rs.resolved, 0) as resolved, g.complaints, g.backlog,
                   -- exact seconds averaged: a float sum would depend on the order rows come in
                   (rs.seconds / nullif(rs.resolved, 0) / 3600)::float8 as resolution_mean,
                   case when g.overall then (select median from resolution_percentiles)
                        else (select p.median from category_resolution_percentiles p where p.category = g.category)
                   end as resolution_median,
                   g.csat, g.average_rating, g.first_seen
            from figures g
            left join lateral (select sum(s.resolved) as resolved, sum(s.seconds) as seconds from resolution_sums s
                               where g.overall or s.category = g.category) rs on true
            order by g.overall desc, g.first_seen, g.category""").formatted(Rollups.clean("tickets"),
            Ranks.percentiles("resolution", "grp", "true", resolutionWalk(""), false, Ranked.RESOLUTION_HOURS.edges()),
            Ranks.percentiles("category_resolution", "category", "true",
                    resolutionWalk(" and t.category = g.category"), false, Ranked.RESOLUTION_HOURS.edges()),
            Rollups.clean("ratings"), Rollups.clean("resolutions"), Ranked.RESOLUTION_HOURS.bucket("t")));

    private final AgroalDataSource dataSource;

    public ServiceQuery(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    public ServiceView run(MetricQuery query) {
        var rows = new ArrayList<ServiceFigures>();
        ServiceFigures overall = null;
        try (var c = dataSource.getConnection(); var st = SQL.prepare(c, query.params());
             var rs = st.executeQuery()) {
            while (rs.next()) {
                var figures = new ServiceFigures(rs.getBoolean("overall") ? null : rs.getString("category"),
                        rs.getLong("opened"), rs.getLong("resolved"), rs.getLong("complaints"), rs.getLong("backlog"),
                        new KpiQuery.MeanMedian(KpiQuery.nullableDouble(rs, "resolution_mean"),
                                KpiQuery.nullableDouble(rs, "resolution_median")),
                        KpiQuery.nullableDouble(rs, "csat"), KpiQuery.nullableDouble(rs, "average_rating"));
                if (rs.getBoolean("overall")) {
                    overall = figures;
                } else {
                    rows.add(figures);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Service query failed", e);
        }
        return new ServiceView(overall, rows);
    }
}
