package io.crmanalytics.metrics;

import java.util.function.UnaryOperator;

/**
 * The shared definitions of the contract ("Precise semantics") as SQL common table expressions over
 * the event log, as of :to. A query names the ones it needs after {@code with}, in this order, since
 * later ones read earlier ones. Events are ordered by (occurred_at, event_id); event_id sorts in
 * binary order ("C" collation).
 */
public final class Facts {

    private Facts() {
    }

    /** An outgoing call (answered or not), a message or a meeting, as event {@code r}: a response to a lead. */
    public static final String IS_RESPONSE =
            "(r.type in ('message.sent', 'meeting.logged') or r.type = 'call.logged' and r.direction = 'out')";

    /**
     * Leads created before :to (lead_facts keeps the earliest lead.created of each leadId) with their
     * channel: their own, else utm.source mapped, else tracking number mapped, else 'unknown'; and the
     * lead's derived status and first response (see the lead_facts columns of V21).
     */
    public static final String LEADS = """
            leads as not materialized (
              select l.lead_id, l.created_at, l.event_id, l.manager_id, l.customer_id,
                     coalesce(l.channel, mu.channel, mt.channel, 'unknown') as channel,
                     coalesce(l.campaign, l.utm_campaign) as campaign,
                     l.status, l.status_at, l.first_response_at, l.last_deal_at
              from lead_facts l
              left join channel_mappings mu on mu.workspace_id = l.workspace_id and mu.kind = 'utm_source'
                                           and mu.key = lower(l.utm_source)
              left join channel_mappings mt on mt.workspace_id = l.workspace_id and mt.kind = 'tracking_number'
                                           and mt.key = l.tracking_number
              where l.workspace_id = :ws and l.created_at < :to)""";

    /** The deal.* events that make a deal's state; {@code e} is the events table. */
    public static final String DEAL_EVENT_TYPES =
            "e.type in ('deal.created', 'deal.stage_changed', 'deal.won', 'deal.lost', 'deal.reassigned')";

    /**
     * Needs a CTE {@code deal_events(deal_id, type, occurred_at, event_id, manager_id, amount, reason)}
     * with the events that count. Per deal: the outcome (the latest won/lost unless a stage change
     * follows it; no row for a deal without one or reopened), the owner (the latest managerId) and the
     * owner at the outcome. Owners are found by sorting once, not by a subquery per deal.
     */
    public static final String DEAL_OUTCOMES = """
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
              order by o.deal_id, o.occurred_at desc, o.event_id desc)""";

    /**
     * A deal's channel and campaign from deal_state {@code s} and the mappings {@code mu} (utm_source)
     * and {@code mt} (tracking number) of its lead: only a lead created before :to counts.
     */
    private static final String DEAL_ATTRIBUTION = """
            case when s.lead_created_at < :to then s.lead_created_at end as lead_created_at,
            case when s.lead_created_at < :to then coalesce(s.lead_channel, mu.channel, mt.channel, 'unknown')
                 else 'unknown' end as channel,
            case when s.lead_created_at < :to then s.lead_campaign end as campaign""";

    private static final String DEAL_MAPPINGS = """
            left join channel_mappings mu on mu.workspace_id = s.workspace_id and mu.kind = 'utm_source'
                                         and mu.key = lower(s.lead_utm_source)
            left join channel_mappings mt on mt.workspace_id = s.workspace_id and mt.kind = 'tracking_number'
                                         and mt.key = s.lead_tracking_number""";

