-- Every ticket.rated event (each counts, also several for one ticket): the service figures read this
-- narrow table instead of fetching rating events from the event log's heap.
create table rating_facts (
    workspace_id uuid        not null references workspaces (id) on delete cascade,
    event_id     text        collate "C" not null,
    ticket_id    text        not null,
    occurred_at  timestamptz not null,
    rating       smallint    not null,
    primary key (workspace_id, event_id)
);
create index rating_facts_time on rating_facts (workspace_id, occurred_at) include (ticket_id, rating);
