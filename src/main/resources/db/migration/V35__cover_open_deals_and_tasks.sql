-- /managers counts open deals and open tasks per manager from these indexes alone.
drop index deal_state_open;
create index deal_state_open on deal_state (workspace_id, created_at)
    include (last_at, owner, pipeline, lead_created_at, lead_channel, lead_utm_source, lead_tracking_number)
    where outcome is null;
drop index task_facts_open;
create index task_facts_open on task_facts (workspace_id, created_at) include (manager_id, due_at)
    where done_at is null;
