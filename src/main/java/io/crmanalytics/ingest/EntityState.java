package io.crmanalytics.ingest;

import io.crmanalytics.common.Sql;
import io.crmanalytics.metrics.Facts;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Keeps deal_state, deal_stays, deal_stages, pipeline_stages and the lead_facts status and response
 * columns equal to each deal's and lead's state after all of its events (see V21), each visit's
 * previous visit (V23) and each payment's attribution inputs (V26). A batch recomputes the entities it
 * touches from their events, so arrival order
 * never matters; a rebuild recomputes all of them.
 * Callers hold the workspace's lock exclusively: a recomputation then sees every committed event.
 */
final class EntityState {

    /** What a batch touches, read before the facts are folded (a deal's lead may change with them). */
    record Touched(Set<String> deals, Set<String> leads, Set<String> createdLeads, Set<String> visitors,
                   Set<String> createdDeals, Set<String> customers) {
    }

    /** A statement for a batch (ids in :ids) and for a rebuild (all), like EntityFacts. */
    private record Step(Sql batch, Sql all) {

        Step(String template) {
            this(new Sql(template.formatted("= any(:ids)")), new Sql(template.formatted("is not null")));
        }
    }

    // Only events that change a deal's or a lead's state touch it: a call naming a deal changes nothing
    // of the deal, but may answer the deal's lead.
    private static final Sql TOUCHED = new Sql("""
            with batch as (
              select e.deal_id, e.lead_id, e.type, e.subject_id, e.direction, e.customer_id from events e
              where e.workspace_id = :ws and e.event_id = any(:ids))
            select 'deal', e.deal_id from batch e where e.deal_id is not null and DEAL_EVENT_TYPES
            union
            select 'lead', e.lead_id from batch e
            where e.lead_id is not null and (e.type in ('lead.created', 'lead.qualified', 'lead.disqualified')
                                             or r_IS_RESPONSE)
            union
            select 'lead', d.lead_id from deal_facts d
            where d.workspace_id = :ws and d.lead_id is not null
              and d.deal_id in (select e.deal_id from batch e where e.type = 'deal.created' or r_IS_RESPONSE)
            union
            select 'created', lead_id from batch where type = 'lead.created'
            union
            select 'visitor', subject_id from batch where type = 'site.visit'
            union
            -- a payment reads of its deal only what deal.created and the deal's lead give
            select 'created deal', deal_id from batch where type = 'deal.created'
            union
            -- customers whose first lead or first payment may change: those named now and before
            select 'customer', customer_id from batch
            where customer_id is not null and type in ('lead.created', 'payment.received')
            union
            select 'customer', l.customer_id from lead_facts l
            where l.workspace_id = :ws and l.customer_id is not null
              and l.lead_id in (select lead_id from batch where type = 'lead.created')
            union
            select 'customer', p.customer_id from payment_facts p
            where p.workspace_id = :ws
              and p.payment_id in (select subject_id from batch where type = 'payment.received')"""
            .replace("DEAL_EVENT_TYPES", Facts.DEAL_EVENT_TYPES)
            .replace("r_IS_RESPONSE", Facts.IS_RESPONSE.replace("r.", "e.")));

    // deals whose lead's facts a batch changed, and leads of deals whose facts a batch changed
    private static final Sql DEALS_OF_LEADS = new Sql(
            "select deal_id from deal_facts where workspace_id = :ws and lead_id = any(:ids)");
    private static final Sql LEADS_OF_DEALS = new Sql(
            "select lead_id from deal_facts where workspace_id = :ws and deal_id = any(:ids) and lead_id is not null");

