-- The won deals of a window with what /kpis narrows them by, read from the index alone for the median
-- cycle time.
create index deal_state_won on deal_state (workspace_id, outcome_at)
    include (created_at, last_at, lead_created_at, pipeline, outcome_owner, lead_channel, lead_utm_source,
             lead_tracking_number)
    where outcome = 'deal.won';
