package io.crmanalytics.query;

import static io.crmanalytics.metrics.Facts.channelIn;
import static io.crmanalytics.metrics.Facts.managerIn;
import static io.crmanalytics.metrics.Facts.pipelineIn;

import io.agroal.api.AgroalDataSource;
import io.crmanalytics.common.Sql;
import io.crmanalytics.metrics.Facts;
import io.crmanalytics.metrics.MetricQuery;
import io.crmanalytics.metrics.Rollups;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The sales and marketing summary over [from, to), as seen at to. Ratios are derived in {@link Kpis}. */
@ApplicationScoped
public class KpiQuery {

    /** Counts and sums straight from the database; the ratios are derived from them. */
    public record Totals(long leads, long qualified, long disqualified, BigDecimal spend, long dealsWon,
                         long dealsLost, BigDecimal revenue, long payments, long visits, long visitors,
                         Double cycleMean, Double cycleMedian, Double responseMedian, Double responseP90,
                         long unanswered, long newCustomers) {

        static final Totals EMPTY = new Totals(0, 0, 0, BigDecimal.ZERO, 0, 0, BigDecimal.ZERO, 0, 0, 0,
                null, null, null, null, 0, 0);
    }

    @Schema(name = "Stats", description = "Mean and median; null when there is nothing to measure")
    public record MeanMedian(Double mean, Double median) {
    }

    @Schema(name = "FirstResponse", description = "Minutes from lead creation to the first outgoing call, message "
            + "or meeting: median and p90 (nearest rank) over answered leads, and the count of unanswered leads")
    public record FirstResponse(Double median, Double p90, long unanswered) {
    }

    /*
     * The window's leads, on a connection of their own alongside the rest (each statement reads its own
     * snapshot, as the service figures of /kpis do).
     *
     * The response-time percentiles are not sorted here: most answered leads are settled (no deal
     * created at or after :to, so their derived first response holds as of :to), and an index keeps
     * those in order of response time (V27). Only the values at the wanted ranks are read from it,
     * walking up for the median and down for p90, merged with the few others (leads with a deal created
     * at or after :to, whose first response is worked out from the events). With B the others, the
     * value at rank k of the union is at rank k - skip of (index ranks skip..k, B), skip = max(0, k - |B|):
     * at least k + 1 - |B| of the k + 1 smallest are from the index. PostgreSQL's arithmetic is kept:
     * percentile_cont(0.5) interpolates ranks floor and ceil of 0.5 (n - 1); percentile_disc(0.9) takes
     * rank ceil(0.9 n) (from 1).
     */
    private static final String WALK = """
            select extract(epoch from l.first_response_at - l.created_at)::float8 / 60 as minutes
            from lead_facts l
            where l.workspace_id = :ws and l.first_response_at is not null
              and l.created_at >= :from and l.created_at < :to and l.first_response_at < :to
              and (l.last_deal_at is null or l.last_deal_at < :to) and %1$s
              -- a lead's channel as Facts.LEADS gives it, from the mappings as arrays
              and (cardinality(:channels) = 0
                   or coalesce(l.channel, (select m.utm_channels[array_position(m.utm_keys, lower(l.utm_source))]
                                           from mapping_arrays m),
                               (select m.tracking_channels[array_position(m.tracking_keys, l.tracking_number)]
                                from mapping_arrays m), 'unknown') = any(:channels))
            order by 1 %2$s
            offset (select %3$s from ranks) limit (select %4$s from ranks)""";