    /**
     * Deals created before :to with their lead's attribution and their state as of :to: owner, outcome and
     * the owner at that outcome (outcome columns null for a deal without an outcome, also for one
     * reopened). A deal without events at or after :to is its derived deal_state row, read in place so a
     * query's conditions reach the table; only the others, the deals alive at :to (deal_base; none when
     * :to is now), are worked out from their events. The funnel columns (stages, last_stage,
     * current_since) are null for those; the funnel works out their stays itself. settled: the deal has no
     * event and no lead created at or after :to, so its state and attribution are those of its row now
     * (what the daily rollups hold).
     */
    private static String deals(String alive) {
        return """
            deal_base as (
              select s.deal_id, s.created_at, s.pipeline, s.lead_id, s.customer_id, s.last_at,
                     %1$s
              from deal_state s
              %2$s
              where s.workspace_id = :ws and s.created_at < :to and s.last_at >= :to and %5$s),
            -- looked up per deal ("offset 0" keeps the lateral subquery from being flattened into a join,
            -- which PostgreSQL may run as a merge join over the workspace's whole events_deal index)
            deal_events as (
              select e.deal_id, e.type, e.occurred_at, e.event_id, e.manager_id, e.amount, e.reason
              from deal_base b
              cross join lateral (select e.deal_id, e.type, e.occurred_at, e.event_id, e.manager_id, e.amount, e.reason
                                  from events e
                                  where e.workspace_id = :ws and e.deal_id = b.deal_id and e.occurred_at < :to
                                    and %3$s
                                  offset 0) e),
            %4$s,
            -- inlined into each reference, so each reads deal_state with its own conditions (and index)
            deals as not materialized (
              select s.deal_id, s.created_at, s.pipeline, s.lead_id, s.customer_id, s.last_at,
                     %1$s,
                     s.owner, s.outcome, s.outcome_at, s.outcome_amount, s.lost_reason, s.outcome_owner,
                     s.stages, s.last_stage, s.current_since, greatest(s.last_at, s.lead_created_at) < :to as settled
              from deal_state s
              %2$s
              where s.workspace_id = :ws and s.created_at < :to and s.last_at < :to
              union all
              select b.deal_id, b.created_at, b.pipeline, b.lead_id, b.customer_id, b.last_at, b.lead_created_at,
                     b.channel, b.campaign, ow.manager_id, lo.type, lo.occurred_at, lo.amount, lo.reason, oo.manager_id,
                     null, null, null, false
              from deal_base b
              left join deal_owner ow on ow.deal_id = b.deal_id
              left join deal_outcome lo on lo.deal_id = b.deal_id
              left join deal_outcome_owner oo on oo.deal_id = b.deal_id)""".formatted(DEAL_ATTRIBUTION, DEAL_MAPPINGS,
            DEAL_EVENT_TYPES, DEAL_OUTCOMES, alive);
    }

    public static final String DEALS = deals("true");

    /**
     * {@link #DEALS} for the reports that read only the deals whose outcome as of :to is in the window
     * (outcome_rows, the cycle median): of the deals alive at :to (tens of thousands when :to is in the
     * past, none when it is now) only those with a won or lost event in [from, to) are worked out from
     * their events. The test is one index-only probe per alive deal ("limit 1" keeps it a probe, not a
     * join that scans the window's events by deal).
     */
    public static final String OUTCOME_DEALS = deals("""
            (select 1 from events e
             where e.workspace_id = :ws and e.deal_id = s.deal_id and e.type in ('deal.won', 'deal.lost')
               and e.occurred_at >= :from and e.occurred_at < :to
             limit 1) is not null""");

    /**
     * The rollup keys of a deal_state row {@code s}'s lead: its channel, else its mapping keys (lower
     * utm_source, tracking number), and its campaign; all null for a deal without a lead.
     */
    public static final String DEAL_OUTCOME_KEYS = """
            case when s.lead_created_at is not null then s.lead_channel end,
            case when s.lead_created_at is not null and s.lead_channel is null then lower(s.lead_utm_source) end,
            case when s.lead_created_at is not null and s.lead_channel is null then s.lead_tracking_number end,
            case when s.lead_created_at is not null then s.lead_campaign end""";

    /** Seconds from the lead's (else the deal's) creation to the outcome of a won deal {@code alias}; else null. */
    public static String cycleSeconds(String alias) {
        return "case when %1$s.outcome = 'deal.won' then extract(epoch from %1$s.outcome_at - coalesce(%1$s.lead_created_at, %1$s.created_at)) end"
                .formatted(alias);
    }

    /** The channel mappings of rows {@code alias} with the rollups' utm_source and tracking_number keys. */
    public static String keyMappings(String alias) {
        return """
                left join channel_mappings mu on mu.workspace_id = %1$s.workspace_id and mu.kind = 'utm_source'
                                             and mu.key = %1$s.utm_source
                left join channel_mappings mt on mt.workspace_id = %1$s.workspace_id and mt.kind = 'tracking_number'
                                             and mt.key = %1$s.tracking_number""".formatted(alias);
    }

