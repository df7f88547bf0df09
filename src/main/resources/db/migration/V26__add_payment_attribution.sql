-- A payment's attribution inputs, kept on its row by every ingest that changes them (EntityState) so
-- a report reads the window's payments alone, without joining deals and looking up each customer's
-- first lead: whether it is its customer's first payment, its deal's creation and the deal's lead
-- (deal_state), and its customer's first lead. A report as of :to applies "created before :to".
alter table payment_facts
    add column customer_first                boolean not null default false,
    add column deal_created_at               timestamptz,
    add column deal_lead_created_at          timestamptz,
    add column deal_lead_channel             text,
    add column deal_lead_utm_source          text,
    add column deal_lead_tracking_number     text,
    add column deal_lead_campaign            text,
    add column customer_lead_created_at      timestamptz,
    add column customer_lead_channel         text,
    add column customer_lead_utm_source      text,
    add column customer_lead_tracking_number text,
    add column customer_lead_campaign        text;

-- the payments to recompute when a customer's leads or payments, or a deal, change
create index payment_facts_customer on payment_facts (workspace_id, customer_id, occurred_at, event_id);
create index payment_facts_deal on payment_facts (workspace_id, deal_id) where deal_id is not null;

-- a customer's first lead, read in order without a sort
drop index lead_facts_customer;
create index lead_facts_customer on lead_facts (workspace_id, customer_id, created_at, event_id)
    where customer_id is not null;

-- existing data (the same statement as EntityState's, for all payments)
update payment_facts p
set customer_first = a.customer_first, deal_created_at = a.deal_created_at,
    deal_lead_created_at = a.deal_lead_created_at, deal_lead_channel = a.deal_lead_channel,
    deal_lead_utm_source = a.deal_lead_utm_source, deal_lead_tracking_number = a.deal_lead_tracking_number,
    deal_lead_campaign = a.deal_lead_campaign, customer_lead_created_at = a.customer_lead_created_at,
    customer_lead_channel = a.customer_lead_channel, customer_lead_utm_source = a.customer_lead_utm_source,
    customer_lead_tracking_number = a.customer_lead_tracking_number,
    customer_lead_campaign = a.customer_lead_campaign
from (select p.workspace_id, p.payment_id,
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
        limit 1) cl on true) a
where p.workspace_id = a.workspace_id and p.payment_id = a.payment_id;
