-- Visits per UTC day and the UTC day of the visitor's previous visit only: the reports read the rollup
-- only unfiltered (narrowed by channel, the previous visit may be in another channel, so they count
-- visitors from the facts), so V25's channel keys only made it 9x larger.
create table daily_visit_days (
    workspace_id uuid        not null references workspaces (id) on delete cascade,
    day          timestamptz not null,
    -- the UTC day of the visitor's previous visit; null for a first visit
    prev_day     timestamptz,
    visits       bigint      not null
);
create index daily_visit_days_day on daily_visit_days (workspace_id, day);

insert into daily_visit_days (workspace_id, day, prev_day, visits)
select workspace_id, day, prev_day, sum(visits)
from daily_visits
group by 1, 2, 3;

drop table daily_visits;