    /**
     * The lead rollup rows from {@code table} (of a rollup's name: its daily rows, or {@link Rollups#clean}),
     * from the narrower lead_channels (V38, manager_id null) unless the report is narrowed by manager.
     */
    public static String leadRollup(UnaryOperator<String> table) {
        return """
                (select r.workspace_id, r.day, r.manager_id, r.channel, r.utm_source, r.tracking_number, r.campaign,
                        r.status, r.answered, r.leads
                 from %s r where cardinality(:managers) > 0
                 union all
                 select r.workspace_id, r.day, null, r.channel, r.utm_source, r.tracking_number, r.campaign, r.status,
                        r.answered, r.leads
                 from %s r where cardinality(:managers) = 0)""".formatted(table.apply("leads"),
                table.apply("lead_channels"));
    }

    /**
     * The window's clean deal outcome rollup rows with their lost reason, from the narrower lost_reasons
     * (V40: lost deals only, lost reason alone) unless the report is narrowed by channel, manager or
     * pipeline (/lost-reasons).
     */
    public static final String LOST_REASON_ROLLUP = """
            (select r.workspace_id, r.day, r.pipeline, r.outcome, r.outcome_owner, r.channel, r.utm_source,
                    r.tracking_number, r.campaign, r.lost_reason, r.deals, r.amount, r.cycle_seconds
             from %s r
             where cardinality(:channels) > 0 or cardinality(:managers) > 0 or cardinality(:pipelines) > 0
             union all
             select r.workspace_id, r.day, null, 'deal.lost', null, null, null, null, null, r.lost_reason, r.deals, 0, 0
             from %s r
             where cardinality(:channels) = 0 and cardinality(:managers) = 0 and cardinality(:pipelines) = 0)"""
            .formatted(Rollups.clean("deal_outcomes"), Rollups.clean("lost_reasons"));

    /**
     * The window's clean deal outcome rollup rows, from the narrower outcome_owners (V39: pipeline, channel
     * keys, campaign and lost_reason null) unless the report is narrowed by channel or pipeline (/managers).
     */
    public static final String OWNER_OUTCOME_ROLLUP = """
            (select r.workspace_id, r.day, r.pipeline, r.outcome, r.outcome_owner, r.channel, r.utm_source,
                    r.tracking_number, r.campaign, r.lost_reason, r.deals, r.amount, r.cycle_seconds
             from %s r where cardinality(:channels) > 0 or cardinality(:pipelines) > 0
             union all
             select r.workspace_id, r.day, null, r.outcome, r.outcome_owner, null, null, null, null, null, r.deals,
                    r.amount, r.cycle_seconds
             from %s r where cardinality(:channels) = 0 and cardinality(:pipelines) = 0)"""
            .formatted(Rollups.clean("deal_outcomes"), Rollups.clean("outcome_owners"));

    /**
     * The window's clean deal outcome rollup rows, from the narrower outcome_channels (V38: pipeline,
     * outcome_owner and lost_reason null) unless the report is narrowed by manager or pipeline.
     */
    public static final String CHANNEL_OUTCOME_ROLLUP = """
            (select r.workspace_id, r.day, r.pipeline, r.outcome, r.outcome_owner, r.channel, r.utm_source,
                    r.tracking_number, r.campaign, r.lost_reason, r.deals, r.amount, r.cycle_seconds
             from %s r where cardinality(:managers) > 0 or cardinality(:pipelines) > 0
             union all
             select r.workspace_id, r.day, null, r.outcome, null, r.channel, r.utm_source, r.tracking_number,
                    r.campaign, null, r.deals, r.amount, r.cycle_seconds
             from %s r where cardinality(:managers) = 0 and cardinality(:pipelines) = 0)"""
            .formatted(Rollups.clean("deal_outcomes"), Rollups.clean("outcome_channels"));

