-- Closed deals per UTC day of their creation (see V25) by their funnel state: pipeline, outcome, lost
-- reason, the stages they were in and their last stage. /funnel reads the closed deals of a window's
-- whole clean days from it unless narrowed by manager or channel; open deals (whose stall depends on
-- 'to') and deals with events at or after 'to' are read from their rows and events, as before.
create table daily_funnel (
    workspace_id uuid        not null references workspaces (id) on delete cascade,
    day          timestamptz not null,
    pipeline     text        not null,
    outcome      text        not null,
    lost_reason  text,
    stages       text[]      not null,
    last_stage   text,
    deals        bigint      not null
);
create index daily_funnel_day on daily_funnel (workspace_id, day);

-- open deals with their funnel columns, read from the index alone
drop index deal_state_open;
create index deal_state_open on deal_state (workspace_id, created_at)
    include (last_at, owner, pipeline, lead_created_at, lead_channel, lead_utm_source, lead_tracking_number,
             lost_reason, stages, last_stage, current_since)
    where outcome is null;

-- as V32's, and the day a deal was created
create or replace function mark_deal_outcome_days() returns trigger language plpgsql as $$
begin
    if tg_op in ('INSERT', 'UPDATE') then
        insert into rollup_dirty (workspace_id, day)
        select n.workspace_id, date_trunc('day', n.outcome_at, 'UTC') from new_rows n where n.outcome_at is not null
        union
        select n.workspace_id, date_trunc('day', n.created_at, 'UTC') from new_rows n
        on conflict (workspace_id, day) do update set marked_at = excluded.marked_at;
    end if;
    if tg_op in ('UPDATE', 'DELETE') then
        insert into rollup_dirty (workspace_id, day)
        select d.workspace_id, d.day
        from (select o.workspace_id, date_trunc('day', o.outcome_at, 'UTC') as day from old_rows o
              where o.outcome_at is not null
              union
              select o.workspace_id, date_trunc('day', o.created_at, 'UTC') from old_rows o) d
        where exists (select 1 from workspaces w where w.id = d.workspace_id)
        on conflict (workspace_id, day) do update set marked_at = excluded.marked_at;
    end if;
    return null;
end $$;

insert into rollup_dirty (workspace_id, day)
select distinct workspace_id, date_trunc('day', created_at, 'UTC') from deal_state
on conflict (workspace_id, day) do nothing;
