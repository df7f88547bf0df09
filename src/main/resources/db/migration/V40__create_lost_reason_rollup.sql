-- Lost deals per UTC day of the outcome and lost reason only (see V38): /lost-reasons reads these unless
-- narrowed by channel, manager or pipeline.
create table daily_lost_reasons (
    workspace_id uuid        not null references workspaces (id) on delete cascade,
    day          timestamptz not null,
    lost_reason  text,
    deals        bigint      not null
);
create index daily_lost_reasons_day on daily_lost_reasons (workspace_id, day);

insert into daily_lost_reasons (workspace_id, day, lost_reason, deals)
select workspace_id, day, lost_reason, sum(deals)
from daily_deal_outcomes
where outcome = 'deal.lost'
group by 1, 2, 3;
