-- Every site.visit with the visitor's previous visit (by occurred_at, then eventId). The distinct
-- visitors of a window are its visits whose previous visit is before the window (or none): one range
-- scan instead of hashing every visitor id. Ingestion recomputes prev_at for the visitors a batch
-- touches, so a late visit between two others is threaded in.
create table visit_facts (
    workspace_id uuid        not null references workspaces (id) on delete cascade,
    event_id     text        collate "C" not null,
    visitor_id   text        not null,
    occurred_at  timestamptz not null,
    channel      text,
    utm_source   text,
    prev_at      timestamptz,
    primary key (workspace_id, event_id)
);
create index visit_facts_time on visit_facts (workspace_id, occurred_at) include (prev_at, channel, utm_source, visitor_id);
create index visit_facts_visitor on visit_facts (workspace_id, visitor_id);
