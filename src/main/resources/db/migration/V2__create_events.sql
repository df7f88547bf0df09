-- The append-only event log. One row per distinct eventId of a workspace; the typed columns are
-- what the metric queries filter and aggregate on, `extra` keeps fields the contract does not name.
--
-- Not partitioned: idempotency needs a unique key on (workspace_id, event_id) across all time, and
-- PostgreSQL only enforces unique keys on partitioned tables when they contain the partition key
-- (occurred_at), which would let a late copy of an event into a second partition. The indexes
-- below all lead with workspace_id and match the queries' (type, time) and (entity, time) access.
create table events (
    workspace_id    uuid        not null references workspaces (id) on delete cascade,
    -- "C" collation: ties in occurred_at are broken by eventId in binary (code point) order.
    event_id        text        collate "C" not null,
    type            text        not null,
    occurred_at     timestamptz not null,
    received_at     timestamptz not null default now(),
    source          text,
    lead_id         text,
    deal_id         text,
    customer_id     text,
    manager_id      text,
    -- the event's own subject: paymentId, callId, meetingId, messageId, taskId, ticketId, visitorId
    subject_id      text,
    pipeline        text,
    stage           text,
    from_stage      text,
    amount          numeric(15, 2),
    currency        char(3),
    channel         text,
    campaign        text,
    utm_source      text,
    utm_medium      text,
    utm_campaign    text,
    tracking_number text,
    reason          text,
    category        text,
    direction       text,
    medium          text,
    answered        boolean,
    duration_sec    integer,
    rating          smallint,
    due_at          timestamptz,
    extra           jsonb,
    primary key (workspace_id, event_id)
);

create index events_type_time on events (workspace_id, type, occurred_at);
create index events_deal on events (workspace_id, deal_id, occurred_at) where deal_id is not null;
create index events_lead on events (workspace_id, lead_id, occurred_at) where lead_id is not null;
create index events_subject on events (workspace_id, type, subject_id, occurred_at) where subject_id is not null;
