-- /service orders categories by their first ticket before 'to': one lookup per category.
create index ticket_facts_category on ticket_facts (workspace_id, category, opened_at);
