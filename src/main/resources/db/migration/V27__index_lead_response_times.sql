-- The answered leads in order of minutes to their first response, with what a report filters them by
-- (window, settled as of :to, manager, channel): /kpis reads the median and p90 by walking this index
-- to their ranks instead of sorting every response time of the window (KpiQuery).
create index lead_facts_response on lead_facts
    (workspace_id, (extract(epoch from first_response_at - created_at)::float8 / 60))
    include (created_at, first_response_at, last_deal_at, manager_id, channel, utm_source, tracking_number)
    where first_response_at is not null;
