package io.crmanalytics.ingest;

import io.agroal.api.AgroalDataSource;
import io.crmanalytics.common.Sql;
import io.crmanalytics.metrics.Facts;
import io.crmanalytics.metrics.Ranked;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * Sums the dirty days of the daily rollups (V25, V30, V32, V34, V37, V38, V40–V44, V46, V47, V49, V51) from the
 * facts, and their months (V48) from the days. Reports are exact either way (they read a dirty day from
 * its facts); summing only makes them cheaper. Every crm.rollups.every it sums the days
 * that have not changed for QUIET, a few days per transaction: a transaction deletes the days' marks
 * first, so a change committed before it is in the sums, and one still running either holds its mark
 * (skipped) or marks the day again after.
 */
@ApplicationScoped
public class RollupCompactor {

    private static final Logger LOG = Logger.getLogger(RollupCompactor.class);

    /** Days summed per transaction: a batch marking one of them waits at most that long. */
    private static final int DAYS_PER_TRANSACTION = 8;
    /** A day still changing (being ingested now) is left to the facts until it is quiet this long. */
    private static final Duration QUIET = Duration.ofSeconds(5);
    /**
     * After a run, the scheduler skips runs for this many times as long as the run took: while a bulk load
     * keeps touching days already summed, summing them again takes a third of one connection at most, not
     * a core that ingestion needs.
     */
    private static final int PAUSE_PER_WORK = 2;