    private static final List<Step> DEAL_STEPS = List.of(
            new Step("delete from deal_state where workspace_id = :ws and deal_id %s"),
            new Step("delete from deal_stays where workspace_id = :ws and deal_id %s"),
            new Step("delete from deal_stages where workspace_id = :ws and deal_id %s"),
            new Step("""
                    insert into deal_state (workspace_id, deal_id, created_at, pipeline, lead_id, customer_id, last_at,
                                            owner, outcome, outcome_at, outcome_amount, lost_reason, outcome_owner,
                                            lead_created_at, lead_channel, lead_utm_source, lead_tracking_number,
                                            lead_campaign)
                    with deal_events as (
                      select e.deal_id, e.type, e.occurred_at, e.event_id, e.manager_id, e.amount, e.reason
                      from events e
                      where e.workspace_id = :ws and e.deal_id %1$s and DEAL_EVENT_TYPES),
                    DEAL_OUTCOMES,
                    deal_last as (select deal_id, max(occurred_at) as last_at from deal_events group by deal_id)
                    select d.workspace_id, d.deal_id, d.created_at, d.pipeline, d.lead_id, d.customer_id, dl.last_at,
                           ow.manager_id, lo.type, lo.occurred_at, lo.amount, lo.reason, oo.manager_id,
                           l.created_at, l.channel, l.utm_source, l.tracking_number, coalesce(l.campaign, l.utm_campaign)
                    from deal_facts d
                    join deal_last dl on dl.deal_id = d.deal_id
                    left join lead_facts l on l.workspace_id = d.workspace_id and l.lead_id = d.lead_id
                    left join deal_owner ow on ow.deal_id = d.deal_id
                    left join deal_outcome lo on lo.deal_id = d.deal_id
                    left join deal_outcome_owner oo on oo.deal_id = d.deal_id
                    where d.workspace_id = :ws and d.deal_id %1$s"""
                    .replace("DEAL_EVENT_TYPES", Facts.DEAL_EVENT_TYPES).replace("DEAL_OUTCOMES", Facts.DEAL_OUTCOMES)),
            new Step("""
                    insert into deal_stays (workspace_id, deal_id, stay, stage, began, ended)
                    with stay_cohort as (
                      select deal_id, pipeline, stage, created_at, event_id
                      from deal_facts where workspace_id = :ws and deal_id %1$s),
                    STAYS
                    select :ws, deal_id, stay, stage, began, ended from stays"""
                    .replace("STAYS", Facts.STAYS.replace(":to", "'infinity'::timestamptz"))),
            new Step("""
                    insert into deal_stages (workspace_id, deal_id, pipeline, stage, first_at, event_id)
                    select distinct on (deal_id, stage) :ws, deal_id, pipeline, stage, occurred_at, event_id
                    from (select d.deal_id, d.pipeline, d.stage, d.created_at as occurred_at, d.event_id
                          from deal_facts d where d.workspace_id = :ws and d.deal_id %1$s
                          union all
                          select d.deal_id, d.pipeline, e.stage, e.occurred_at, e.event_id
                          from deal_facts d join events e on e.workspace_id = d.workspace_id and e.deal_id = d.deal_id
                          where d.workspace_id = :ws and d.deal_id %1$s and e.type = 'deal.stage_changed'
                            and coalesce(e.pipeline, d.pipeline) = d.pipeline) s
                    order by deal_id, stage, occurred_at, event_id"""),
            new Step("""
                    update deal_state d
                    set stages = s.stages, last_stage = s.last_stage, current_since = s.current_since
                    from (select deal_id, array_agg(distinct stage) as stages,
                                 (array_agg(stage order by stay desc))[1] as last_stage,
                                 max(began) filter (where ended is null) as current_since
                          from deal_stays where workspace_id = :ws and deal_id %1$s
                          group by deal_id) s
                    where d.workspace_id = :ws and d.deal_id = s.deal_id"""),
            new Step("""
                    update deal_stages d
                    set completed_seconds = s.seconds, deal_created_at = ds.created_at, deal_last_at = ds.last_at,
                        owner = ds.owner, lead_created_at = ds.lead_created_at, lead_channel = ds.lead_channel,
                        lead_utm_source = ds.lead_utm_source, lead_tracking_number = ds.lead_tracking_number
                    from (select deal_id, stage, sum(extract(epoch from ended - began))::float8 as seconds
                          from deal_stays where workspace_id = :ws and deal_id %1$s and ended is not null
                          group by deal_id, stage) s
                    join deal_state ds on ds.workspace_id = :ws and ds.deal_id = s.deal_id
                    where d.workspace_id = :ws and d.deal_id = s.deal_id and d.stage = s.stage"""),
            new Step("""
                    insert into pipeline_stages (workspace_id, pipeline, stage)
                    select distinct :ws, pipeline, stage from deal_stages where workspace_id = :ws and deal_id %1$s
                    on conflict do nothing"""));

