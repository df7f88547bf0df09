-- Narrower copies of daily_leads and daily_deal_outcomes without the manager, owner, pipeline and lost
-- reason (5-12x fewer rows at 10M events): reports not narrowed by a manager or pipeline read these.
-- The compactor sums them from the wider ones in the same transaction.
create table daily_lead_channels (
    workspace_id    uuid        not null references workspaces (id) on delete cascade,
    day             timestamptz not null,
    channel         text,
    utm_source      text,
    tracking_number text,
    campaign        text,
    status          text,
    answered        boolean     not null,
    leads           bigint      not null
);
create index daily_lead_channels_day on daily_lead_channels (workspace_id, day);

create table daily_outcome_channels (
    workspace_id    uuid        not null references workspaces (id) on delete cascade,
    day             timestamptz not null,
    outcome         text        not null,
    channel         text,
    utm_source      text,
    tracking_number text,
    campaign        text,
    deals           bigint      not null,
    amount          numeric     not null,
    cycle_seconds   numeric     not null
);
create index daily_outcome_channels_day on daily_outcome_channels (workspace_id, day);

insert into daily_lead_channels (workspace_id, day, channel, utm_source, tracking_number, campaign, status, answered,
                                 leads)
select workspace_id, day, channel, utm_source, tracking_number, campaign, status, answered, sum(leads)
from daily_leads
group by 1, 2, 3, 4, 5, 6, 7, 8;

insert into daily_outcome_channels (workspace_id, day, outcome, channel, utm_source, tracking_number, campaign, deals,
                                    amount, cycle_seconds)
select workspace_id, day, outcome, channel, utm_source, tracking_number, campaign, sum(deals), sum(amount),
       sum(cycle_seconds)
from daily_deal_outcomes
group by 1, 2, 3, 4, 5, 6, 7;
