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
            stage_first as (
              select distinct on (s.pipeline, s.stage) s.pipeline, s.stage, s.first_at as occurred_at, s.event_id
              from deal_stages s join deal_created dc on dc.deal_id = s.deal_id
              where s.workspace_id = :ws and s.first_at < :to
              order by s.pipeline, s.stage, s.first_at, s.event_id),
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
