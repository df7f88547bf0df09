-- Two more daily rollups (see V25): leads by the UTC day of their creation, with what reports narrow
-- and group them by (manager, channel and its mapping keys, campaign) and their derived status and
-- whether they were answered; and tasks by the UTC day of their completion, per manager.
--
-- A lead's row holds its state after all its events: a report as of :to reads it for the leads whose
-- status, first response and deals all came before :to (changed_at below), and works the others out
-- from their events, subtracting their rollup share (none when :to is now).
create table daily_leads (
    workspace_id    uuid        not null references workspaces (id) on delete cascade,
    day             timestamptz not null,
    manager_id      text,
    channel         text,
    -- the mapping keys, only for a lead without its own channel: lower(utm_source), tracking_number
    utm_source      text,
    tracking_number text,
    -- coalesce(campaign, utm_campaign)
    campaign        text,
    status          text,
    answered        boolean     not null,
    leads           bigint      not null
);
create index daily_leads_day on daily_leads (workspace_id, day);

-- Tasks completed that day and created at or before their completion (one created later counts only
-- in a report whose 'to' is after its creation, so those are read from the facts: task_facts_late).
create table daily_tasks (
    workspace_id uuid        not null references workspaces (id) on delete cascade,
    day          timestamptz not null,
    manager_id   text,
    completed    bigint      not null
);
create index daily_tasks_day on daily_tasks (workspace_id, day);

create index task_facts_late on task_facts (workspace_id, done_at) where created_at > done_at;

-- The leads whose state changed at or after a report's 'to': their latest status, first response or
-- deal creation.
create index lead_facts_changed on lead_facts
    (workspace_id, (greatest(status_at, first_response_at, last_deal_at))) include (created_at)
    where greatest(status_at, first_response_at, last_deal_at) is not null;

create function mark_lead_days() returns trigger language plpgsql as $$
begin
    if tg_op in ('INSERT', 'UPDATE') then
        insert into rollup_dirty (workspace_id, day)
        select distinct workspace_id, date_trunc('day', created_at, 'UTC') from new_rows
        on conflict (workspace_id, day) do update set marked_at = excluded.marked_at;
    end if;
    if tg_op in ('UPDATE', 'DELETE') then
        insert into rollup_dirty (workspace_id, day)
        select distinct o.workspace_id, date_trunc('day', o.created_at, 'UTC') from old_rows o
        where exists (select 1 from workspaces w where w.id = o.workspace_id)
        on conflict (workspace_id, day) do update set marked_at = excluded.marked_at;
    end if;
    return null;
end $$;

create function mark_task_days() returns trigger language plpgsql as $$
begin
    if tg_op in ('INSERT', 'UPDATE') then
        insert into rollup_dirty (workspace_id, day)
        select distinct workspace_id, date_trunc('day', done_at, 'UTC') from new_rows where done_at is not null
        on conflict (workspace_id, day) do update set marked_at = excluded.marked_at;
    end if;
    if tg_op in ('UPDATE', 'DELETE') then
        insert into rollup_dirty (workspace_id, day)
        select distinct o.workspace_id, date_trunc('day', o.done_at, 'UTC') from old_rows o
        where o.done_at is not null and exists (select 1 from workspaces w where w.id = o.workspace_id)
        on conflict (workspace_id, day) do update set marked_at = excluded.marked_at;
    end if;
    return null;
end $$;

create trigger lead_facts_insert after insert on lead_facts
    referencing new table as new_rows for each statement execute function mark_lead_days();
create trigger lead_facts_update after update on lead_facts
    referencing old table as old_rows new table as new_rows for each statement execute function mark_lead_days();
create trigger lead_facts_delete after delete on lead_facts
    referencing old table as old_rows for each statement execute function mark_lead_days();
create trigger task_facts_insert after insert on task_facts
    referencing new table as new_rows for each statement execute function mark_task_days();
create trigger task_facts_update after update on task_facts
    referencing old table as old_rows new table as new_rows for each statement execute function mark_task_days();
create trigger task_facts_delete after delete on task_facts
    referencing old table as old_rows for each statement execute function mark_task_days();

-- existing data: dirty until the compactor has summed it
insert into rollup_dirty (workspace_id, day)
select workspace_id, date_trunc('day', created_at, 'UTC') from lead_facts
union
select workspace_id, date_trunc('day', done_at, 'UTC') from task_facts where done_at is not null
on conflict (workspace_id, day) do nothing;