    private static final Sql DIRTY_WORKSPACES = new Sql("select distinct workspace_id from rollup_dirty");
    private static final Sql TAKE_DAYS = new Sql("""
            delete from rollup_dirty
            where (workspace_id, day) in (
              select workspace_id, day from rollup_dirty
              where workspace_id = :ws and marked_at <= now() - cast(:quiet as interval)
              order by day
              limit %d
              for update skip locked)
            returning day""".formatted(DAYS_PER_TRANSACTION));
    private static final List<Sql> SUM_DAYS = List.of(
            new Sql("delete from daily_activity where workspace_id = :ws and day = any(cast(:days as timestamptz[]))"),
            new Sql("""
                    insert into daily_activity (workspace_id, day, manager_id, type, direction, answered, activities,
                                                duration_sec)
                    select :ws, d.day, a.manager_id, a.type, a.direction, a.answered, count(*),
                           coalesce(sum(a.duration_sec), 0)
                    from unnest(cast(:days as timestamptz[])) d(day)
                    join activity_facts a on a.workspace_id = :ws and a.occurred_at >= d.day
                                         and a.occurred_at < d.day + interval '24 hours'
                    where a.manager_id is not null
                    group by d.day, a.manager_id, a.type, a.direction, a.answered"""),
            new Sql("delete from daily_visit_days where workspace_id = :ws and day = any(cast(:days as timestamptz[]))"),
            new Sql("""
                    insert into daily_visit_days (workspace_id, day, prev_day, visits)
                    select :ws, d.day, date_trunc('day', v.prev_at, 'UTC'), count(*)
                    from unnest(cast(:days as timestamptz[])) d(day)
                    join visit_facts v on v.workspace_id = :ws and v.occurred_at >= d.day
                                      and v.occurred_at < d.day + interval '24 hours'
                    group by 2, 3"""),
            new Sql("delete from daily_leads where workspace_id = :ws and day = any(cast(:days as timestamptz[]))"),
            new Sql("""
                    insert into daily_leads (workspace_id, day, manager_id, channel, utm_source, tracking_number,
                                             campaign, status, answered, leads)
                    select :ws, d.day, l.manager_id, l.channel,
                           case when l.channel is null then lower(l.utm_source) end,
                           case when l.channel is null then l.tracking_number end,
                           coalesce(l.campaign, l.utm_campaign), l.status, l.first_response_at is not null, count(*)
                    from unnest(cast(:days as timestamptz[])) d(day)
                    join lead_facts l on l.workspace_id = :ws and l.created_at >= d.day
                                     and l.created_at < d.day + interval '24 hours'
                    group by 2, 3, 4, 5, 6, 7, 8, 9"""),
            new Sql("delete from daily_manager_response_buckets where workspace_id = :ws and day = any(cast(:days as timestamptz[]))"),
            new Sql("""
                    insert into daily_manager_response_buckets (workspace_id, day, manager_id, bucket, leads)
                    select :ws, d.day, l.manager_id, %s, count(*)
                    from unnest(cast(:days as timestamptz[])) d(day)
                    join lead_facts l on l.workspace_id = :ws and l.created_at >= d.day
                                     and l.created_at < d.day + interval '24 hours'
                    where l.first_response_at is not null and l.manager_id is not null
                    group by 2, 3, 4""".formatted(Ranked.RESPONSE_MINUTES.bucket("l"))),
            new Sql("delete from daily_response_buckets where workspace_id = :ws and day = any(cast(:days as timestamptz[]))"),
            new Sql("""
                    insert into daily_response_buckets (workspace_id, day, bucket, leads)
                    select :ws, d.day, %s, count(*)
                    from unnest(cast(:days as timestamptz[])) d(day)
                    join lead_facts l on l.workspace_id = :ws and l.created_at >= d.day
                                     and l.created_at < d.day + interval '24 hours'
                    where l.first_response_at is not null
                    group by 2, 3""".formatted(Ranked.RESPONSE_MINUTES.bucket("l"))),
            new Sql("delete from daily_tasks where workspace_id = :ws and day = any(cast(:days as timestamptz[]))"),
            new Sql("""
                    insert into daily_tasks (workspace_id, day, manager_id, completed)
                    select :ws, d.day, t.manager_id, count(*)
                    from unnest(cast(:days as timestamptz[])) d(day)
                    join task_facts t on t.workspace_id = :ws and t.done_at >= d.day
                                     and t.done_at < d.day + interval '24 hours'
                    where t.created_at <= t.done_at
                    group by 2, 3"""),
            new Sql("delete from daily_deal_outcomes where workspace_id = :ws and day = any(cast(:days as timestamptz[]))"),
            new Sql("""
                    insert into daily_deal_outcomes (workspace_id, day, pipeline, outcome, outcome_owner, channel,
                                                     utm_source, tracking_number, campaign, lost_reason, deals,
                                                     amount, cycle_seconds)
                    select :ws, d.day, s.pipeline, s.outcome, s.outcome_owner, %s, s.lost_reason, count(*),
                           coalesce(sum(s.outcome_amount), 0), coalesce(sum(%s), 0)
                    from unnest(cast(:days as timestamptz[])) d(day)
                    join deal_state s on s.workspace_id = :ws and s.outcome is not null and s.outcome_at >= d.day
                                     and s.outcome_at < d.day + interval '24 hours'
                    group by 2, 3, 4, 5, 6, 7, 8, 9, 10""".formatted(Facts.DEAL_OUTCOME_KEYS, Facts.cycleSeconds("s"))),
            new Sql("delete from daily_funnel where workspace_id = :ws and day = any(cast(:days as timestamptz[]))"),
            new Sql("""
                    insert into daily_funnel (workspace_id, day, pipeline, outcome, lost_reason, stages, last_stage,
                                              deals)
                    select :ws, d.day, s.pipeline, s.outcome, s.lost_reason, s.stages, s.last_stage, count(*)
                    from unnest(cast(:days as timestamptz[])) d(day)
                    join deal_state s on s.workspace_id = :ws and s.created_at >= d.day
                                     and s.created_at < d.day + interval '24 hours'
                    group by 2, 3, 4, 5, 6, 7"""),
            new Sql("delete from daily_stage_completions where workspace_id = :ws and day = any(cast(:days as timestamptz[]))"),
            new Sql("""
                    insert into daily_stage_completions (workspace_id, day, pipeline, stage, bucket, deals)
                    select :ws, d.day, s.pipeline, s.stage, %s, count(*)
                    from unnest(cast(:days as timestamptz[])) d(day)
                    join deal_stages s on s.workspace_id = :ws and s.deal_created_at >= d.day
                                      and s.deal_created_at < d.day + interval '24 hours'
                    where s.completed_seconds is not null
                    group by 2, 3, 4, 5""".formatted(Ranked.STAGE_DAYS.bucket("s"))),
            // the narrower copies (V38, V39, V40), from the rows just summed
            new Sql("delete from daily_lead_channels where workspace_id = :ws and day = any(cast(:days as timestamptz[]))"),
            new Sql("""
                    insert into daily_lead_channels (workspace_id, day, channel, utm_source, tracking_number, campaign,
                                                     status, answered, leads)
                    select workspace_id, day, channel, utm_source, tracking_number, campaign, status, answered, sum(leads)
                    from daily_leads
                    where workspace_id = :ws and day = any(cast(:days as timestamptz[]))
                    group by 1, 2, 3, 4, 5, 6, 7, 8"""),
            new Sql("delete from daily_outcome_channels where workspace_id = :ws and day = any(cast(:days as timestamptz[]))"),
            new Sql("""
                    insert into daily_outcome_channels (workspace_id, day, outcome, channel, utm_source, tracking_number,
                                                        campaign, deals, amount, cycle_seconds)
                    select workspace_id, day, outcome, channel, utm_source, tracking_number, campaign, sum(deals),
                           sum(amount), sum(cycle_seconds)
                    from daily_deal_outcomes
                    where workspace_id = :ws and day = any(cast(:days as timestamptz[]))
                    group by 1, 2, 3, 4, 5, 6, 7"""),
            new Sql("delete from daily_lost_reasons where workspace_id = :ws and day = any(cast(:days as timestamptz[]))"),
            new Sql("""
                    insert into daily_lost_reasons (workspace_id, day, lost_reason, deals)
                    select workspace_id, day, lost_reason, sum(deals)
                    from daily_deal_outcomes
                    where workspace_id = :ws and day = any(cast(:days as timestamptz[])) and outcome = 'deal.lost'
                    group by 1, 2, 3"""),
            new Sql("delete from daily_outcome_owners where workspace_id = :ws and day = any(cast(:days as timestamptz[]))"),
            new Sql("""
                    insert into daily_outcome_owners (workspace_id, day, outcome, outcome_owner, deals, amount,
                                                      cycle_seconds)
                    select workspace_id, day, outcome, outcome_owner, sum(deals), sum(amount), sum(cycle_seconds)
                    from daily_deal_outcomes
                    where workspace_id = :ws and day = any(cast(:days as timestamptz[]))
                    group by 1, 2, 3, 4"""),
            new Sql("delete from daily_payments where workspace_id = :ws and day = any(cast(:days as timestamptz[]))"),
            new Sql("""
                    insert into daily_payments (workspace_id, day, channel, utm_source, tracking_number, campaign,
                                                customer_first, payments, amount)
                    select :ws, d.day, %s, p.customer_first, count(*), sum(p.amount)
                    from unnest(cast(:days as timestamptz[])) d(day)
                    join payment_facts p on p.workspace_id = :ws and p.occurred_at >= d.day
                                        and p.occurred_at < d.day + interval '24 hours'
                    group by 2, 3, 4, 5, 6, 7""".formatted(Facts.PAYMENT_KEYS)),
            new Sql("delete from daily_tickets where workspace_id = :ws and day = any(cast(:days as timestamptz[]))"),
            new Sql("""
                    insert into daily_tickets (workspace_id, day, category, opened)
                    select :ws, d.day, t.category, count(*)
                    from unnest(cast(:days as timestamptz[])) d(day)
                    join ticket_facts t on t.workspace_id = :ws and t.opened_at >= d.day
                                       and t.opened_at < d.day + interval '24 hours'
                    group by 2, 3"""),
            new Sql("delete from daily_resolutions where workspace_id = :ws and day = any(cast(:days as timestamptz[]))"),
            new Sql("""
                    insert into daily_resolutions (workspace_id, day, category, bucket, resolved, resolution_seconds)
                    select :ws, d.day, t.category, %s, count(*), sum(extract(epoch from t.resolved_at - t.opened_at))
                    from unnest(cast(:days as timestamptz[])) d(day)
                    join ticket_facts t on t.workspace_id = :ws and t.resolved_at >= d.day
                                       and t.resolved_at < d.day + interval '24 hours'
                    where t.opened_at <= t.resolved_at
                    group by 2, 3, 4""".formatted(Ranked.RESOLUTION_HOURS.bucket("t"))),
            new Sql("delete from daily_ratings where workspace_id = :ws and day = any(cast(:days as timestamptz[]))"),
            new Sql("""
                    insert into daily_ratings (workspace_id, day, category, ratings, satisfied, rating_sum)
                    select :ws, d.day, t.category, count(*), count(*) filter (where r.rating >= 4), sum(r.rating)
                    from unnest(cast(:days as timestamptz[])) d(day)
                    join rating_facts r on r.workspace_id = :ws and r.occurred_at >= d.day
                                       and r.occurred_at < d.day + interval '24 hours'
                    left join ticket_facts t on t.workspace_id = r.workspace_id and t.ticket_id = r.ticket_id
                                            and t.opened_at is not null
                    group by 2, 3"""));

