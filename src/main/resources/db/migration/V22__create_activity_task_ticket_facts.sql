-- More "first event of each id" facts, kept like those of V4: the earliest copy of each call, meeting
-- and message (a CRM re-sending an activity under a new eventId is still one activity), and each task
-- and ticket with its first completion or resolution. A task or ticket whose completion arrived before
-- its creating event has a row with null created_at / opened_at until that event arrives.
create table activity_facts (
    workspace_id uuid        not null references workspaces (id) on delete cascade,
    type         text        not null,
    activity_id  text        not null,
    occurred_at  timestamptz not null,
    event_id     text        collate "C" not null,
    manager_id   text,
    direction    text,
    answered     boolean,
    duration_sec integer,
    primary key (workspace_id, type, activity_id)
);
create index activity_facts_time on activity_facts (workspace_id, occurred_at) include (manager_id);

create table task_facts (
    workspace_id uuid        not null references workspaces (id) on delete cascade,
    task_id      text        not null,
    created_at   timestamptz,
    event_id     text        collate "C",
    manager_id   text,
    due_at       timestamptz,
    done_at      timestamptz,
    primary key (workspace_id, task_id)
);
-- open tasks as of :to are those not done (small) or done at or after :to (small when :to is recent)
create index task_facts_open on task_facts (workspace_id, created_at) where done_at is null;
create index task_facts_done on task_facts (workspace_id, done_at);

create table ticket_facts (
    workspace_id uuid        not null references workspaces (id) on delete cascade,
    ticket_id    text        not null,
    opened_at    timestamptz,
    event_id     text        collate "C",
    category     text,
    resolved_at  timestamptz,
    primary key (workspace_id, ticket_id)
);
create index ticket_facts_opened on ticket_facts (workspace_id, opened_at);
create index ticket_facts_resolved on ticket_facts (workspace_id, resolved_at);
