-- As V34's, but the days of a deleted ticket's ratings are not marked for a workspace being deleted
-- either (the marks would reference it).
create or replace function mark_ticket_days() returns trigger language plpgsql as $$
begin
    if tg_op in ('INSERT', 'UPDATE') then
        insert into rollup_dirty (workspace_id, day)
        select distinct workspace_id, date_trunc('day', opened_at, 'UTC') from new_rows where opened_at is not null
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
              select r.workspace_id, date_trunc('day', r.occurred_at, 'UTC')
              from old_rows o join rating_facts r on r.workspace_id = o.workspace_id and r.ticket_id = o.ticket_id) d
        where exists (select 1 from workspaces w where w.id = d.workspace_id)
        on conflict (workspace_id, day) do update set marked_at = excluded.marked_at;
    end if;
    return null;
end $$;
