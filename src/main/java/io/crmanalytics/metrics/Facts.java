package io.crmanalytics.metrics;

/**
 * The shared definitions of the contract ("Precise semantics") as SQL common table expressions over
 * the event log, as of :to. A query names the ones it needs after {@code with}, in this order, since
 * later ones read earlier ones. Events are ordered by (occurred_at, event_id); event_id sorts in
 * binary order ("C" collation).
 */
public final class Facts {

    private Facts() {
    }

    /**
     * Leads created before :to (lead_facts keeps the earliest lead.created of each leadId) with their
     * channel: their own, else utm.source mapped, else tracking number mapped, else 'unknown'.
     */
    public static final String LEADS = """
            leads as (
              select l.lead_id, l.created_at, l.event_id, l.manager_id, l.customer_id,
                     coalesce(l.channel, mu.channel, mt.channel, 'unknown') as channel,
                     coalesce(l.campaign, l.utm_campaign) as campaign
              from lead_facts l
              left join channel_mappings mu on mu.workspace_id = l.workspace_id and mu.kind = 'utm_source'
                                           and mu.key = lower(l.utm_source)
              left join channel_mappings mt on mt.workspace_id = l.workspace_id and mt.kind = 'tracking_number'
                                           and mt.key = l.tracking_number
              where l.workspace_id = :ws and l.created_at < :to)""";

    /** Deals that exist at :to: deal_facts keeps the earliest deal.created (pipeline, first stage, lead). */
    public static final String DEAL_CREATED = """
            deal_created as (
              select d.deal_id, d.created_at, d.event_id, d.pipeline, d.stage, d.lead_id, d.customer_id, d.manager_id
              from deal_facts d
              where d.workspace_id = :ws and d.created_at < :to)""";

    /**
     * Needs LEADS and DEAL_CREATED. Deals created before :to with their lead's attribution and their state as of :to: owner, the
     * outcome (the latest won/lost unless a stage change follows it) and the owner at that outcome. The
     * outcome columns are all null for a deal without an outcome, also for one reopened by a stage change.
     * Owners are found by sorting once, not by a subquery per deal (which scans every deal event each time).
     */
    public static final String DEALS = """
            deal_events as (
              select e.deal_id, e.type, e.occurred_at, e.event_id, e.manager_id, e.amount, e.reason
              from events e
              where e.workspace_id = :ws and e.deal_id is not null and e.occurred_at < :to
                and e.type in ('deal.created', 'deal.stage_changed', 'deal.won', 'deal.lost', 'deal.reassigned')),
            deal_last_outcome as (
              select distinct on (deal_id) deal_id, type, occurred_at, event_id, amount, reason
              from deal_events where type in ('deal.won', 'deal.lost')
              order by deal_id, occurred_at desc, event_id desc),
            deal_last_move as (
              select distinct on (deal_id) deal_id, occurred_at, event_id
              from deal_events where type = 'deal.stage_changed'
              order by deal_id, occurred_at desc, event_id desc),
            deal_outcome as (
              select lo.* from deal_last_outcome lo left join deal_last_move lm on lm.deal_id = lo.deal_id
              where lm.deal_id is null or (lm.occurred_at, lm.event_id) < (lo.occurred_at, lo.event_id)),
            deal_owner as (
              select distinct on (deal_id) deal_id, manager_id
              from deal_events where manager_id is not null
              order by deal_id, occurred_at desc, event_id desc),
            deal_outcome_owner as (
              select distinct on (o.deal_id) o.deal_id, o.manager_id
              from deal_events o join deal_outcome lo on lo.deal_id = o.deal_id
              where o.manager_id is not null and (o.occurred_at, o.event_id) <= (lo.occurred_at, lo.event_id)
              order by o.deal_id, o.occurred_at desc, o.event_id desc),
            deals as (
              select d.deal_id, d.created_at, d.pipeline, d.lead_id, d.customer_id,
                     l.created_at as lead_created_at,
                     coalesce(l.channel, 'unknown') as channel, l.campaign,
                     ow.manager_id as owner,
                     lo.type as outcome, lo.occurred_at as outcome_at,
                     lo.amount as outcome_amount, lo.reason as lost_reason,
                     oo.manager_id as outcome_owner
              from deal_created d
              left join leads l on l.lead_id = d.lead_id
              left join deal_owner ow on ow.deal_id = d.deal_id
              left join deal_outcome lo on lo.deal_id = d.deal_id
              left join deal_outcome_owner oo on oo.deal_id = d.deal_id)""";

