-- The answered leads in order of minutes to their first response, with what a report narrows them by
-- (window, settled as of :to, channel, manager): /kpis and /managers read the median and p90 by
-- walking these to their ranks instead of sorting every response time of the window (ResponseTimes).
create index lead_facts_response on lead_facts
    (workspace_id, (extract(epoch from first_response_at - created_at)::float8 / 60))
    include (created_at, first_response_at, last_deal_at, manager_id, channel, utm_source, tracking_number)
    where first_response_at is not null;

-- per manager
create index lead_facts_manager_response on lead_facts
    (workspace_id, manager_id, (extract(epoch from first_response_at - created_at)::float8 / 60))
    include (created_at, first_response_at, last_deal_at, channel, utm_source, tracking_number)
    where first_response_at is not null and manager_id is not null;

-- the leads with a deal created at or after a report's 'to', whose first response as of 'to' is worked
-- out from the events
create index lead_facts_last_deal on lead_facts (workspace_id, last_deal_at) where last_deal_at is not null;
