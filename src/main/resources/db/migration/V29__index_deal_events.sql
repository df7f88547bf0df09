-- The deal.* events of each deal in order, with what deal state is made of: a report works out the
-- deals alive at its 'to' (events at or after it) from these by index-only lookups, one per deal, instead
-- of fetching every event naming the deal (calls, messages, payments) from the table.
create index events_deal_state on events (workspace_id, deal_id, occurred_at)
    include (event_id, type, manager_id, amount, reason, stage, pipeline)
    where deal_id is not null
      and type in ('deal.created', 'deal.stage_changed', 'deal.won', 'deal.lost', 'deal.reassigned');