    /**
     * Needs {@link #DEALS} and {@link Rollups#WINDOW}. The deals whose outcome as of :to is in the window,
     * as {@code outcome_rows(pipeline, outcome, outcome_owner, channel, campaign, lost_reason, deals, amount,
     * cycle_seconds)} to be summed: the window's whole clean UTC days from {@code rollup} (V32), less
     * the share there of the deals not settled at :to, plus one row per deal for those (as of :to, wherever
     * their outcome is in the window) and for the settled ones of the partial and dirty days.
     */
    public static String outcomeRows(String rollup) {
        return """
            outcome_rows as (
              select r.pipeline, r.outcome, r.outcome_owner, coalesce(r.channel, mu.channel, mt.channel, 'unknown') as channel,
                     r.campaign, r.lost_reason, r.deals, r.amount, r.cycle_seconds
              from %2$s r
              %1$s
              union all
              select k.pipeline, k.outcome, k.outcome_owner, coalesce(k.channel, mu.channel, mt.channel, 'unknown'),
                     k.campaign, k.lost_reason, -1, -k.amount, -k.cycle_seconds
              from (select s.workspace_id, s.pipeline, s.outcome, s.outcome_owner, %3$s, s.lost_reason,
                           coalesce(s.outcome_amount, 0), coalesce(%4$s, 0)
                    from deal_state s
                    where s.workspace_id = :ws and greatest(s.last_at, s.lead_created_at) >= :to and s.outcome is not null
                      and s.outcome_at >= :dayFrom and s.outcome_at < :dayTo
                      and date_trunc('day', s.outcome_at, 'UTC') not in (select day from dirty_days))
                   k(workspace_id, pipeline, outcome, outcome_owner, channel, utm_source, tracking_number, campaign,
                     lost_reason, amount, cycle_seconds)
              %5$s
              union all
              -- settled: as of :to they are their rows now (read by index, not through deals)
              select k.pipeline, k.outcome, k.outcome_owner, coalesce(k.channel, mu.channel, mt.channel, 'unknown'),
                     k.campaign, k.lost_reason, 1, k.amount, k.cycle_seconds
              -- (offset 0: each range by index, never one scan of every closed deal joined to the ranges)
              from fact_ranges f
              cross join lateral (
                    select s.workspace_id, s.pipeline, s.outcome, s.outcome_owner, %3$s, s.lost_reason,
                           coalesce(s.outcome_amount, 0), coalesce(%4$s, 0)
                    from deal_state s
                    where s.workspace_id = :ws and s.outcome is not null and s.outcome_at >= f.lo
                      and s.outcome_at < f.hi and greatest(s.last_at, s.lead_created_at) < :to
                    offset 0)
                   k(workspace_id, pipeline, outcome, outcome_owner, channel, utm_source, tracking_number, campaign,
                     lost_reason, amount, cycle_seconds)
              %5$s
              union all
              select d.pipeline, d.outcome, d.outcome_owner, d.channel, d.campaign, d.lost_reason, 1,
                     coalesce(d.outcome_amount, 0), coalesce(%6$s, 0)
              from deals d
              where not d.settled and d.outcome is not null and d.outcome_at >= :from)""".formatted(
                keyMappings("r"), rollup, DEAL_OUTCOME_KEYS, cycleSeconds("s"), keyMappings("k"),
                cycleSeconds("d"));
    }

    /**
     * Needs a CTE {@code stay_cohort(deal_id, pipeline, stage, created_at, event_id)}: the deals with
     * their deal.created. Their stays in stages as of :to, {@code stays(deal_id, stay, stage, began,
     * ended)}. A stay begins at deal.created (its stage) or at a stage change to another stage, or at any
     * stage change after an outcome (it reopens the deal); it ends at the next stay's beginning or at the
     * first outcome after it began, whichever is first. steps groups each stage event with the outcomes
     * that follow it; a step opens a stay unless it repeats the stage of a step without an outcome. Events
     * before the deal.created are left out (the deal does not exist yet), as are stage changes naming
     * another pipeline.
     */
    public static final String STAYS = """
            timeline as (
              select deal_id, stage, created_at as occurred_at, event_id from stay_cohort
              union all
              select e.deal_id, case when e.type = 'deal.stage_changed' then e.stage end, e.occurred_at, e.event_id
              from events e join stay_cohort c on c.deal_id = e.deal_id
              where e.workspace_id = :ws and e.occurred_at < :to
                and e.type in ('deal.stage_changed', 'deal.won', 'deal.lost')
                and (e.occurred_at, e.event_id) > (c.created_at, c.event_id)
                and (e.type <> 'deal.stage_changed' or coalesce(e.pipeline, c.pipeline) = c.pipeline)),
            steps as (
              select deal_id, step, min(stage) as stage, min(occurred_at) as at,
                     min(occurred_at) filter (where stage is null) as outcome_at
              from (select t.*, count(t.stage) over (partition by t.deal_id order by t.occurred_at, t.event_id) as step
                    from timeline t) numbered
              group by deal_id, step),
            openings as (
              select s.*, coalesce(lag(s.stage) over w <> s.stage or lag(s.outcome_at) over w is not null, true)
                       as opens
              from steps s
              window w as (partition by s.deal_id order by s.step)),
            stays as (
              select deal_id, stay, min(stage) as stage, min(at) as began,
                     coalesce(min(outcome_at), lead(min(at)) over (partition by deal_id order by stay)) as ended
              from (select o.*, count(*) filter (where o.opens) over (partition by o.deal_id order by o.step) as stay
                    from openings o) numbered
              group by deal_id, stay)""";

