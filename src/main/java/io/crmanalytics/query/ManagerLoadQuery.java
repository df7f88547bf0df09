package io.crmanalytics.query;

import static io.crmanalytics.metrics.Facts.channelIn;
import static io.crmanalytics.metrics.Facts.managerIn;
import static io.crmanalytics.metrics.Facts.pipelineIn;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.agroal.api.AgroalDataSource;
import io.crmanalytics.common.Sql;
import io.crmanalytics.metrics.Facts;
import io.crmanalytics.metrics.MetricQuery;
import io.crmanalytics.metrics.ResponseTimes;
import io.crmanalytics.metrics.Rollups;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.math.MathContext;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Manager load: per manager of the team, open deals and tasks as of to, activity and results over
 * [from, to), and the load index against the team mean.
 *
 * <p>Filters: channel and pipeline narrow deals (openDeals, dealsWon, revenue, winRate), channel also
 * the leads behind medianFirstResponseMinutes; tasks, calls, meetings and messages are no lead, deal or
 * payment, so no filter narrows them. The team mean behind loadIndex is of the same filtered figures,
 * so the index compares like with like. managerId only narrows the rows shown: every figure of a row
 * already belongs to that manager, and loadIndex stays relative to the whole team, so a manager's row
 * reads the same with or without the filter.
 */
@ApplicationScoped
public class ManagerLoadQuery {

    @Schema(name = "ManagerCalls", description = "call.logged in the window by this manager, each callId once")
    public record Calls(
            long total,
            @JsonProperty("in") @Schema(name = "in", description = "Incoming calls") long inbound,
            @JsonProperty("out") @Schema(name = "out", description = "Outgoing calls") long outbound,
            long answered,
            @Schema(description = "Sum of durationSec / 60 over all of them, answered or not")
            BigDecimal talkMinutes) {
    }

    @Schema(name = "ManagerLoad")
    public record ManagerLoad(
            String managerId,
            @Schema(description = "Deals created before 'to' and open at 'to', by their owner at 'to'") long openDeals,
            @Schema(description = "Tasks created before 'to' (the first task.created gives manager and dueAt) "
                    + "and not completed by 'to'") long openTasks,
            @Schema(description = "Open tasks with dueAt before 'to'; a task without dueAt is never overdue")
            long overdueTasks,
            @Schema(description = "Tasks whose first task.completed is in the window") long tasksCompleted,
            Calls calls,
            @Schema(description = "meeting.logged in the window, each meetingId once") long meetings,
            @Schema(description = "message.sent in the window, each messageId once") long messages,
            @Schema(description = "Deals won in the window by their owner at the outcome") long dealsWon,
            @Schema(description = "Sum of the deal.won amounts of those deals") BigDecimal revenue,
            @Schema(description = "won / (won + lost) in the window by the owner at the outcome") Double winRate,
            @Schema(description = "Median minutes to the first outgoing call, message or meeting over the leads "
                    + "this manager created in the window that were answered by 'to'")
            Double medianFirstResponseMinutes,
            @Schema(description = "(openDeals + openTasks) / the team's mean of the same; null if that mean is 0")
            Double loadIndex) {
    }

    @Schema(name = "ManagerLoadView", description = "One row per manager of the team, ordered by managerId")
    public record ManagerLoadView(List<ManagerLoad> managers) {
    }

