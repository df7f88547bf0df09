-- Service figures summed per UTC day (see V25): tickets opened per category, and ratings per category
-- of their ticket (null: the ticket was never opened). A rating's share has the category its ticket has
-- now: a report as of :to takes the ratings of tickets opened at or after :to out of their category.
-- Resolutions are read one by one (the median needs each), from a covering index.
create table daily_tickets (
    workspace_id uuid        not null references workspaces (id) on delete cascade,
    day          timestamptz not null,
    category     text,
    opened       bigint      not null
);
create index daily_tickets_day on daily_tickets (workspace_id, day);

create table daily_ratings (
    workspace_id uuid        not null references workspaces (id) on delete cascade,
    day          timestamptz not null,
    category     text,
    ratings      bigint      not null,
    -- ratings of 4 or 5 (CSAT) and their sum (average rating)
    satisfied    bigint      not null,
    rating_sum   bigint      not null
);
create index daily_ratings_day on daily_ratings (workspace_id, day);

drop index ticket_facts_resolved;
create index ticket_facts_resolved on ticket_facts (workspace_id, resolved_at) include (opened_at, category);
-- the backlog: tickets never resolved
create index ticket_facts_unresolved on ticket_facts (workspace_id, opened_at) include (category)
    where resolved_at is null;
-- the ratings of a ticket (marking their days when the ticket changes)
create index rating_facts_ticket on rating_facts (workspace_id, ticket_id) include (occurred_at);

-- a ticket's change marks the day it was opened and the days it was rated
create function mark_ticket_days() returns trigger language plpgsql as $$
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
        select distinct o.workspace_id, date_trunc('day', o.opened_at, 'UTC') from old_rows o
        where o.opened_at is not null and exists (select 1 from workspaces w where w.id = o.workspace_id)
        union
        select r.workspace_id, date_trunc('day', r.occurred_at, 'UTC')
        from old_rows o join rating_facts r on r.workspace_id = o.workspace_id and r.ticket_id = o.ticket_id
        on conflict (workspace_id, day) do update set marked_at = excluded.marked_at;
    end if;
    return null;
end $$;

create function mark_rating_days() returns trigger language plpgsql as $$
begin
    if tg_op in ('INSERT', 'UPDATE') then
        insert into rollup_dirty (workspace_id, day)
        select distinct workspace_id, date_trunc('day', occurred_at, 'UTC') from new_rows
        on conflict (workspace_id, day) do update set marked_at = excluded.marked_at;
    end if;
    if tg_op in ('UPDATE', 'DELETE') then
        insert into rollup_dirty (workspace_id, day)
        select distinct o.workspace_id, date_trunc('day', o.occurred_at, 'UTC') from old_rows o
        where exists (select 1 from workspaces w where w.id = o.workspace_id)
        on conflict (workspace_id, day) do update set marked_at = excluded.marked_at;
    end if;
    return null;
end $$;

create trigger ticket_facts_insert after insert on ticket_facts
    referencing new table as new_rows for each statement execute function mark_ticket_days();
create trigger ticket_facts_update after update on ticket_facts
    referencing old table as old_rows new table as new_rows for each statement execute function mark_ticket_days();
create trigger ticket_facts_delete after delete on ticket_facts
    referencing old table as old_rows for each statement execute function mark_ticket_days();
create trigger rating_facts_insert after insert on rating_facts
    referencing new table as new_rows for each statement execute function mark_rating_days();
create trigger rating_facts_update after update on rating_facts
    referencing old table as old_rows new table as new_rows for each statement execute function mark_rating_days();
create trigger rating_facts_delete after delete on rating_facts
    referencing old table as old_rows for each statement execute function mark_rating_days();

insert into rollup_dirty (workspace_id, day)
select workspace_id, date_trunc('day', opened_at, 'UTC') from ticket_facts where opened_at is not null
union
select workspace_id, date_trunc('day', occurred_at, 'UTC') from rating_facts
on conflict (workspace_id, day) do nothing;
