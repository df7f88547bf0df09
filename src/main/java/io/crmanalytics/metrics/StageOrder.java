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
     * CTE {@code stage_order(pipeline, stage, position, configured)} for every pipeline of :ws; needs
     * {@link Facts#DEAL_CREATED}. Stage changes naming another pipeline than the deal's are left out.
     */
    public static final String CTE = """
            stage_events as (
              select dc.pipeline, dc.stage, dc.created_at as occurred_at, dc.event_id from deal_created dc
              union all
              select dc.pipeline, e.stage, e.occurred_at, e.event_id
              from events e join deal_created dc on dc.deal_id = e.deal_id
              where e.workspace_id = :ws and e.type = 'deal.stage_changed' and e.occurred_at < :to
                and coalesce(e.pipeline, dc.pipeline) = dc.pipeline),
            stage_first as (
              select distinct on (pipeline, stage) pipeline, stage, occurred_at, event_id
              from stage_events
              order by pipeline, stage, occurred_at, event_id),
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

    static final Sql SQL = new Sql("with " + Facts.DEAL_CREATED + ",\n" + CTE + """

            select stage, configured from stage_order where pipeline = :pipeline order by position""");
}
