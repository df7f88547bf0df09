package io.crmanalytics.query;

import static io.crmanalytics.metrics.Facts.channelIn;
import static io.crmanalytics.metrics.Facts.managerIn;
import static io.crmanalytics.metrics.Facts.pipelineIn;

import io.agroal.api.AgroalDataSource;
import io.crmanalytics.common.Sql;
import io.crmanalytics.metrics.Facts;
import io.crmanalytics.metrics.MetricQuery;
import io.crmanalytics.metrics.Ranked;
import io.crmanalytics.metrics.ResponseTimes;
import io.crmanalytics.metrics.Rollups;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.function.Supplier;
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

    // The window's leads, on a connection of their own alongside the rest (each statement reads its own
    // snapshot, as the service figures of /kpis do). Whole clean UTC days from the daily rollup, which
    // holds each lead's state after all its events; the leads whose state changed at or after :to
    // ("unsettled"; none when :to is now) and those of the partial and dirty days are read from their
    // rows, as of :to, the former replacing their rollup share. Percentiles: see ResponseTimes.
    private static final Sql LEADS_SQL = new Sql(("with " + Facts.LEADS + ",\n" + Rollups.WINDOW + """
            ,
            unsettled as materialized (
              select l.* from leads l
              where greatest(l.status_at, l.first_response_at, l.last_deal_at) >= :to
                and l.created_at >= :dayFrom and l.created_at < :dayTo
                and date_trunc('day', l.created_at, 'UTC') not in (select day from dirty_days) and %1$s and %2$s),
            window_leads as (
              select l.* from fact_ranges f join leads l on l.created_at >= f.lo and l.created_at < f.hi
              where %1$s and %2$s
              union all
              select * from unsettled),
            """ + Facts.FIRST_RESPONSES + """
            ,
            -- one pass over the leads read from their rows; a lead's status is the derived one unless it
            -- has a status event at or after the end of the window
            read_figures as materialized (
              select count(*) as leads,
                     count(*) filter (where r.status_as_of = 'lead.qualified') as qualified,
                     count(*) filter (where r.status_as_of = 'lead.disqualified') as disqualified,
                     count(*) filter (where r.first_at is null) as unanswered,
                     %4$s
              from (select r.*,
                           case when r.status_at < :to then r.status
                                when r.status_at >= :to then (
                                  select e.type from events e
                                  where e.workspace_id = :ws and e.lead_id = r.lead_id and e.occurred_at < :to
                                    and e.type in ('lead.qualified', 'lead.disqualified')
                                  order by e.occurred_at desc, e.event_id desc
                                  limit 1) end as status_as_of
                    from responses r) r),
            -- the rollup's leads, less the rollup share of the unsettled ones; answered settled leads are
            -- all in the response-time index (in_index)
            rolled_figures as (
              select coalesce(sum(leads), 0) as leads, coalesce(sum(leads) filter (where status = 'lead.qualified'), 0)
                       as qualified,
                     coalesce(sum(leads) filter (where status = 'lead.disqualified'), 0) as disqualified,
                     coalesce(sum(leads) filter (where not answered), 0) as unanswered,
                     coalesce(sum(leads) filter (where answered), 0) as in_index
              from (select r.leads, r.status, r.answered
                    from %6$s r
                    %9$s
                    where %7$s and %8$s
                    union all
                    select -1, u.status, u.first_response_at is not null from unsettled u) r),
            figures as materialized (
              select rf.leads + ro.leads as leads, rf.qualified + ro.qualified as qualified,
                     rf.disqualified + ro.disqualified as disqualified, rf.unanswered + ro.unanswered as unanswered,
                     (rf.in_index + ro.in_index)::bigint as in_index, rf.others, rf.in_index_buckets
              from read_figures rf, rolled_figures ro),
            response_sets as (
              select '' as grp, in_index, others from figures),
            -- in_index per bucket, summed the same way
            response_bucket_rows as (
              select '' as grp, bucket, sum(n)::bigint as n
              from (select r.bucket, r.leads as n
                    from %10$s r
                    where %8$s and cardinality(:channels) = 0
                    union all
                    select %11$s, -1 from unsettled u where u.first_response_at is not null
                    union all
                    select unnest(in_index_buckets), 1 from figures) x
              group by bucket),
            %5$s,
            %3$s
            select f.leads, f.qualified, f.disqualified, f.unanswered,
                   p.median as response_median, p.p90 as response_p90
            from figures f left join response_percentiles p on true
            """).formatted(channelIn("l.channel"), managerIn("l.manager_id"),
                    ResponseTimes.percentiles(null, managerIn("l.manager_id"), true), ResponseTimes.GROUP_FIGURES,
                    Facts.MAPPING_ARRAYS, Facts.leadRollup(Rollups::clean),
                    channelIn("coalesce(r.channel, mu.channel, mt.channel, 'unknown')"), managerIn("r.manager_id"),
                    Facts.keyMappings("r"), ResponseTimes.ROLLUP, Ranked.RESPONSE_MINUTES.bucket("u")));

    private static final Sql SQL = new Sql(("with " + Facts.OUTCOME_DEALS + ",\n" + Facts.VISITS + ",\n" + Rollups.WINDOW
            + ",\n" + Facts.PAYMENT_ROWS + ",\n" + Facts.outcomeRows(Facts.CHANNEL_OUTCOME_ROLLUP) + ",\n"
            + Facts.MAPPING_ARRAYS + """
            ,
            deal_figures as (
              select coalesce(sum(deals) filter (where outcome = 'deal.won'), 0) as deals_won,
                     coalesce(sum(deals) filter (where outcome = 'deal.lost'), 0) as deals_lost,
                     -- the mean of exact seconds: a float sum would depend on the order rows come in
                     (sum(cycle_seconds) filter (where outcome = 'deal.won')
                       / nullif(sum(deals) filter (where outcome = 'deal.won'), 0) / 86400)::float8 as cycle_mean
              from outcome_rows d
              where %1$s and %2$s and %3$s),
            -- the settled won deals straight from the covering index deal_state_won (V33), the others as of :to
            cycle_median as (
              select percentile_cont(0.5) within group (order by seconds::float8 / 86400) as cycle_median
              from (select extract(epoch from s.outcome_at - coalesce(s.lead_created_at, s.created_at)) as seconds
                    from deal_state s
                    where s.workspace_id = :ws and s.outcome = 'deal.won' and s.outcome_at >= :from
                      and s.outcome_at < :to and greatest(s.last_at, s.lead_created_at) < :to and %8$s and %9$s
                      and (cardinality(:channels) = 0
                           or case when s.lead_created_at is not null then %10$s else 'unknown' end = any(:channels))
                    union all
                    select %11$s
                    from deals d
                    where not d.settled and d.outcome = 'deal.won' and d.outcome_at >= :from and %1$s and %2$s and %3$s) c),
            -- revenue 0 (not 0.00) without payments, also when rollup shares cancel out
            payment_figures as (
              select case when coalesce(sum(payments), 0) = 0 then 0 else sum(amount) end as revenue,
                     coalesce(sum(payments), 0) as payments,
                     coalesce(sum(new_customers), 0) as new_customers
              from payment_rows where %5$s),
            -- unfiltered: whole clean UTC days from the daily rollup, the rest from the facts, without the
            -- channel mapping. A visitor counts at its first visit in the window, the one whose previous
            -- visit is before the window; the rollup knows the previous visit's UTC day, so those on from's
            -- day are looked up. Filtered by channel, the previous visit may be in another channel, so
            -- visitor ids are hashed. Each branch runs only when its condition holds (zeros otherwise).
            visit_figures as (
              select coalesce(sum(visits), 0) as visits, coalesce(sum(visitors), 0) as visitors
              from (select r.visits, case when r.prev_day is null or r.prev_day < :fromFloor then r.visits end as visitors
                    from %7$s r
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
            -- one pass over the channel's visits (visits read twice was materialized whole, every channel)
            filtered_visit_figures as (
              select count(*) as visits, count(distinct visitor_id) as visitors
              from visits where cardinality(:channels) > 0 and %6$s)
            select (select coalesce(sum(e.amount), 0) from events e
                    where e.workspace_id = :ws and e.type = 'marketing.spend' and e.occurred_at >= :from
                      and e.occurred_at < :to and %4$s) as spend,
                   df.deals_won, df.deals_lost, pf.revenue, pf.payments, pf.new_customers,
                   vf.visits + fv.visits as visits, vf.visitors + fv.visitors as visitors,
                   df.cycle_mean, cm.cycle_median
            from deal_figures df, cycle_median cm, payment_figures pf, visit_figures vf, filtered_visit_figures fv
            """).formatted(
                    channelIn("d.channel"), managerIn("d.outcome_owner"), pipelineIn("d.pipeline"),
                    channelIn("e.channel"), channelIn("channel"), channelIn("channel"), Rollups.clean("visit_days"),
                    managerIn("s.outcome_owner"), pipelineIn("s.pipeline"),
                    Facts.mappedChannel("s.lead_channel", "s.lead_utm_source", "s.lead_tracking_number"),
                    Facts.cycleSeconds("d")));

    /** The lead figures, from {@link #LEADS_SQL}. */
    private record LeadFigures(long leads, long qualified, long disqualified, Double responseMedian,
                               Double responseP90, long unanswered) {

        static final LeadFigures NONE = new LeadFigures(0, 0, 0, null, null, 0);
    }

    private final AgroalDataSource dataSource;
    private final Reports reports;

    public KpiQuery(AgroalDataSource dataSource, Reports reports) {
        this.dataSource = dataSource;
        this.reports = reports;
    }

    public Totals totals(MetricQuery query) {
        return totals(query, true, true);
    }

    /**
     * With only one part of the figures (a time series of one figure asks for its part): the lead
     * figures (leads, statuses, first response) and the rest; the part left out is zero or null.
     */
    Totals totals(MetricQuery query, boolean withLeads, boolean withRest) {
        Supplier<LeadFigures> leads = withLeads ? reports.inParallel(() -> leadFigures(query)) : () -> LeadFigures.NONE;
        if (!withRest) {
            var l = leads.get();
            return new Totals(l.leads(), l.qualified(), l.disqualified(), BigDecimal.ZERO, 0, 0, BigDecimal.ZERO, 0, 0,
                    0, null, null, l.responseMedian(), l.responseP90(), l.unanswered(), 0);
        }
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
