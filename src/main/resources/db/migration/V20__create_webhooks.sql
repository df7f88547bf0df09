-- Per-workspace settings of a CRM's webhooks. The secret is kept as given, not hashed: HubSpot's
-- HMAC signature can only be checked with the plain secret, and the amoCRM URL shown to admins embeds it.
create table webhook_configs (
    workspace_id uuid        not null references workspaces (id) on delete cascade,
    crm          text        not null,
    secret       text        not null,
    -- pipeline/stage names, won/lost stage ids and field names: see WebhookConfig
    settings     jsonb       not null default '{}',
    updated_at   timestamptz not null default now(),
    primary key (workspace_id, crm)
);

-- Every verified webhook request, stored before it is mapped, so nothing a CRM sent is lost:
-- a delivery that cannot be mapped stays here as a dead letter and can be replayed.
create table webhook_deliveries (
    id           bigserial   primary key,
    workspace_id uuid        not null references workspaces (id) on delete cascade,
    crm          text        not null,
    received_at  timestamptz not null default now(),
    content_type text,
    -- only the headers needed to understand the delivery (signature, timestamp, user agent)
    headers      jsonb       not null,
    body         bytea       not null,
    status       text        not null check (status in ('received', 'mapped', 'ignored', 'needs_enrichment',
                                                         'dead_letter')),
    error        text,
    notes        jsonb,
    accepted     integer,
    duplicates   integer,
    processed_at timestamptz,
    replays      integer     not null default 0
);
create index webhook_deliveries_workspace_status on webhook_deliveries (workspace_id, status, id);
