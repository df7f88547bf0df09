-- Per-UTC-month sums of the daily rollups, with their columns and keys (day: the month's first day): a
-- report reads the whole clean months of its window as one row per key instead of one per key and day
-- (Rollups.clean). RollupCompactor sums a month from its daily rows in the transaction that sums any of
-- its days, so a month without dirty days always equals the sum of its days; a month with one is read
-- from its daily rows and facts.
do $$
declare
    name text;
begin
    foreach name in array array['activity', 'visit_days', 'leads', 'tasks', 'deal_outcomes', 'tickets',
                                'ratings', 'resolutions', 'lead_channels', 'outcome_channels', 'outcome_owners',
                                'lost_reasons', 'payments', 'funnel', 'stage_completions', 'response_buckets',
                                'manager_response_buckets'] loop
        execute format('create table monthly_%1$s (like daily_%1$s including defaults including constraints)', name);
        execute format('alter table monthly_%1$s add foreign key (workspace_id) references workspaces (id) '
                       'on delete cascade', name);
        execute format('create index monthly_%1$s_day on monthly_%1$s (workspace_id, day)', name);
    end loop;
end $$;

-- existing data: one day of every month with rollup rows is marked, so the compactor sums the month (the
-- other rollups are summed from the facts of these, or from these)
do $$
declare
    name text;
begin
    foreach name in array array['activity', 'visit_days', 'leads', 'tasks', 'deal_outcomes', 'tickets', 'ratings',
                                'resolutions', 'payments', 'funnel'] loop
        execute format('insert into rollup_dirty (workspace_id, day) '
                       'select distinct workspace_id, date_trunc(''month'', day, ''UTC'') from daily_%s '
                       'on conflict (workspace_id, day) do nothing', name);
    end loop;
end $$;
