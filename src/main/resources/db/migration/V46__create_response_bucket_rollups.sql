-- Answered leads per UTC creation day and bucket of minutes to the first response (three buckets per
-- doubling): a percentile of first-response minutes (ResponseTimes, Ranks) starts its index walk at
-- the bucket holding its rank instead of at the fastest response. Summed like daily_leads (V30), whose
-- triggers mark the days; without channel keys, so only reports not narrowed by channel use them.

-- The buckets' lower edges in minutes: width_bucket(minutes, edges) numbers a value's bucket, 0 below
-- the first edge (a response logged before its lead) and cardinality(edges) from the last one.
create function response_minute_edges() returns float8[] language sql immutable parallel safe as $$
select '{0,0.125,0.15749,0.198425,0.25,0.31498,0.39685,0.5,0.629961,0.793701,1,1.25992,1.5874,2,2.51984,3.1748,4,5.03968,6.3496,8,10.0794,12.6992,16,20.1587,25.3984,32,40.3175,50.7968,64,80.6349,101.594,128,161.27,203.187,256,322.54,406.375,512,645.08,812.749,1024,1290.16,1625.5,2048,2580.32,3251,4096,5160.64,6501.99,8192,10321.3,13004,16384,20642.5,26008,32768,41285.1,52016,65536,82570.2,104032,131072}'::float8[]
$$;

create table daily_response_buckets (
    workspace_id uuid        not null references workspaces (id) on delete cascade,
    day          timestamptz not null,
    bucket       integer     not null,
    leads        bigint      not null
);
create index daily_response_buckets_day on daily_response_buckets (workspace_id, day);

-- per manager (leads without one left out), for /managers and reports narrowed by manager
create table daily_manager_response_buckets (
    workspace_id uuid        not null references workspaces (id) on delete cascade,
    day          timestamptz not null,
    manager_id   text        not null,
    bucket       integer     not null,
    leads        bigint      not null
);
create index daily_manager_response_buckets_day on daily_manager_response_buckets (workspace_id, day);

insert into daily_manager_response_buckets (workspace_id, day, manager_id, bucket, leads)
select workspace_id, date_trunc('day', created_at, 'UTC'), manager_id,
       width_bucket(extract(epoch from first_response_at - created_at)::float8 / 60, response_minute_edges()), count(*)
from lead_facts
where first_response_at is not null and manager_id is not null
group by 1, 2, 3, 4;

insert into daily_response_buckets (workspace_id, day, bucket, leads)
select workspace_id, date_trunc('day', created_at, 'UTC'),
       width_bucket(extract(epoch from first_response_at - created_at)::float8 / 60, response_minute_edges()), count(*)
from lead_facts
where first_response_at is not null
group by 1, 2, 3;

-- V39's per-manager lead rollup only gave /managers its count of answered leads per manager, which
-- daily_manager_response_buckets now gives
drop table daily_lead_managers;
