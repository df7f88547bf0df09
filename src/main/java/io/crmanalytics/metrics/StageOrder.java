package io.crmanalytics.metrics;

import io.crmanalytics.common.Sql;

/**
 * The stage order of a pipeline as of :to: the configured stages, then stages seen in deal.created
 * and deal.stage_changed events before :to but not configured, in the order first seen.
 */
public final class StageOrder {

    private StageOrder() {
    }

    /**
     * CTE {@code stage_order(pipeline, stage, position, configured)} for every pipeline of :ws, from
     * each stage's first sighting (deal_stages) on a deal created before :to. Stage changes naming
     * another pipeline than the deal's are left out.
     */
    public static final String CTE = """
            stage_first as (
              select k.pipeline, k.stage, f.first_at as occurred_at, f.event_id
              from pipeline_stages k
              cross join lateral (
                select s.first_at, s.event_id
                from deal_stages s join deal_state d on d.workspace_id = s.workspace_id and d.deal_id = s.deal_id
                where s.workspace_id = :ws and s.pipeline = k.pipeline and s.stage = k.stage and s.first_at < :to
                  and d.created_at < :to
                order by s.first_at, s.event_id
                limit 1) f
              where k.workspace_id = :ws),
            stage_order as (
              select p.name as pipeline, c.stage, c.position, true as configured
              from pipelines p, unnest(p.stages) with ordinality as c(stage, position)
              where p.workspace_id = :ws
              union all
              select f.pipeline, f.stage,
                     1000000 + row_number() over (partition by f.pipeline order by f.occurred_at, f.event_id), false
              from stage_first f
              where not exists (select 1 from pipelines p where p.workspace_id = :ws and p.name = f.pipeline
                                and f.stage = any(p.stages)))""";

    static final Sql SQL = new Sql("with " + CTE + """

            select stage, configured from stage_order where pipeline = :pipeline order by position""");
}
