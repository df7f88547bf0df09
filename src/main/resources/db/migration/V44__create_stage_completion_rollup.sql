-- Deals with a completed stay per stage, per UTC day of the deal's creation (see V25): the counts the
-- funnel's stage medians start from (Ranks), read for whole clean days unless narrowed by manager or
-- channel; the deals with events at or after 'to' are taken out of them, and the partial and dirty days
-- counted from deal_stages.
create table daily_stage_completions (
    workspace_id uuid        not null references workspaces (id) on delete cascade,
    day          timestamptz not null,
    pipeline     text        not null,
    stage        text        not null,
    deals        bigint      not null
);
create index daily_stage_completions_day on daily_stage_completions (workspace_id, day);

create index deal_stages_completed_last on deal_stages (workspace_id, deal_last_at) include (deal_created_at)
    where completed_seconds is not null;
create index deal_stages_completed_created on deal_stages (workspace_id, deal_created_at) include (deal_last_at)
    where completed_seconds is not null;

create function mark_stage_days() returns trigger language plpgsql as $$
begin
    if tg_op in ('INSERT', 'UPDATE') then
        insert into rollup_dirty (workspace_id, day)
        select distinct workspace_id, date_trunc('day', deal_created_at, 'UTC') from new_rows
        where deal_created_at is not null
        on conflict (workspace_id, day) do update set marked_at = excluded.marked_at;
    end if;
    if tg_op in ('UPDATE', 'DELETE') then
        insert into rollup_dirty (workspace_id, day)
        select distinct o.workspace_id, date_trunc('day', o.deal_created_at, 'UTC') from old_rows o
        where o.deal_created_at is not null and exists (select 1 from workspaces w where w.id = o.workspace_id)
        on conflict (workspace_id, day) do update set marked_at = excluded.marked_at;
    end if;
    return null;
end $$;

create trigger deal_stages_insert after insert on deal_stages
    referencing new table as new_rows for each statement execute function mark_stage_days();
create trigger deal_stages_update after update on deal_stages
    referencing old table as old_rows new table as new_rows for each statement execute function mark_stage_days();
create trigger deal_stages_delete after delete on deal_stages
    referencing old table as old_rows for each statement execute function mark_stage_days();

insert into rollup_dirty (workspace_id, day)
select distinct workspace_id, date_trunc('day', deal_created_at, 'UTC') from deal_stages
where deal_created_at is not null
on conflict (workspace_id, day) do nothing;
