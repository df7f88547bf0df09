package io.crmanalytics.ingest;

import io.crmanalytics.common.Sql;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Keeps lead_facts, deal_facts, payment_facts, activity_facts, task_facts and ticket_facts equal to "the
 * earliest creating event of each id" (and the first completion or resolution) over the event log,
 * manager_facts to the first event naming each managerId, and visit_facts and rating_facts to the
 * site.visit and ticket.rated events. On ingest it folds in the events just inserted; a rebuild folds
 * in all of them.
 * An upsert only replaces a row with an earlier event (by occurred_at, then eventId), so arrival order
 * never matters.
 */
public final class EntityFacts {

    /**
     * One upsert per fact, as SQL for a batch (only the eventIds in :ids) and for a rebuild (all events).
     * Two statements, not one with "(:all or event_id = any(:ids))": a generic plan cannot drop the OR
     * and would scan the workspace's whole log on every batch.
     */
    private record Fact(Set<String> eventTypes, Sql batch, Sql all) {

        /** eventTypes: the types it is made of, space separated; null for any type. */
        Fact(String eventTypes, String template) {
            this(eventTypes == null ? null : Set.of(eventTypes.split(" ")),
                    new Sql(template.formatted("and event_id = any(:ids)")), new Sql(template.formatted("")));
        }
    }

    private static final List<Fact> FACTS = List.of(
            new Fact("lead.created", """
                    insert into lead_facts as f (workspace_id, lead_id, created_at, event_id, manager_id, customer_id,
                                                 channel, campaign, utm_source, utm_campaign, tracking_number)
                    select distinct on (lead_id) workspace_id, lead_id, occurred_at, event_id, manager_id, customer_id,
                           channel, campaign, utm_source, utm_campaign, tracking_number
                    from events
                    where workspace_id = :ws and type = 'lead.created' %1$s
                    order by lead_id, occurred_at, event_id
                    on conflict (workspace_id, lead_id) do update set
                      created_at = excluded.created_at, event_id = excluded.event_id, manager_id = excluded.manager_id,
                      customer_id = excluded.customer_id, channel = excluded.channel, campaign = excluded.campaign,
                      utm_source = excluded.utm_source, utm_campaign = excluded.utm_campaign,
                      tracking_number = excluded.tracking_number
                    where (excluded.created_at, excluded.event_id) < (f.created_at, f.event_id)"""),
            new Fact("deal.created", """
                    insert into deal_facts as f (workspace_id, deal_id, created_at, event_id, pipeline, stage, lead_id,
                                                 customer_id, manager_id)
                    select distinct on (deal_id) workspace_id, deal_id, occurred_at, event_id, pipeline, stage, lead_id,
                           customer_id, manager_id
                    from events
                    where workspace_id = :ws and type = 'deal.created' %1$s
                    order by deal_id, occurred_at, event_id
                    on conflict (workspace_id, deal_id) do update set
                      created_at = excluded.created_at, event_id = excluded.event_id, pipeline = excluded.pipeline,
                      stage = excluded.stage, lead_id = excluded.lead_id, customer_id = excluded.customer_id,
                      manager_id = excluded.manager_id
                    where (excluded.created_at, excluded.event_id) < (f.created_at, f.event_id)"""),
            new Fact("payment.received", """
                    insert into payment_facts as f (workspace_id, payment_id, occurred_at, event_id, amount, customer_id,
                                                    deal_id)
                    select distinct on (subject_id) workspace_id, subject_id, occurred_at, event_id, amount, customer_id,
                           deal_id
                    from events
                    where workspace_id = :ws and type = 'payment.received' %1$s
                    order by subject_id, occurred_at, event_id
                    on conflict (workspace_id, payment_id) do update set
                      occurred_at = excluded.occurred_at, event_id = excluded.event_id, amount = excluded.amount,
                      customer_id = excluded.customer_id, deal_id = excluded.deal_id
                    where (excluded.occurred_at, excluded.event_id) < (f.occurred_at, f.event_id)"""),
            new Fact("call.logged meeting.logged message.sent", """
                    insert into activity_facts as f (workspace_id, type, activity_id, occurred_at, event_id, manager_id,
                                                     direction, answered, duration_sec)
                    select distinct on (type, subject_id) workspace_id, type, subject_id, occurred_at, event_id,
                           manager_id, direction, answered, duration_sec
                    from events
                    where workspace_id = :ws and type in ('call.logged', 'meeting.logged', 'message.sent') %1$s
                    order by type, subject_id, occurred_at, event_id
                    on conflict (workspace_id, type, activity_id) do update set
                      occurred_at = excluded.occurred_at, event_id = excluded.event_id, manager_id = excluded.manager_id,
                      direction = excluded.direction, answered = excluded.answered, duration_sec = excluded.duration_sec
                    where (excluded.occurred_at, excluded.event_id) < (f.occurred_at, f.event_id)"""),
            new Fact("task.created", """
                    insert into task_facts as f (workspace_id, task_id, created_at, event_id, manager_id, due_at)
                    select distinct on (subject_id) workspace_id, subject_id, occurred_at, event_id, manager_id, due_at
                    from events
                    where workspace_id = :ws and type = 'task.created' %1$s
                    order by subject_id, occurred_at, event_id
                    on conflict (workspace_id, task_id) do update set
                      created_at = excluded.created_at, event_id = excluded.event_id, manager_id = excluded.manager_id,
                      due_at = excluded.due_at
                    where f.created_at is null or (excluded.created_at, excluded.event_id) < (f.created_at, f.event_id)"""),
            firstTime("task.completed", "task_facts", "task_id", "done_at"),
            new Fact("ticket.opened", """
                    insert into ticket_facts as f (workspace_id, ticket_id, opened_at, event_id, category)
                    select distinct on (subject_id) workspace_id, subject_id, occurred_at, event_id, category
                    from events
                    where workspace_id = :ws and type = 'ticket.opened' %1$s
                    order by subject_id, occurred_at, event_id
                    on conflict (workspace_id, ticket_id) do update set
                      opened_at = excluded.opened_at, event_id = excluded.event_id, category = excluded.category
                    where f.opened_at is null or (excluded.opened_at, excluded.event_id) < (f.opened_at, f.event_id)"""),
            firstTime("ticket.resolved", "ticket_facts", "ticket_id", "resolved_at"),
            new Fact("site.visit", """
                    insert into visit_facts (workspace_id, event_id, visitor_id, occurred_at, channel, utm_source)
                    select workspace_id, event_id, subject_id, occurred_at, channel, utm_source
                    from events
                    where workspace_id = :ws and type = 'site.visit' %1$s
                    on conflict do nothing"""),
            new Fact("ticket.rated", """
                    insert into rating_facts (workspace_id, event_id, ticket_id, occurred_at, rating)
                    select workspace_id, event_id, subject_id, occurred_at, rating
                    from events
                    where workspace_id = :ws and type = 'ticket.rated' %1$s
                    on conflict do nothing"""),
            new Fact(null, """
                    insert into manager_facts as f (workspace_id, manager_id, first_seen_at)
                    select workspace_id, manager_id, min(occurred_at)
                    from events
                    where workspace_id = :ws and manager_id is not null %1$s
                    group by workspace_id, manager_id
                    -- rows locked in key order, like the other facts, so concurrent batches cannot deadlock
                    order by manager_id
                    on conflict (workspace_id, manager_id) do update set first_seen_at = excluded.first_seen_at
                    where excluded.first_seen_at < f.first_seen_at"""));