    /**
     * A payment {@code p}'s channel and campaign as of {@code asOf}: those of the deal's lead (a deal and a
     * lead created before it), else of the customer's first lead if created before it, else 'unknown'.
     * The inputs are kept on each payment's row (V26); needs {@link #PAYMENT_MAPPINGS}.
     */
    public static String paymentAttribution(String asOf) {
        return """
                case when p.deal_created_at < %1$s and p.deal_lead_created_at < %1$s
                       then coalesce(p.deal_lead_channel, mu.channel, mt.channel, 'unknown')
                     when p.customer_lead_created_at < %1$s
                       then coalesce(p.customer_lead_channel, lu.channel, lt.channel, 'unknown')
                     else 'unknown' end as channel,
                case when p.deal_created_at < %1$s and p.deal_lead_created_at < %1$s then p.deal_lead_campaign
                     when p.customer_lead_created_at < %1$s then p.customer_lead_campaign end as campaign"""
                .formatted(asOf);
    }

    /** The channel mappings of a payment {@code p}'s deal's lead and customer's first lead. */
    public static final String PAYMENT_MAPPINGS = """
            left join channel_mappings mu on mu.workspace_id = p.workspace_id and mu.kind = 'utm_source'
                                         and mu.key = lower(p.deal_lead_utm_source)
            left join channel_mappings mt on mt.workspace_id = p.workspace_id and mt.kind = 'tracking_number'
                                         and mt.key = p.deal_lead_tracking_number
            left join channel_mappings lu on lu.workspace_id = p.workspace_id and lu.kind = 'utm_source'
                                         and lu.key = lower(p.customer_lead_utm_source)
            left join channel_mappings lt on lt.workspace_id = p.workspace_id and lt.kind = 'tracking_number'
                                         and lt.key = p.customer_lead_tracking_number""";

    /**
     * The rollup keys of a payment {@code p} attributed with every deal and lead it depends on created:
     * the channel of its deal's lead (a deal with a lead), else of its customer's first lead, else none,
     * or that lead's mapping keys (lower utm_source, tracking number), and the campaign.
     */
    public static final String PAYMENT_KEYS = """
            case when p.deal_created_at is not null and p.deal_lead_created_at is not null then p.deal_lead_channel
                 when p.customer_lead_created_at is not null then p.customer_lead_channel end,
            case when p.deal_created_at is not null and p.deal_lead_created_at is not null
                   then case when p.deal_lead_channel is null then lower(p.deal_lead_utm_source) end
                 when p.customer_lead_created_at is not null
                   then case when p.customer_lead_channel is null then lower(p.customer_lead_utm_source) end end,
            case when p.deal_created_at is not null and p.deal_lead_created_at is not null
                   then case when p.deal_lead_channel is null then p.deal_lead_tracking_number end
                 when p.customer_lead_created_at is not null
                   then case when p.customer_lead_channel is null then p.customer_lead_tracking_number end end,
            case when p.deal_created_at is not null and p.deal_lead_created_at is not null then p.deal_lead_campaign
                 when p.customer_lead_created_at is not null then p.customer_lead_campaign end""";

