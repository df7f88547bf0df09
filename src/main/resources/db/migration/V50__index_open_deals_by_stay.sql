-- Open deals by the start of their current stay: /funnel counts the stalled open deals of its rollup's
-- days as all of them (the rollup counts them) less the few whose current stay began within stallDays of
-- 'to', a short range of this index, instead of testing every open deal.
create index deal_state_open_since on deal_state (workspace_id, current_since)
    include (created_at, last_at, pipeline, last_stage)
    where outcome is null;