    // The team is every managerId on any event before :to, whatever the type (also a later, ignored
    // lead.created): managers with nothing open still lower the team mean. A call without managerId is
    // in no row (there is no team total here), but an outgoing one still answers the lead it names.
    // Calls, meetings and messages count once per callId/meetingId/messageId, at their earliest copy,
    // as a payment counts once per paymentId: a CRM re-sending an activity under a new eventId is
    // still one activity.
    private static final Sql SQL = new Sql(("with " + Facts.MAPPING_ARRAYS + ",\n" + Facts.LEADS + ",\n" + Facts.DEALS
            + ",\n" + Rollups.WINDOW + ",\n" + Facts.outcomeRows(Facts.OWNER_OUTCOME_ROLLUP) + """
            ,
            team as (
              select m.manager_id from manager_facts m
              where m.workspace_id = :ws and m.first_seen_at < :to),
            -- the deals without events at or after :to straight from the covering index deal_state_open
            -- (V35), the others as of :to
            -- (each part counted per manager before the union: most open deals and tasks are in the first)
            open_deals as (
              select manager_id, sum(n) as open_deals
              from (select s.owner as manager_id, count(*) as n
                    from deal_state s
                    where s.workspace_id = :ws and s.outcome is null and s.created_at < :to and s.last_at < :to
                      and %8$s
                      and (cardinality(:channels) = 0
                           or case when s.lead_created_at < :to then %9$s else 'unknown' end = any(:channels))
                    group by s.owner
                    union all
                    select d.owner, count(*)
                    from deals d
                    where d.last_at >= :to and d.outcome is null and %1$s and %2$s
                    group by d.owner) d
              group by manager_id),
            -- revenue 0 (not 0.00) without won deals, also when rollup shares cancel out
            closed_deals as (
              select d.outcome_owner as manager_id,
                     coalesce(sum(d.deals) filter (where d.outcome = 'deal.won'), 0) as won,
                     coalesce(sum(d.deals) filter (where d.outcome = 'deal.lost'), 0) as lost,
                     case when coalesce(sum(d.deals) filter (where d.outcome = 'deal.won'), 0) = 0 then 0
                          else sum(d.amount) filter (where d.outcome = 'deal.won') end as revenue
              from outcome_rows d
              where %1$s and %2$s
              group by d.outcome_owner),
            -- open at the end of the window: not done, or done at or after it (two index range scans);
            -- completed in the window: whole clean UTC days from the daily rollup, but for the tasks
            -- created after their completion (counted only when created before :to), the rest from the facts
            task_figures as (
              select manager_id, sum(open) as open_tasks, sum(overdue) as overdue_tasks,
                     sum(completed) as tasks_completed
              from (select t.manager_id, count(*) as open, count(*) filter (where t.due_at < :to) as overdue,
                           0 as completed
                    from task_facts t
                    where t.workspace_id = :ws and t.created_at < :to and t.done_at is null
                    group by t.manager_id
                    union all
                    select t.manager_id, 1, (t.due_at < :to)::int, 0
                    from task_facts t
                    where t.workspace_id = :ws and t.created_at < :to and t.done_at >= :to
                    union all
                    select r.manager_id, 0, 0, r.completed
                    from %5$s r
                    union all
                    select t.manager_id, 0, 0, 1
                    from task_facts t
                    where t.workspace_id = :ws and t.created_at > t.done_at and t.created_at < :to
                      and t.done_at >= :dayFrom and t.done_at < :dayTo
                      and date_trunc('day', t.done_at, 'UTC') not in (select day from dirty_days)
                    union all
                    select t.manager_id, 0, 0, 1
                    from fact_ranges f
                    join task_facts t on t.workspace_id = :ws and t.done_at >= f.lo and t.done_at < f.hi
                    where t.created_at < :to) t
              group by manager_id),
            -- whole clean UTC days from the daily rollup, the rest of the window from the facts
            activities as (
              select r.manager_id, r.type, r.direction, r.answered, r.activities as n, r.duration_sec
              from %10$s r
              union all
              select a.manager_id, a.type, a.direction, a.answered, 1, a.duration_sec
              from fact_ranges f
              join activity_facts a on a.workspace_id = :ws and a.occurred_at >= f.lo and a.occurred_at < f.hi
              where a.manager_id is not null),
            activity_figures as (
              select a.manager_id,
                     coalesce(sum(n) filter (where a.type = 'call.logged'), 0) as calls,
                     coalesce(sum(n) filter (where a.type = 'call.logged' and a.direction = 'in'), 0) as calls_in,
                     coalesce(sum(n) filter (where a.type = 'call.logged' and a.direction = 'out'), 0) as calls_out,
                     coalesce(sum(n) filter (where a.type = 'call.logged' and a.answered), 0) as calls_answered,
                     coalesce(sum(a.duration_sec) filter (where a.type = 'call.logged'), 0) as talk_seconds,
                     coalesce(sum(n) filter (where a.type = 'meeting.logged'), 0) as meetings,
                     coalesce(sum(n) filter (where a.type = 'message.sent'), 0) as messages
              from activities a
              group by a.manager_id),
            -- first response as KpiQuery defines it: by anyone, on the lead or one of its deals
            window_leads as (
              select l.lead_id, l.created_at, l.manager_id, l.first_response_at, l.last_deal_at from leads l
              where l.created_at >= :from and l.manager_id is not null and %3$s),
            """ + Facts.FIRST_RESPONSES + """
            ,
            %6$s,
            %7$s,
            response_figures as (
              select grp as manager_id, median as median_first_response from response_percentiles),
            figures as (
              select m.manager_id,
                     coalesce(od.open_deals, 0) as open_deals, coalesce(tf.open_tasks, 0) as open_tasks,
                     coalesce(tf.overdue_tasks, 0) as overdue_tasks, coalesce(tf.tasks_completed, 0) as tasks_completed,
                     coalesce(af.calls, 0) as calls, coalesce(af.calls_in, 0) as calls_in,
                     coalesce(af.calls_out, 0) as calls_out, coalesce(af.calls_answered, 0) as calls_answered,
                     coalesce(af.talk_seconds, 0) as talk_seconds,
                     coalesce(af.meetings, 0) as meetings, coalesce(af.messages, 0) as messages,
                     coalesce(cd.won, 0) as won, coalesce(cd.lost, 0) as lost, coalesce(cd.revenue, 0) as revenue,
                     rf.median_first_response
              from team m
              left join open_deals od using (manager_id)
              left join closed_deals cd using (manager_id)
              left join task_figures tf using (manager_id)
              left join activity_figures af using (manager_id)
              left join response_figures rf using (manager_id))
            select f.*, (select avg(open_deals + open_tasks)::float8 from figures) as team_mean_load
            from figures f
            where %4$s
            order by f.manager_id collate "C"
            """).formatted(channelIn("d.channel"), pipelineIn("d.pipeline"), channelIn("l.channel"),
                    managerIn("f.manager_id"), Rollups.clean("tasks"),
                    ResponseTimes.MANAGER_GROUPS,
                    ResponseTimes.percentiles("manager_id", "l.manager_id is not null", false), pipelineIn("s.pipeline"),
                    Facts.mappedChannel("s.lead_channel", "s.lead_utm_source", "s.lead_tracking_number"),
                    Rollups.clean("activity")));

