-- Stage order of a pipeline, set by an admin; unconfigured pipelines use the order stages were first seen.
create table pipelines (
    workspace_id uuid   not null references workspaces (id) on delete cascade,
    name         text   not null,
    stages       text[] not null,
    primary key (workspace_id, name)
);

-- UTM sources (stored lower-case, matched case-insensitively) and call-tracking numbers to channels.
create table channel_mappings (
    workspace_id uuid not null references workspaces (id) on delete cascade,
    kind         text not null check (kind in ('utm_source', 'tracking_number')),
    key          text not null,
    channel      text not null,
    primary key (workspace_id, kind, key)
);
