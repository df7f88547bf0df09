-- A deal's stage rows change only with its deal_state row, in the same transaction (EntityState recomputes
-- both for the deals a batch touches), and V43's deal_state trigger already marks the deal's creation day:
-- V44's triggers on deal_stages marked the same days again on every batch.
drop trigger deal_stages_insert on deal_stages;
drop trigger deal_stages_update on deal_stages;
drop trigger deal_stages_delete on deal_stages;
drop function mark_stage_days();