    private EntityFacts() {
    }

    /** The first time an event of this type names the id (a task's completion, a ticket's resolution). */
    private static Fact firstTime(String type, String table, String id, String column) {
        return new Fact(type, """
                insert into TABLE as f (workspace_id, ID, AT)
                select workspace_id, subject_id, min(occurred_at)
                from events
                where workspace_id = :ws and type = 'TYPE' %1$s
                group by workspace_id, subject_id
                on conflict (workspace_id, ID) do update set AT = excluded.AT
                where f.AT is null or excluded.AT < f.AT"""
                .replace("TABLE", table).replace("ID", id).replace("AT", column).replace("TYPE", type));
    }

    /**
     * Batches and rebuilds fold one at a time per workspace, holding this lock until they commit: a
     * batch's recomputation of an entity then sees the events of every batch committed before it, and a
     * rebuild never misses events committed while it runs. Events are inserted before taking it.
     */
    static void lock(Connection c, UUID workspace) throws SQLException {
        try (var st = c.prepareStatement("select pg_advisory_xact_lock(hashtext(?))")) {
            st.setString(1, "facts:" + workspace);
            st.execute();
        }
    }

    /** Folds the just-inserted events of these types into the facts, in the caller's transaction. */
    static void fold(Connection c, UUID workspace, Set<String> types, Collection<String> insertedIds)
            throws SQLException {
        for (var fact : FACTS) {
            // a fact of any event type (managers) is folded whatever the batch holds
            if (fact.eventTypes() == null || fact.eventTypes().stream().anyMatch(types::contains)) {
                run(c, fact, workspace, false, insertedIds);
            }
        }
    }

    /** Recomputes the workspace's facts from its whole event log, in the caller's transaction. */
    public static void rebuild(Connection c, UUID workspace) throws SQLException {
        lock(c, workspace);
        for (String table : List.of("deal_state", "deal_stays", "deal_stages", "pipeline_stages", "lead_facts",
                "deal_facts", "payment_facts", "manager_facts", "activity_facts", "task_facts", "ticket_facts",
                "visit_facts", "rating_facts")) {
            try (var st = c.prepareStatement("delete from " + table + " where workspace_id = ?")) {
                st.setObject(1, workspace);
                st.executeUpdate();
            }
        }
        for (var fact : FACTS) {
            run(c, fact, workspace, true, List.of());
        }
        EntityState.rebuild(c, workspace);
    }

    private static void run(Connection c, Fact fact, UUID workspace, boolean all, Collection<String> ids)
            throws SQLException {
        var params = new HashMap<String, Object>();
        params.put("ws", workspace);
        params.put("ids", ids);
        try (var st = (all ? fact.all() : fact.batch()).prepare(c, params)) {
            st.executeUpdate();
        }
    }
}