    private static final Sql LEADS_SQL = new Sql(("with " + Facts.LEADS + """
            ,
            window_leads as (
              select l.* from leads l
              where l.created_at >= :from and %1$s and %2$s),
            """ + Facts.FIRST_RESPONSES + """
            ,
            -- one pass over the window's leads; a lead's status is the derived one unless it has a
            -- status event at or after the end of the window
            figures as materialized (
              select count(*) as leads,
                     count(*) filter (where status = 'lead.qualified') as qualified,
                     count(*) filter (where status = 'lead.disqualified') as disqualified,
                     count(*) filter (where first_at is null) as unanswered,
                     count(*) filter (where first_at is not null and settled) as in_index,
                     coalesce(array_agg(minutes) filter (where first_at is not null and not settled), '{}') as others
              from (select r.first_at, extract(epoch from r.first_at - r.created_at)::float8 / 60 as minutes,
                           r.last_deal_at is null or r.last_deal_at < :to as settled,
                           case when r.status_at < :to then r.status
                                when r.status_at >= :to then (
                                  select e.type from events e
                                  where e.workspace_id = :ws and e.lead_id = r.lead_id and e.occurred_at < :to
                                    and e.type in ('lead.qualified', 'lead.disqualified')
                                  order by e.occurred_at desc, e.event_id desc
                                  limit 1) end as status
                    from responses r) l),
            mapping_arrays as (
              select array_agg(key order by key) filter (where kind = 'utm_source') as utm_keys,
                     array_agg(channel order by key) filter (where kind = 'utm_source') as utm_channels,
                     array_agg(key order by key) filter (where kind = 'tracking_number') as tracking_keys,
                     array_agg(channel order by key) filter (where kind = 'tracking_number') as tracking_channels
              from channel_mappings where workspace_id = :ws),
            -- low/high: the median's ranks; top: p90's rank counted from the top; all from 0
            ranks as (
              select r.*, greatest(0, r.low - r.others_n) as low_skip, greatest(0, r.top - r.others_n) as top_skip
              from (select f.n, f.others_n, 0.5::float8 * (f.n - 1) as position,
                           floor(0.5::float8 * (f.n - 1))::bigint as low, ceil(0.5::float8 * (f.n - 1))::bigint as high,
                           f.n - ceil(0.9::float8 * f.n)::bigint as top
                    from (select in_index + cardinality(others) as n, cardinality(others) as others_n
                          from figures) f) r),
            median_values as (
              select array(select minutes
                           from (select minutes from (%3$s) w union all select unnest(others) from figures) u
                           order by minutes
                           offset (select greatest(0, low - low_skip) from ranks) limit 2) as v),
            p90_value as (
              select (select minutes
                      from (select minutes from (%4$s) w union all select unnest(others) from figures) u
                      order by minutes desc
                      offset (select top - top_skip from ranks) limit 1) as v)
            select f.leads, f.qualified, f.disqualified, f.unanswered,
                   case when r.n > 0 then mv.v[1] + (case when r.high > r.low then mv.v[2] else mv.v[1] end - mv.v[1])
                                                    * (r.position - r.low) end as response_median,
                   case when r.n > 0 then pv.v end as response_p90
            from figures f, ranks r, median_values mv, p90_value pv
            """).formatted(channelIn("l.channel"), managerIn("l.manager_id"),
                    WALK.formatted(managerIn("l.manager_id"), "", "low_skip", "greatest(0, high - low_skip + 1)"),
                    WALK.formatted(managerIn("l.manager_id"), "desc", "top_skip", "top - top_skip + 1")));

