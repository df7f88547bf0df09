-- A deal's completed days per stage in order, with what the funnel narrows its cohort by (created in the
-- window, settled before 'to', owner, pipeline, the lead's channel): /funnel reads each stage's median by
-- walking this index to its ranks (FunnelQuery) instead of sorting every deal's days. The deal's columns
-- are copied from deal_state whenever the deal is recomputed (EntityState).
alter table deal_stages
    add column deal_created_at      timestamptz,
    add column deal_last_at         timestamptz,
    add column owner                text,
    add column lead_created_at      timestamptz,
    add column lead_channel         text,
    add column lead_utm_source      text,
    add column lead_tracking_number text;

update deal_stages d
set deal_created_at = s.created_at, deal_last_at = s.last_at, owner = s.owner, lead_created_at = s.lead_created_at,
    lead_channel = s.lead_channel, lead_utm_source = s.lead_utm_source, lead_tracking_number = s.lead_tracking_number
from deal_state s
where s.workspace_id = d.workspace_id and s.deal_id = d.deal_id and d.completed_seconds is not null;

create index deal_stages_days on deal_stages (workspace_id, pipeline, stage, completed_seconds)
    include (deal_created_at, deal_last_at, owner, lead_created_at, lead_channel, lead_utm_source, lead_tracking_number)
    where completed_seconds is not null;
