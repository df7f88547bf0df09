-- The resolutions (V37, V48) per bucket of hours to resolution too (three buckets per doubling, as V46 and
-- V49), so that /service's resolution medians (ServiceQuery, Ranks) start their index walks at the bucket
-- holding their rank instead of at the fastest resolution.

-- The buckets' lower edges in hours: width_bucket(hours, edges) numbers a value's bucket.
create function resolution_hour_edges() returns float8[] language sql immutable parallel safe as $$
select '{0,0.015625,0.0196863,0.0248031,0.03125,0.0393725,0.0496063,0.0625,0.0787451,0.0992126,0.125,0.15749,0.198425,0.25,0.31498,0.39685,0.5,0.629961,0.793701,1,1.25992,1.5874,2,2.51984,3.1748,4,5.03968,6.3496,8,10.0794,12.6992,16,20.1587,25.3984,32,40.3175,50.7968,64,80.6349,101.594,128,161.27,203.187,256,322.54,406.375,512,645.08,812.749,1024,1290.16,1625.5,2048,2580.32,3251,4096,5160.64,6501.99,8192}'::float8[]
$$;

alter table daily_resolutions add column bucket integer not null default 0;
alter table daily_resolutions alter column bucket drop default;
alter table monthly_resolutions add column bucket integer not null default 0;
alter table monthly_resolutions alter column bucket drop default;

delete from daily_resolutions;
insert into daily_resolutions (workspace_id, day, category, resolved, resolution_seconds, bucket)
select workspace_id, date_trunc('day', resolved_at, 'UTC'), category, count(*),
       sum(extract(epoch from resolved_at - opened_at)),
       width_bucket(extract(epoch from resolved_at - opened_at)::float8 / 3600, resolution_hour_edges())
from ticket_facts
where resolved_at is not null and opened_at <= resolved_at
group by 1, 2, 3, 6;

delete from monthly_resolutions;
insert into monthly_resolutions (workspace_id, day, category, resolved, resolution_seconds, bucket)
select workspace_id, date_trunc('month', day, 'UTC'), category, sum(resolved), sum(resolution_seconds), bucket
from daily_resolutions
group by 1, 2, 3, 6;
