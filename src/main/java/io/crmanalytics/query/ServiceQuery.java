package io.crmanalytics.query;

import io.agroal.api.AgroalDataSource;
import io.crmanalytics.common.Sql;
import io.crmanalytics.metrics.MetricQuery;
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

    // One row per category plus the overall row (grouping () → category null, overall = true). The
    // tickets a report counts are those opened in the window, those opened before it and resolved in it,
    // and those opened before it and still open at :to (the backlog): three disjoint index range scans,
    // not every ticket opened before :to. Ratings of tickets never opened count only in the overall row.
    // Categories are ordered by their first ticket before :to (an index lookup each).
    private static final Sql SQL = new Sql("""
            with tickets as (
              select t.ticket_id, t.opened_at, t.category, case when t.resolved_at < :to then t.resolved_at end as resolved_at
              from ticket_facts t
              where t.workspace_id = :ws and t.opened_at >= :from and t.opened_at < :to
              union all
              select t.ticket_id, t.opened_at, t.category, t.resolved_at
              from ticket_facts t
              where t.workspace_id = :ws and t.resolved_at >= :from and t.resolved_at < :to and t.opened_at < :from
              union all
              select t.ticket_id, t.opened_at, t.category, null
              from ticket_facts t
              where t.workspace_id = :ws and t.opened_at < :from and (t.resolved_at is null or t.resolved_at >= :to)),
            facts as (
              select t.category, t.opened_at, t.resolved_at, null::smallint as rating
              from tickets t
              union all
              select t.category, null, null, r.rating
              from rating_facts r
              left join ticket_facts t on t.workspace_id = r.workspace_id and t.ticket_id = r.ticket_id and t.opened_at < :to
              where r.workspace_id = :ws and r.occurred_at >= :from and r.occurred_at < :to),
            categories as (
              select c.category,
                     (select min(t.opened_at) from ticket_facts t
                      where t.workspace_id = :ws and t.category = c.category and t.opened_at < :to) as first_seen
              from (select distinct category from facts where category is not null) c)
            select grouping(f.category) = 1 as overall, f.category,
                   count(*) filter (where f.opened_at >= :from) as opened,
                   count(*) filter (where f.resolved_at >= :from) as resolved,
                   count(*) filter (where f.opened_at >= :from and f.category = 'complaint') as complaints,
                   count(*) filter (where f.opened_at is not null and f.resolved_at is null) as backlog,
                   -- exact seconds averaged: a float sum would depend on the order rows come in
                   (avg(extract(epoch from f.resolved_at - f.opened_at))
                     filter (where f.resolved_at >= :from) / 3600)::float8 as resolution_mean,
                   percentile_cont(0.5) within group (order by extract(epoch from f.resolved_at - f.opened_at)::float8 / 3600)
                     filter (where f.resolved_at >= :from) as resolution_median,
                   (count(*) filter (where f.rating >= 4))::float8 / nullif(count(f.rating), 0) as csat,
                   avg(f.rating)::float8 as average_rating,
                   min(c.first_seen) as first_seen
            from facts f left join categories c on c.category = f.category
            group by grouping sets ((f.category), ())
            having grouping(f.category) = 1 or f.category is not null
            order by overall desc, first_seen, f.category""");

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