    private static final Step LEADS = new Step("""
            with figures as (
              select l.lead_id, st.type as status, st.occurred_at as status_at,
                     least(
                       (select min(r.occurred_at) from events r
                        where r.workspace_id = :ws and r.lead_id = l.lead_id and r.occurred_at >= l.created_at
                          and IS_RESPONSE),
                       (select min(r.occurred_at) from deal_facts dc
                        join events r on r.workspace_id = dc.workspace_id and r.deal_id = dc.deal_id
                        where dc.workspace_id = :ws and dc.lead_id = l.lead_id and r.occurred_at >= l.created_at
                          and IS_RESPONSE)) as first_response_at,
                     (select max(dc.created_at) from deal_facts dc
                      where dc.workspace_id = :ws and dc.lead_id = l.lead_id) as last_deal_at
              from lead_facts l
              left join lateral (
                select e.type, e.occurred_at from events e
                where e.workspace_id = :ws and e.lead_id = l.lead_id and e.type in ('lead.qualified', 'lead.disqualified')
                order by e.occurred_at desc, e.event_id desc
                limit 1) st on true
              where l.workspace_id = :ws and l.lead_id %1$s)
            update lead_facts l
            set status = f.status, status_at = f.status_at, first_response_at = f.first_response_at,
                last_deal_at = f.last_deal_at
            from figures f
            where l.workspace_id = :ws and l.lead_id = f.lead_id
              -- most touched leads keep their figures (a second call changes no first response); an update
              -- would still write every index these columns are in
              and (l.status, l.status_at, l.first_response_at, l.last_deal_at)
                  is distinct from (f.status, f.status_at, f.first_response_at, f.last_deal_at)"""
            .replace("IS_RESPONSE", Facts.IS_RESPONSE));

    private static final Step VISITS = new Step("""
            update visit_facts v set prev_at = p.prev_at
            from (select event_id, lag(occurred_at) over (partition by visitor_id order by occurred_at, event_id) as prev_at
                  from visit_facts where workspace_id = :ws and visitor_id %1$s) p
            where v.workspace_id = :ws and v.event_id = p.event_id and v.prev_at is distinct from p.prev_at""");

    // A payment's attribution inputs (V26): its customer's first payment and first lead, its deal's state.
    private static final Step PAYMENTS = new Step(new Sql(paymentsWhere("p.customer_id = any(:customers) or p.deal_id = any(:ids)")),
            new Sql(paymentsWhere("true")));

    private static String paymentsWhere(String condition) {
        return """
                update payment_facts p
                set customer_first = a.customer_first, deal_created_at = a.deal_created_at,
                    deal_lead_created_at = a.deal_lead_created_at, deal_lead_channel = a.deal_lead_channel,
                    deal_lead_utm_source = a.deal_lead_utm_source, deal_lead_tracking_number = a.deal_lead_tracking_number,
                    deal_lead_campaign = a.deal_lead_campaign, customer_lead_created_at = a.customer_lead_created_at,
                    customer_lead_channel = a.customer_lead_channel, customer_lead_utm_source = a.customer_lead_utm_source,
                    customer_lead_tracking_number = a.customer_lead_tracking_number,
                    customer_lead_campaign = a.customer_lead_campaign
                from (select p.payment_id,
                             not exists (select 1 from payment_facts q
                                         where q.workspace_id = p.workspace_id and q.customer_id = p.customer_id
                                           and (q.occurred_at, q.event_id) < (p.occurred_at, p.event_id)) as customer_first,
                             s.created_at as deal_created_at, s.lead_created_at as deal_lead_created_at,
                             s.lead_channel as deal_lead_channel, s.lead_utm_source as deal_lead_utm_source,
                             s.lead_tracking_number as deal_lead_tracking_number, s.lead_campaign as deal_lead_campaign,
                             cl.created_at as customer_lead_created_at, cl.channel as customer_lead_channel,
                             cl.utm_source as customer_lead_utm_source, cl.tracking_number as customer_lead_tracking_number,
                             coalesce(cl.campaign, cl.utm_campaign) as customer_lead_campaign
                      from payment_facts p
                      left join deal_state s on s.workspace_id = p.workspace_id and s.deal_id = p.deal_id
                      left join lateral (
                        select l.created_at, l.channel, l.utm_source, l.tracking_number, l.campaign, l.utm_campaign
                        from lead_facts l
                        where l.workspace_id = p.workspace_id and l.customer_id = p.customer_id
                        order by l.created_at, l.event_id
                        limit 1) cl on true
                      where p.workspace_id = :ws and (%s)) a
                where p.workspace_id = :ws and p.payment_id = a.payment_id
                  -- rows that stay the same are not rewritten
                  and (p.customer_first, p.deal_created_at, p.deal_lead_created_at, p.deal_lead_channel,
                       p.deal_lead_utm_source, p.deal_lead_tracking_number, p.deal_lead_campaign,
                       p.customer_lead_created_at, p.customer_lead_channel, p.customer_lead_utm_source,
                       p.customer_lead_tracking_number, p.customer_lead_campaign)
                      is distinct from
                      (a.customer_first, a.deal_created_at, a.deal_lead_created_at, a.deal_lead_channel,
                       a.deal_lead_utm_source, a.deal_lead_tracking_number, a.deal_lead_campaign,
                       a.customer_lead_created_at, a.customer_lead_channel, a.customer_lead_utm_source,
                       a.customer_lead_tracking_number, a.customer_lead_campaign)""".formatted(condition);
    }