    /** A monthly rollup (V48): its name after daily_/monthly_, its key columns and its summed ones. */
    private record Monthly(String name, String keys, String sums) {

        List<Sql> statements() {
            String summed = Arrays.stream(sums.split(", ")).map(c -> "sum(" + c + ")").collect(Collectors.joining(", "));
            return List.of(
                    new Sql("delete from monthly_%s where workspace_id = :ws and day = any(cast(:months as timestamptz[]))"
                            .formatted(name)),
                    new Sql("""
                            insert into monthly_%1$s (workspace_id, day, %2$s, %3$s)
                            select :ws, m.month, %2$s, %4$s
                            from unnest(cast(:months as timestamptz[])) m(month)
                            join daily_%1$s d on d.workspace_id = :ws and d.day >= m.month
                                             and d.day < (m.month at time zone 'UTC' + interval '1 month') at time zone 'UTC'
                            group by m.month, %2$s""".formatted(name, keys, sums, summed)));
        }
    }

    private static final List<Sql> SUM_MONTHS = Stream.of(
            new Monthly("activity", "manager_id, type, direction, answered", "activities, duration_sec"),
            new Monthly("visit_days", "prev_day", "visits"),
            new Monthly("leads", "manager_id, channel, utm_source, tracking_number, campaign, status, answered", "leads"),
            new Monthly("lead_channels", "channel, utm_source, tracking_number, campaign, status, answered", "leads"),
            new Monthly("response_buckets", "bucket", "leads"),
            new Monthly("manager_response_buckets", "manager_id, bucket", "leads"),
            new Monthly("tasks", "manager_id", "completed"),
            new Monthly("deal_outcomes", "pipeline, outcome, outcome_owner, channel, utm_source, tracking_number, "
                    + "campaign, lost_reason", "deals, amount, cycle_seconds"),
            new Monthly("outcome_channels", "outcome, channel, utm_source, tracking_number, campaign",
                    "deals, amount, cycle_seconds"),
            new Monthly("outcome_owners", "outcome, outcome_owner", "deals, amount, cycle_seconds"),
            new Monthly("lost_reasons", "lost_reason", "deals"),
            new Monthly("funnel", "pipeline, outcome, lost_reason, stages, last_stage", "deals"),
            new Monthly("stage_completions", "pipeline, stage, bucket", "deals"),
            new Monthly("payments", "channel, utm_source, tracking_number, campaign, customer_first", "payments, amount"),
            new Monthly("tickets", "category", "opened"),
            new Monthly("resolutions", "category, bucket", "resolved, resolution_seconds"),
            new Monthly("ratings", "category", "ratings, satisfied, rating_sum"))
            .flatMap(m -> m.statements().stream()).toList();

