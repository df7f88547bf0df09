-- Derived state of each deal and lead as of its own latest event, recomputed for the entities a batch
-- touches (same transaction) and rebuildable from the event log (POST /api/v1/admin/rebuild).
--
-- A report as of :to reads a deal's row when last_at < :to: no event of the deal is at or after :to,
-- so its state as of :to is the state after all its events. Only the deals with an event at or after
-- :to (those alive at :to; none when :to is now) are worked out from the event log, so the figures stay
-- exact for any :to while the common case reads one row per deal.
create table deal_state (
    workspace_id         uuid          not null references workspaces (id) on delete cascade,
    deal_id              text          not null,
    created_at           timestamptz   not null,
    pipeline             text          not null,
    lead_id              text,
    customer_id          text,
    -- the latest occurred_at of the deal's deal.* events
    last_at              timestamptz   not null,
    owner                text,
    outcome              text,
    outcome_at           timestamptz,
    outcome_amount       numeric(15, 2),
    lost_reason          text,
    outcome_owner        text,
    -- the deal's lead as lead_facts has it; attribution as of :to applies lead_created_at < :to
    lead_created_at      timestamptz,
    lead_channel         text,
    lead_utm_source      text,
    lead_tracking_number text,
    lead_campaign        text,
    -- the funnel: the stages of its stays, the stage of its last stay, and when that stay began if it
    -- is still open
    stages               text[]        not null default '{}',
    last_stage           text,
    current_since        timestamptz,
    primary key (workspace_id, deal_id)
);
create index deal_state_created on deal_state (workspace_id, created_at);
create index deal_state_last on deal_state (workspace_id, last_at);
create index deal_state_lead on deal_state (workspace_id, lead_id) where lead_id is not null;

-- The deal's stays in its stages (the funnel's medianDaysInStage, stuck, lostHere); ended is null for
-- the current stay of an open deal.
create table deal_stays (
    workspace_id uuid        not null references workspaces (id) on delete cascade,
    deal_id      text        not null,
    stay         integer     not null,
    stage        text        not null,
    began        timestamptz not null,
    ended        timestamptz,
    primary key (workspace_id, deal_id, stay)
);

-- When each stage of the deal's pipeline was first seen on the deal (the order of stages never
-- configured; a first sighting before :to is the first before :to, so no event-log fallback is needed),
-- and the seconds of its completed stays there (the funnel's medianDaysInStage).
create table deal_stages (
    workspace_id      uuid        not null references workspaces (id) on delete cascade,
    deal_id           text        not null,
    pipeline          text        not null,
    stage             text        not null,
    first_at          timestamptz not null,
    event_id          text        collate "C" not null,
    completed_seconds double precision,
    primary key (workspace_id, deal_id, stage)
);
create index deal_stages_first on deal_stages (workspace_id, pipeline, stage, first_at, event_id);

-- Every (pipeline, stage) ever seen on a deal: the stage order looks up each one's first sighting.
create table pipeline_stages (
    workspace_id uuid not null references workspaces (id) on delete cascade,
    pipeline     text not null,
    stage        text not null,
    primary key (workspace_id, pipeline, stage)
);

-- A lead's status (latest lead.qualified/disqualified) and first response, as of its latest event.
-- Read as of :to when status_at < :to, and when every deal of the lead was created before :to
-- (last_deal_at < :to) for the first response; otherwise worked out from the event log.
alter table lead_facts
    add column status            text,
    add column status_at         timestamptz,
    add column first_response_at timestamptz,
    add column last_deal_at      timestamptz;
