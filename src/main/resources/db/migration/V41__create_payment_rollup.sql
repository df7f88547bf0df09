-- Payments summed per UTC day (see V25) by the channel keys and campaign they are attributed to and
-- whether each is its customer's first: a payment's share has its attribution with every deal and lead
-- it depends on created; a report as of :to works out the payments whose deal, deal's lead or customer's
-- first lead was created at or after :to as of :to instead (none when :to is now).
create table daily_payments (
    workspace_id    uuid        not null references workspaces (id) on delete cascade,
    day             timestamptz not null,
    channel         text,
    utm_source      text,
    tracking_number text,
    campaign        text,
    customer_first  boolean     not null,
    payments        bigint      not null,
    amount          numeric     not null
);
create index daily_payments_day on daily_payments (workspace_id, day);

create index payment_facts_changed on payment_facts
    (workspace_id, (greatest(deal_created_at, deal_lead_created_at, customer_lead_created_at)))
    include (occurred_at)
    where greatest(deal_created_at, deal_lead_created_at, customer_lead_created_at) is not null;

create function mark_payment_days() returns trigger language plpgsql as $$
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

create trigger payment_facts_insert after insert on payment_facts
    referencing new table as new_rows for each statement execute function mark_payment_days();
create trigger payment_facts_update after update on payment_facts
    referencing old table as old_rows new table as new_rows for each statement execute function mark_payment_days();
create trigger payment_facts_delete after delete on payment_facts
    referencing old table as old_rows for each statement execute function mark_payment_days();

insert into rollup_dirty (workspace_id, day)
select distinct workspace_id, date_trunc('day', occurred_at, 'UTC') from payment_facts
on conflict (workspace_id, day) do nothing;
