-- daily_funnel (V43) holds open deals too (outcome null): /funnel counts them from it like the closed
-- ones and reads only the stalled ones' stages (an open deal's stall depends on 'to') from the
-- deal_state_open index, instead of every open deal of the window with its stages.
alter table daily_funnel alter column outcome drop not null;

insert into daily_funnel (workspace_id, day, pipeline, outcome, lost_reason, stages, last_stage, deals)
select workspace_id, date_trunc('day', created_at, 'UTC'), pipeline, null, lost_reason, stages, last_stage, count(*)
from deal_state
where outcome is null
  and (workspace_id, date_trunc('day', created_at, 'UTC')) not in (select workspace_id, day from rollup_dirty)
group by 1, 2, 3, 4, 5, 6, 7;
