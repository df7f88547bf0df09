create table workspaces (
    id         uuid        primary key,
    name       text        not null,
    -- Base currency: fixed by the create request or by the first event that names a currency.
    currency   char(3),
    created_at timestamptz not null default now()
);

-- Keys are random 256-bit secrets, so an unsalted SHA-256 (hex) is enough to make a leaked table useless.
create table api_keys (
    key_hash     text        primary key,
    workspace_id uuid        not null references workspaces (id) on delete cascade,
    scope        text        not null check (scope in ('ingest', 'read', 'admin')),
    created_at   timestamptz not null default now()
);
create index api_keys_workspace on api_keys (workspace_id);
