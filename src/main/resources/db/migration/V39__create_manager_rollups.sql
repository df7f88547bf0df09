-- Narrower copies of daily_leads and daily_deal_outcomes per manager, without channel, campaign,
-- pipeline and lost reason (see V38): /managers reads these unless narrowed by channel or pipeline.
create table daily_lead_managers (
    workspace_id uuid        not null references workspaces (id) on delete cascade,
    day          timestamptz not null,
    manager_id   text,
    status       text,
    answered     boolean     not null,
    leads        bigint      not null
);
create index daily_lead_managers_day on daily_lead_managers (workspace_id, day);

create table daily_outcome_owners (
    workspace_id  uuid        not null references workspaces (id) on delete cascade,
    day           timestamptz not null,
    outcome       text        not null,
    outcome_owner text,
    deals         bigint      not null,
    amount        numeric     not null,
    cycle_seconds numeric     not null
);
create index daily_outcome_owners_day on daily_outcome_owners (workspace_id, day);

insert into daily_lead_managers (workspace_id, day, manager_id, status, answered, leads)
select workspace_id, day, manager_id, status, answered, sum(leads)
from daily_leads
group by 1, 2, 3, 4, 5;

insert into daily_outcome_owners (workspace_id, day, outcome, outcome_owner, deals, amount, cycle_seconds)
select workspace_id, day, outcome, outcome_owner, sum(deals), sum(amount), sum(cycle_seconds)
from daily_deal_outcomes
group by 1, 2, 3, 4;
