-- Derived state kept in step with the event log on every ingest (same transaction) and rebuildable
-- from it (POST /api/v1/admin/rebuild): the first event that creates each lead, deal and payment.
-- These never depend on the report's 'to' except through created_at < to, so the metric queries
-- read them with an index range scan instead of sorting the event log for "first of each id".
create table lead_facts (
    workspace_id    uuid        not null references workspaces (id) on delete cascade,
    lead_id         text        not null,
    created_at      timestamptz not null,
    event_id        text        collate "C" not null,
    manager_id      text,
    customer_id     text,
    channel         text,
    campaign        text,
    utm_source      text,
    utm_campaign    text,
    tracking_number text,
    primary key (workspace_id, lead_id)
);
create index lead_facts_created on lead_facts (workspace_id, created_at);
create index lead_facts_customer on lead_facts (workspace_id, customer_id, created_at) where customer_id is not null;

create table deal_facts (
    workspace_id uuid        not null references workspaces (id) on delete cascade,
    deal_id      text        not null,
    created_at   timestamptz not null,
    event_id     text        collate "C" not null,
    pipeline     text        not null,
    stage        text        not null,
    lead_id      text,
    customer_id  text,
    manager_id   text,
    primary key (workspace_id, deal_id)
);
create index deal_facts_created on deal_facts (workspace_id, created_at);
create index deal_facts_lead on deal_facts (workspace_id, lead_id) where lead_id is not null;

create table payment_facts (
    workspace_id uuid          not null references workspaces (id) on delete cascade,
    payment_id   text          not null,
    occurred_at  timestamptz   not null,
    event_id     text          collate "C" not null,
    amount       numeric(15, 2) not null,
    customer_id  text          not null,
    deal_id      text,
    primary key (workspace_id, payment_id)
);
create index payment_facts_time on payment_facts (workspace_id, occurred_at);

-- The team of manager load: every managerId seen in any event, with its first appearance.
create table manager_facts (
    workspace_id  uuid        not null references workspaces (id) on delete cascade,
    manager_id    text        not null,
    first_seen_at timestamptz not null,
    primary key (workspace_id, manager_id)
);
