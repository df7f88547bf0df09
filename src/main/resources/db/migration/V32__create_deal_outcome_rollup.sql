-- Deal outcomes summed per UTC day of the outcome (see V25), with what reports narrow and group them by
-- (pipeline, owner at the outcome, the lead's channel and its mapping keys, campaign, lost reason): won
-- and lost deals, their amounts and, for won deals, the seconds from the lead's (else the deal's)
-- creation to the outcome. A deal's share is its state after all its events and its lead as it is now;
-- a report as of :to works out the deals with an event or a lead created at or after :to from their rows
-- and events instead (none when :to is now).
create table daily_deal_outcomes (
    workspace_id    uuid          not null references workspaces (id) on delete cascade,
    day             timestamptz   not null,
    pipeline        text          not null,
    outcome         text          not null,
    outcome_owner   text,
    -- the lead's channel, or its mapping keys when it has none (lower(utm_source), tracking number)
    channel         text,
    utm_source      text,
    tracking_number text,
    campaign        text,
    lost_reason     text,
    deals           bigint        not null,
    amount          numeric       not null,
    cycle_seconds   numeric       not null
);
create index daily_deal_outcomes_day on daily_deal_outcomes (workspace_id, day);

-- the deals with an outcome on a day (summing it, and reading the partial and dirty days)
create index deal_state_outcome on deal_state (workspace_id, outcome_at) where outcome is not null;
-- the deals that changed at or after a report's 'to', whose rollup share it replaces
create index deal_state_changed on deal_state (workspace_id, (greatest(last_at, lead_created_at)));
-- open deals (manager load): few, unlike all the deals created before 'to'
create index deal_state_open on deal_state (workspace_id, created_at) where outcome is null;

create function mark_deal_outcome_days() returns trigger language plpgsql as $$
begin
    if tg_op in ('INSERT', 'UPDATE') then
        insert into rollup_dirty (workspace_id, day)
        select distinct workspace_id, date_trunc('day', outcome_at, 'UTC') from new_rows where outcome_at is not null
        on conflict (workspace_id, day) do update set marked_at = excluded.marked_at;
    end if;
    if tg_op in ('UPDATE', 'DELETE') then
        insert into rollup_dirty (workspace_id, day)
        select distinct o.workspace_id, date_trunc('day', o.outcome_at, 'UTC') from old_rows o
        where o.outcome_at is not null and exists (select 1 from workspaces w where w.id = o.workspace_id)
        on conflict (workspace_id, day) do update set marked_at = excluded.marked_at;
    end if;
    return null;
end $$;

create trigger deal_state_insert after insert on deal_state
    referencing new table as new_rows for each statement execute function mark_deal_outcome_days();
create trigger deal_state_update after update on deal_state
    referencing old table as old_rows new table as new_rows for each statement execute function mark_deal_outcome_days();
create trigger deal_state_delete after delete on deal_state
    referencing old table as old_rows for each statement execute function mark_deal_outcome_days();

insert into rollup_dirty (workspace_id, day)
select distinct workspace_id, date_trunc('day', outcome_at, 'UTC') from deal_state where outcome_at is not null
on conflict (workspace_id, day) do nothing;
