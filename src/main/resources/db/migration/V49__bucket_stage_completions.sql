-- The stage completions (V44, V48) per bucket of the deal's days in the stage too (three buckets per
-- doubling, as V46 does for first responses), so that a stage's median walk (FunnelQuery, Ranks) starts at
-- the bucket holding its rank instead of at the shortest stay. The days index of V28 is rebuilt on the days
-- themselves (seconds / 86400), the value a walk is bounded by (with the seconds, for index-only scans).

-- The buckets' lower edges in days: width_bucket(days, edges) numbers a value's bucket.
create function stage_day_edges() returns float8[] language sql immutable parallel safe as $$
select '{0,0.000976562,0.00123039,0.0015502,0.00195312,0.00246078,0.00310039,0.00390625,0.00492157,0.00620079,0.0078125,0.00984313,0.0124016,0.015625,0.0196863,0.0248031,0.03125,0.0393725,0.0496063,0.0625,0.0787451,0.0992126,0.125,0.15749,0.198425,0.25,0.31498,0.39685,0.5,0.629961,0.793701,1,1.25992,1.5874,2,2.51984,3.1748,4,5.03968,6.3496,8,10.0794,12.6992,16,20.1587,25.3984,32,40.3175,50.7968,64,80.6349,101.594,128,161.27,203.187,256,322.54,406.375,512}'::float8[]
$$;

alter table daily_stage_completions add column bucket integer not null default 0;
alter table daily_stage_completions alter column bucket drop default;
alter table monthly_stage_completions add column bucket integer not null default 0;
alter table monthly_stage_completions alter column bucket drop default;

delete from daily_stage_completions;
insert into daily_stage_completions (workspace_id, day, pipeline, stage, deals, bucket)
select workspace_id, date_trunc('day', deal_created_at, 'UTC'), pipeline, stage, count(*),
       width_bucket(completed_seconds / 86400, stage_day_edges())
from deal_stages
where completed_seconds is not null and deal_created_at is not null
group by 1, 2, 3, 4, 6;

delete from monthly_stage_completions;
insert into monthly_stage_completions (workspace_id, day, pipeline, stage, deals, bucket)
select workspace_id, date_trunc('month', day, 'UTC'), pipeline, stage, sum(deals), bucket
from daily_stage_completions
group by 1, 2, 3, 4, 6;

drop index deal_stages_days;
create index deal_stages_days on deal_stages (workspace_id, pipeline, stage, (completed_seconds / 86400))
    include (completed_seconds, deal_created_at, deal_last_at, owner, lead_created_at, lead_channel, lead_utm_source,
             lead_tracking_number)
    where completed_seconds is not null;