    private EntityState() {
    }

    /** The deals and leads named by the inserted events, before their facts are folded. */
    static Touched touched(Connection c, UUID workspace, Collection<String> insertedIds) throws SQLException {
        var touched = new Touched(new TreeSet<>(), new TreeSet<>(), new TreeSet<>(), new TreeSet<>(), new TreeSet<>(),
                new TreeSet<>());
        try (var st = TOUCHED.prepare(c, params(workspace, insertedIds)); var rs = st.executeQuery()) {
            while (rs.next()) {
                switch (rs.getString(1)) {
                    case "deal" -> touched.deals().add(rs.getString(2));
                    case "lead" -> touched.leads().add(rs.getString(2));
                    case "visitor" -> touched.visitors().add(rs.getString(2));
                    case "created deal" -> touched.createdDeals().add(rs.getString(2));
                    case "customer" -> touched.customers().add(rs.getString(2));
                    default -> touched.createdLeads().add(rs.getString(2));
                }
            }
        }
        return touched;
    }

    /** Recomputes what the batch touched, after its facts were folded. */
    static void refresh(Connection c, UUID workspace, Touched touched) throws SQLException {
        var deals = new TreeSet<>(touched.deals());
        var leads = new TreeSet<>(touched.leads());
        // the deals whose payments' attribution inputs may change: created now, or their lead was
        var paymentDeals = new TreeSet<>(touched.createdDeals());
        if (!touched.createdLeads().isEmpty()) {
            select(c, DEALS_OF_LEADS, workspace, touched.createdLeads(), paymentDeals);
            deals.addAll(paymentDeals);
        }
        if (!touched.deals().isEmpty()) {
            select(c, LEADS_OF_DEALS, workspace, touched.deals(), leads);
        }
        if (!deals.isEmpty()) {
            for (var step : DEAL_STEPS) {
                run(c, step.batch(), workspace, deals);
            }
        }
        if (!leads.isEmpty()) {
            run(c, LEADS.batch(), workspace, leads);
        }
        if (!touched.visitors().isEmpty()) {
            run(c, VISITS.batch(), workspace, touched.visitors());
        }
        if (!paymentDeals.isEmpty() || !touched.customers().isEmpty()) {
            var params = params(workspace, paymentDeals);
            params.put("customers", touched.customers());
            try (var st = PAYMENTS.batch().prepare(c, params)) {
                st.executeUpdate();
            }
        }
    }

    /** Recomputes every deal and lead of the workspace, after its facts were rebuilt. */
    static void rebuild(Connection c, UUID workspace) throws SQLException {
        for (var step : DEAL_STEPS) {
            run(c, step.all(), workspace, List.of());
        }
        run(c, LEADS.all(), workspace, List.of());
        run(c, VISITS.all(), workspace, List.of());
        run(c, PAYMENTS.all(), workspace, List.of());
    }

    private static void select(Connection c, Sql sql, UUID workspace, Collection<String> ids, Set<String> into)
            throws SQLException {
        try (var st = sql.prepare(c, params(workspace, ids)); var rs = st.executeQuery()) {
            while (rs.next()) {
                into.add(rs.getString(1));
            }
        }
    }

    private static void run(Connection c, Sql sql, UUID workspace, Collection<String> ids) throws SQLException {
        try (var st = sql.prepare(c, params(workspace, ids))) {
            st.executeUpdate();
        }
    }

    private static HashMap<String, Object> params(UUID workspace, Collection<String> ids) {
        var params = new HashMap<String, Object>();
        params.put("ws", workspace);
        params.put("ids", ids);
        return params;
    }
}