    private static final List<Sql> SUMS = Stream.concat(SUM_DAYS.stream(), SUM_MONTHS.stream()).toList();

    /**
     * Taken first by each summing transaction: two of them summing days of the same month one after the
     * other, each month sum sees the other's days.
     */
    private static final Sql LOCK = new Sql("select pg_advisory_xact_lock(48, hashtext(cast(:ws as text)))");

    private final AgroalDataSource dataSource;

    public RollupCompactor(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** System.nanoTime() before which scheduled runs are skipped. */
    private volatile long resumeAt = System.nanoTime();

    @Scheduled(every = "${crm.rollups.every}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        long start = System.nanoTime();
        if (start - resumeAt < 0) {
            return;
        }
        try {
            var workspaces = new ArrayList<UUID>();
            try (var c = dataSource.getConnection(); var st = DIRTY_WORKSPACES.prepare(c, new HashMap<>());
                 var rs = st.executeQuery()) {
                while (rs.next()) {
                    workspaces.add(rs.getObject(1, UUID.class));
                }
            }
            for (var ws : workspaces) {
                compact(ws, QUIET);
            }
        } catch (SQLException | RuntimeException e) {
            LOG.warnf("Summing the daily rollups failed, retried on the next run: %s", e.getMessage());
        }
        long end = System.nanoTime();
        resumeAt = end + (end - start) * PAUSE_PER_WORK;
    }

    /** Sums every dirty day of the workspace now (after a rebuild); returns how many. */
    public int compact(UUID workspace) throws SQLException {
        return compact(workspace, Duration.ZERO);
    }

    private int compact(UUID workspace, Duration quiet) throws SQLException {
        int total = 0;
        try (var c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            for (int summed = -1; summed != 0; total += summed) {
                summed = compactSome(c, workspace, quiet);
                c.commit();
            }
        }
        if (total > 0) {
            LOG.debugf("Summed %d dirty days of workspace %s", total, workspace);
        }
        return total;
    }

    private static int compactSome(Connection c, UUID workspace, Duration quiet) throws SQLException {
        var params = new HashMap<String, Object>();
        params.put("ws", workspace);
        params.put("quiet", quiet.toSeconds() + " seconds");
        try (var st = LOCK.prepare(c, params); var rs = st.executeQuery()) {
            rs.next();
        }
        var days = new ArrayList<String>();
        var months = new TreeSet<String>();
        try (var st = TAKE_DAYS.prepare(c, params); var rs = st.executeQuery()) {
            while (rs.next()) {
                var day = rs.getObject(1, OffsetDateTime.class).withOffsetSameInstant(ZoneOffset.UTC);
                days.add(day.toInstant().toString());
                months.add(day.withDayOfMonth(1).toInstant().toString());
            }
        }
        if (days.isEmpty()) {
            return 0;
        }
        params.put("days", days);
        params.put("months", List.copyOf(months));
        for (var sql : SUMS) {
            try (var st = sql.prepare(c, params)) {
                st.executeUpdate();
            }
        }
        return days.size();
    }
}