    /**
     * Payments before :to, once per paymentId (payment_facts keeps the earliest copy), with the channel of the deal's
     * lead, else of the customer's first lead, else 'unknown'.
     */
    public static final String PAYMENTS = """
            payment_first as (
              select p.payment_id, p.occurred_at, p.event_id, p.amount, p.customer_id, p.deal_id
              from payment_facts p
              where p.workspace_id = :ws and p.occurred_at < :to),
            customer_first_lead as (
              select distinct on (customer_id) customer_id, channel, campaign
              from leads where customer_id is not null
              order by customer_id, created_at, event_id),
            payments as (
              select p.payment_id, p.occurred_at, p.event_id, p.amount, p.customer_id, p.deal_id,
                     case when dl.lead_id is not null then dl.channel else coalesce(cl.channel, 'unknown') end
                       as channel,
                     case when dl.lead_id is not null then dl.campaign else cl.campaign end as campaign
              from payment_first p
              left join deal_created dc on dc.deal_id = p.deal_id
              left join leads dl on dl.lead_id = dc.lead_id
              left join customer_first_lead cl on cl.customer_id = p.customer_id),
            customer_first_payment as (
              select distinct on (customer_id) customer_id, occurred_at, channel, campaign
              from payments
              order by customer_id, occurred_at, event_id)""";

    /** Site visits in the window with their channel: its own, else its utm.source mapped, else 'unknown'. */
    public static final String VISITS = """
            visits as (
              select e.subject_id as visitor_id, e.occurred_at,
                     coalesce(e.channel, mu.channel, 'unknown') as channel
              from events e
              left join channel_mappings mu on mu.workspace_id = e.workspace_id and mu.kind = 'utm_source'
                                           and mu.key = lower(e.utm_source)
              where e.workspace_id = :ws and e.type = 'site.visit' and e.occurred_at >= :from and e.occurred_at < :to)""";

    /**
     * Needs a CTE {@code window_leads(lead_id, created_at, manager_id)}. The first response to each:
     * the earliest outgoing call (answered or not), message or meeting naming the lead or one of its
     * deals, at or after the lead's creation and before :to; null when none. Two index lookups per
     * lead (by lead, by its deals) rather than one OR that would scan.
     */
    public static final String FIRST_RESPONSES = """
            responses as (
              select wl.lead_id, wl.created_at, wl.manager_id,
                     least(
                       (select min(r.occurred_at) from events r
                        where r.workspace_id = :ws and r.lead_id = wl.lead_id
                          and r.occurred_at >= wl.created_at and r.occurred_at < :to
                          and (r.type in ('message.sent', 'meeting.logged') or r.type = 'call.logged' and r.direction = 'out')),
                       (select min(r.occurred_at) from deal_facts dc
                        join events r on r.workspace_id = dc.workspace_id and r.deal_id = dc.deal_id
                        where dc.workspace_id = :ws and dc.lead_id = wl.lead_id and dc.created_at < :to
                          and r.occurred_at >= wl.created_at and r.occurred_at < :to
                          and (r.type in ('message.sent', 'meeting.logged') or r.type = 'call.logged' and r.direction = 'out'))
                     ) as first_at
              from window_leads wl)""";

    /** Filter predicates; an empty filter array means no narrowing. */
    public static String channelIn(String column) {
        return "(cardinality(:channels) = 0 or " + column + " = any(:channels))";
    }

    public static String managerIn(String column) {
        return "(cardinality(:managers) = 0 or " + column + " = any(:managers))";
    }

    public static String pipelineIn(String column) {
        return "(cardinality(:pipelines) = 0 or " + column + " = any(:pipelines))";
    }
}