    private static final Sql SQL = new Sql(("with " + Facts.DEALS + ",\n" + Facts.PAYMENTS
            + ",\n" + Facts.VISITS + ",\n" + Rollups.WINDOW + """
            ,
            deal_figures as (
              select count(*) filter (where outcome = 'deal.won') as deals_won,
                     count(*) filter (where outcome = 'deal.lost') as deals_lost,
                     -- the mean of exact seconds: a float sum would depend on the order rows come in
                     (avg(seconds) / 86400)::float8 as cycle_mean,
                     percentile_cont(0.5) within group (order by seconds::float8 / 86400) as cycle_median
              from (select d.outcome,
                           case when d.outcome = 'deal.won' then extract(epoch from d.outcome_at
                             - coalesce(d.lead_created_at, d.created_at)) end as seconds
                    from deals d
                    where d.outcome is not null and d.outcome_at >= :from and %1$s and %2$s and %3$s) c),
            payment_figures as (
              select coalesce(sum(amount), 0) as revenue, count(*) as payments,
                     count(*) filter (where customer_first) as new_customers
              from payments where %5$s),
            -- unfiltered: whole clean UTC days from the daily rollup, the rest from the facts, without the
            -- channel mapping. A visitor counts at its first visit in the window, the one whose previous
            -- visit is before the window; the rollup knows the previous visit's UTC day, so those on from's
            -- day are looked up. Filtered by channel, the previous visit may be in another channel, so
            -- visitor ids are hashed. Each branch runs only when its condition holds (zeros otherwise).
            visit_figures as (
              select coalesce(sum(visits), 0) as visits, coalesce(sum(visitors), 0) as visitors
              from (select r.visits, case when r.prev_day is null or r.prev_day < :fromFloor then r.visits end as visitors
                    from daily_visits r
                    where %7$s
                    union all
                    select 0, 1
                    from visit_facts v
                    where v.workspace_id = :ws and v.prev_at >= :fromFloor and v.prev_at < :from
                      and v.occurred_at >= :dayFrom and v.occurred_at < :dayTo
                      and date_trunc('day', v.occurred_at, 'UTC') not in (select day from dirty_days)
                    union all
                    select 1, case when v.prev_at is null or v.prev_at < :from then 1 end
                    from fact_ranges f
                    join visit_facts v on v.workspace_id = :ws and v.occurred_at >= f.lo and v.occurred_at < f.hi) v
              where cardinality(:channels) = 0),
            filtered_visit_figures as (
              select count(*) as visits,
                     (select count(*) from (select visitor_id from visits
                                            where cardinality(:channels) > 0 and %6$s group by visitor_id) v)
                       as visitors
              from visits where cardinality(:channels) > 0 and %6$s)
            select (select coalesce(sum(e.amount), 0) from events e
                    where e.workspace_id = :ws and e.type = 'marketing.spend' and e.occurred_at >= :from
                      and e.occurred_at < :to and %4$s) as spend,
                   df.deals_won, df.deals_lost, pf.revenue, pf.payments, pf.new_customers,
                   vf.visits + fv.visits as visits, vf.visitors + fv.visitors as visitors,
                   df.cycle_mean, df.cycle_median
            from deal_figures df, payment_figures pf, visit_figures vf, filtered_visit_figures fv
            """).formatted(
                    channelIn("d.channel"), managerIn("d.outcome_owner"), pipelineIn("d.pipeline"),
                    channelIn("e.channel"), channelIn("channel"), channelIn("channel"), Rollups.cleanDays("r")));

    /** The lead figures, from {@link #LEADS_SQL}. */
    private record LeadFigures(long leads, long qualified, long disqualified, Double responseMedian,
                               Double responseP90, long unanswered) {
    }

    private final AgroalDataSource dataSource;
    private final Reports reports;

    public KpiQuery(AgroalDataSource dataSource, Reports reports) {
        this.dataSource = dataSource;
        this.reports = reports;
    }

    public Totals totals(MetricQuery query) {
        var leads = reports.inParallel(() -> leadFigures(query));
        try (var c = dataSource.getConnection(); var st = SQL.prepare(c, query.params());
             var rs = st.executeQuery()) {
            rs.next();
            var l = leads.get();
            return new Totals(l.leads(), l.qualified(), l.disqualified(),
                    rs.getBigDecimal("spend"), rs.getLong("deals_won"), rs.getLong("deals_lost"),
                    rs.getBigDecimal("revenue"), rs.getLong("payments"), rs.getLong("visits"), rs.getLong("visitors"),
                    nullableDouble(rs, "cycle_mean"), nullableDouble(rs, "cycle_median"),
                    l.responseMedian(), l.responseP90(), l.unanswered(), rs.getLong("new_customers"));
        } catch (SQLException e) {
            throw new IllegalStateException("KPI query failed", e);
        }
    }

    private LeadFigures leadFigures(MetricQuery query) {
        try (var c = dataSource.getConnection(); var st = LEADS_SQL.prepare(c, query.params());
             var rs = st.executeQuery()) {
            rs.next();
            return new LeadFigures(rs.getLong("leads"), rs.getLong("qualified"), rs.getLong("disqualified"),
                    nullableDouble(rs, "response_median"), nullableDouble(rs, "response_p90"),
                    rs.getLong("unanswered"));
        } catch (SQLException e) {
            throw new IllegalStateException("KPI lead query failed", e);
        }
    }

    static Double nullableDouble(ResultSet rs, String column) throws SQLException {
        double value = rs.getDouble(column);
        return rs.wasNull() ? null : value;
    }
}
