-- Ticket resolutions summed per UTC day of the resolution and category (see V25): tickets resolved that
-- day and opened at or before it, and the seconds from opening to resolution. A ticket opened after its
-- resolution counts only in a report whose 'to' is after the opening: those are read from the facts
-- (ticket_facts_late). The exact medians walk the resolution times in order (Ranks), overall and per
-- category.
create table daily_resolutions (
    workspace_id       uuid        not null references workspaces (id) on delete cascade,
    day                timestamptz not null,
    category           text,
    resolved           bigint      not null,
    resolution_seconds numeric     not null
);
create index daily_resolutions_day on daily_resolutions (workspace_id, day);

create index ticket_facts_late on ticket_facts (workspace_id, resolved_at) where opened_at > resolved_at;
create index ticket_facts_resolution on ticket_facts
    (workspace_id, (extract(epoch from resolved_at - opened_at)::float8 / 3600)) include (resolved_at, opened_at)
    where resolved_at is not null and opened_at is not null;
create index ticket_facts_category_resolution on ticket_facts
    (workspace_id, category, (extract(epoch from resolved_at - opened_at)::float8 / 3600))
    include (resolved_at, opened_at)
    where resolved_at is not null and opened_at is not null;

-- as V36's, and the day a ticket was resolved
create or replace function mark_ticket_days() returns trigger language plpgsql as $$
begin
    if tg_op in ('INSERT', 'UPDATE') then
        insert into rollup_dirty (workspace_id, day)
        select n.workspace_id, date_trunc('day', n.opened_at, 'UTC') from new_rows n where n.opened_at is not null
        union
        select n.workspace_id, date_trunc('day', n.resolved_at, 'UTC') from new_rows n where n.resolved_at is not null
        union
        select r.workspace_id, date_trunc('day', r.occurred_at, 'UTC')
        from new_rows n join rating_facts r on r.workspace_id = n.workspace_id and r.ticket_id = n.ticket_id
        on conflict (workspace_id, day) do update set marked_at = excluded.marked_at;
    end if;
    if tg_op in ('UPDATE', 'DELETE') then
        insert into rollup_dirty (workspace_id, day)
        select d.workspace_id, d.day
        from (select o.workspace_id, date_trunc('day', o.opened_at, 'UTC') as day from old_rows o
              where o.opened_at is not null
              union
              select o.workspace_id, date_trunc('day', o.resolved_at, 'UTC') from old_rows o
              where o.resolved_at is not null
              union
              select r.workspace_id, date_trunc('day', r.occurred_at, 'UTC')
              from old_rows o join rating_facts r on r.workspace_id = o.workspace_id and r.ticket_id = o.ticket_id) d
        where exists (select 1 from workspaces w where w.id = d.workspace_id)
        on conflict (workspace_id, day) do update set marked_at = excluded.marked_at;
    end if;
    return null;
end $$;

insert into rollup_dirty (workspace_id, day)
select distinct workspace_id, date_trunc('day', resolved_at, 'UTC') from ticket_facts where resolved_at is not null
on conflict (workspace_id, day) do nothing;