    private static final BigDecimal SECONDS_PER_MINUTE = BigDecimal.valueOf(60);

    private final AgroalDataSource dataSource;

    public ManagerLoadQuery(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    public ManagerLoadView run(MetricQuery query) {
        var rows = new ArrayList<ManagerLoad>();
        try (var c = dataSource.getConnection(); var st = SQL.prepare(c, query.params());
             var rs = st.executeQuery()) {
            while (rs.next()) {
                long won = rs.getLong("won");
                long load = rs.getLong("open_deals") + rs.getLong("open_tasks");
                rows.add(new ManagerLoad(rs.getString("manager_id"), rs.getLong("open_deals"), rs.getLong("open_tasks"),
                        rs.getLong("overdue_tasks"), rs.getLong("tasks_completed"),
                        new Calls(rs.getLong("calls"), rs.getLong("calls_in"), rs.getLong("calls_out"),
                                rs.getLong("calls_answered"), minutes(rs.getLong("talk_seconds"))),
                        rs.getLong("meetings"), rs.getLong("messages"), won, rs.getBigDecimal("revenue"),
                        Kpis.ratio(won, won + rs.getLong("lost")),
                        KpiQuery.nullableDouble(rs, "median_first_response"),
                        Kpis.ratio(load, rs.getDouble("team_mean_load"))));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Manager load query failed", e);
        }
        return new ManagerLoadView(rows);
    }

    /**
     * An exact decimal (90 s → 1.5), not a double: it is a sum, so compare=previous treats it like a count
     * (0 for a manager absent from the previous window) rather than like a ratio.
     */
    private static BigDecimal minutes(long seconds) {
        return BigDecimal.valueOf(seconds).divide(SECONDS_PER_MINUTE, MathContext.DECIMAL64);
    }
}
