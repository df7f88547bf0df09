-- Per-UTC-day sums of the additive figures, so a report reads a window's whole days as a few rows per
-- day instead of every fact: activities by manager (manager load) and visits by channel key and the
-- UTC day of the visitor's previous visit (visits and distinct visitors).
--
-- A fact change on a day marks the day dirty (the triggers below, in the writing transaction);
-- RollupCompactor recomputes dirty days from the facts every second once they stop changing. A report reads a day from its
-- rollup rows only when the day is clean in the report's snapshot; dirty days and the window's partial
-- first and last days come from the facts, so figures are exact whenever they are read.
create table daily_activity (
    workspace_id uuid        not null references workspaces (id) on delete cascade,
    day          timestamptz not null,
    manager_id   text        not null,
    type         text        not null,
    direction    text,
    answered     boolean,
    activities   bigint      not null,
    duration_sec bigint      not null
);
create index daily_activity_day on daily_activity (workspace_id, day);

create table daily_visits (
    workspace_id uuid        not null references workspaces (id) on delete cascade,
    day          timestamptz not null,
    channel      text,
    -- lower(utm_source), the key of the utm_source channel mapping
    utm_source   text,
    -- the UTC day of the visitor's previous visit; null for a first visit
    prev_day     timestamptz,
    visits       bigint      not null
);
create index daily_visits_day on daily_visits (workspace_id, day);

-- The visits whose previous visit is on the day a window starts and before its start: the visitors the
-- rollup's prev_day cannot tell apart.
create index visit_facts_prev on visit_facts (workspace_id, prev_at) include (occurred_at);

-- marked_at: the last change; the compactor leaves a day alone while it keeps changing (the day being
-- ingested now), since it is read from its facts anyway.
create table rollup_dirty (
    workspace_id uuid        not null references workspaces (id) on delete cascade,
    day          timestamptz not null,
    marked_at    timestamptz not null default now(),
    primary key (workspace_id, day)
);

-- Statement-level, over the transition tables: one insert per statement, not per row. Marking updates
-- an existing mark, which locks it until the change commits: the compactor, which deletes the marks of
-- the days it sums, then either waits for the change (and sums it) or leaves the day marked again.
create function mark_activity_days() returns trigger language plpgsql as $$
begin
    if tg_op in ('INSERT', 'UPDATE') then
        insert into rollup_dirty (workspace_id, day)
        select distinct workspace_id, date_trunc('day', occurred_at, 'UTC') from new_rows
        on conflict (workspace_id, day) do update set marked_at = excluded.marked_at;
    end if;
    if tg_op in ('UPDATE', 'DELETE') then
        -- not for a workspace being deleted (its facts go with it, by cascade)
        insert into rollup_dirty (workspace_id, day)
        select distinct o.workspace_id, date_trunc('day', o.occurred_at, 'UTC') from old_rows o
        where exists (select 1 from workspaces w where w.id = o.workspace_id)
        on conflict (workspace_id, day) do update set marked_at = excluded.marked_at;
    end if;
    return null;
end $$;

create trigger activity_facts_insert after insert on activity_facts
    referencing new table as new_rows for each statement execute function mark_activity_days();
create trigger activity_facts_update after update on activity_facts
    referencing old table as old_rows new table as new_rows for each statement execute function mark_activity_days();
create trigger activity_facts_delete after delete on activity_facts
    referencing old table as old_rows for each statement execute function mark_activity_days();
create trigger visit_facts_insert after insert on visit_facts
    referencing new table as new_rows for each statement execute function mark_activity_days();
create trigger visit_facts_update after update on visit_facts
    referencing old table as old_rows new table as new_rows for each statement execute function mark_activity_days();
create trigger visit_facts_delete after delete on visit_facts
    referencing old table as old_rows for each statement execute function mark_activity_days();

-- existing data: every day with facts is dirty until the compactor has summed it
insert into rollup_dirty (workspace_id, day)
select workspace_id, date_trunc('day', occurred_at, 'UTC') from activity_facts
union
select workspace_id, date_trunc('day', occurred_at, 'UTC') from visit_facts;