    /**
     * Needs {@link Rollups#WINDOW}. The window's payments as of :to, as {@code payment_rows(channel,
     * campaign, amount, payments, new_customers)} to be summed: whole clean UTC days from the payment
     * rollup (V41, {@link Rollups#clean}), less the share there of the payments whose deal, deal's lead or
     * customer's first lead was created at or after :to, plus one row per payment for those (attributed as
     * of :to) and for the others of the partial and dirty days.
     */
    public static final String PAYMENT_ROWS = """
            payment_rows as (
              select coalesce(r.channel, mu.channel, mt.channel, 'unknown') as channel, r.campaign, r.amount,
                     r.payments, case when r.customer_first then r.payments else 0 end as new_customers
              from %2$s r
              %1$s
              union all
              select coalesce(k.channel, mu.channel, mt.channel, 'unknown'), k.campaign, -k.amount, -1,
                     -k.customer_first::int
              from (select p.workspace_id, %3$s, p.amount, p.customer_first
                    from payment_facts p
                    where p.workspace_id = :ws and %4$s >= :to
                      and p.occurred_at >= :dayFrom and p.occurred_at < :dayTo
                      and date_trunc('day', p.occurred_at, 'UTC') not in (select day from dirty_days))
                   k(workspace_id, channel, utm_source, tracking_number, campaign, amount, customer_first)
              %5$s
              union all
              select p.channel, p.campaign, p.amount, 1, p.customer_first::int
              from (select p.amount, p.customer_first, %6$s
                    from payment_facts p
                    %7$s
                    where p.workspace_id = :ws and %4$s >= :to and p.occurred_at >= :dayFrom and p.occurred_at < :dayTo
                      and date_trunc('day', p.occurred_at, 'UTC') not in (select day from dirty_days)
                    union all
                    select p.amount, p.customer_first, %6$s
                    from fact_ranges f
                    join payment_facts p on p.workspace_id = :ws and p.occurred_at >= f.lo and p.occurred_at < f.hi
                    %7$s) p)"""
            .formatted(keyMappings("r"), Rollups.clean("payments"), PAYMENT_KEYS,
                    "greatest(p.deal_created_at, p.deal_lead_created_at, p.customer_lead_created_at)", keyMappings("k"),
                    paymentAttribution(":to"), PAYMENT_MAPPINGS);

    /**
     * Site visits in the window with their channel (its own, else its utm.source mapped, else 'unknown')
     * and the visitor's previous visit.
     */
    public static final String VISITS = """
            visits as (
              select v.visitor_id, v.occurred_at, v.prev_at, coalesce(v.channel, mu.channel, 'unknown') as channel
              from visit_facts v
              left join channel_mappings mu on mu.workspace_id = v.workspace_id and mu.kind = 'utm_source'
                                           and mu.key = lower(v.utm_source)
              where v.workspace_id = :ws and v.occurred_at >= :from and v.occurred_at < :to)""";

    /**
     * Needs a CTE {@code window_leads} of {@link #LEADS} rows; adds first_at to them. The first response to each: the earliest
     * outgoing call (answered or not), message or meeting naming the lead or one of its deals, at or
     * after the lead's creation and before :to; null when none. The derived first_response_at is that
     * whenever every deal of the lead exists at :to; otherwise two index lookups (by lead, by its deals)
     * rather than one OR that would scan.
     */
    public static final String FIRST_RESPONSES = """
            responses as not materialized (
              select wl.*,
                     case when wl.last_deal_at is null or wl.last_deal_at < :to then
                       case when wl.first_response_at < :to then wl.first_response_at end
                     else least(
                       (select min(r.occurred_at) from events r
                        where r.workspace_id = :ws and r.lead_id = wl.lead_id
                          and r.occurred_at >= wl.created_at and r.occurred_at < :to and %1$s),
                       (select min(r.occurred_at) from deal_facts dc
                        join events r on r.workspace_id = dc.workspace_id and r.deal_id = dc.deal_id
                        where dc.workspace_id = :ws and dc.lead_id = wl.lead_id and dc.created_at < :to
                          and r.occurred_at >= wl.created_at and r.occurred_at < :to and %1$s))
                     end as first_at
              from window_leads wl)""".formatted(IS_RESPONSE);

    /**
     * The channel mappings as arrays, so that a scan in index order can map a channel without a join
     * (see {@link #mappedChannel}).
     */
    public static final String MAPPING_ARRAYS = """
            mapping_arrays as (
              select array_agg(key order by key) filter (where kind = 'utm_source') as utm_keys,
                     array_agg(channel order by key) filter (where kind = 'utm_source') as utm_channels,
                     array_agg(key order by key) filter (where kind = 'tracking_number') as tracking_keys,
                     array_agg(channel order by key) filter (where kind = 'tracking_number') as tracking_channels
              from channel_mappings where workspace_id = :ws)""";

    /** A lead's channel from its columns, as {@link #LEADS} gives it, through {@link #MAPPING_ARRAYS}. */
    public static String mappedChannel(String channel, String utmSource, String trackingNumber) {
        return """
                coalesce(%s, (select m.utm_channels[array_position(m.utm_keys, lower(%s))] from mapping_arrays m),
                         (select m.tracking_channels[array_position(m.tracking_keys, %s)] from mapping_arrays m),
                         'unknown')""".formatted(channel, utmSource, trackingNumber);
    }

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
