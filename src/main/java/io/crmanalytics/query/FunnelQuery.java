package io.crmanalytics.query;

import static io.crmanalytics.metrics.Facts.channelIn;
import static io.crmanalytics.metrics.Facts.managerIn;
import static io.crmanalytics.metrics.Facts.pipelineIn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agroal.api.AgroalDataSource;
import io.crmanalytics.common.ProblemException;
import io.crmanalytics.common.Sql;
import io.crmanalytics.metrics.Facts;
import io.crmanalytics.metrics.MetricQuery;
import io.crmanalytics.metrics.Ranked;
import io.crmanalytics.metrics.Ranks;
import io.crmanalytics.metrics.Rollups;
import io.crmanalytics.metrics.StageOrder;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The stage funnel of the deals created in [from, to), per pipeline, as seen at to. The database
 * walks each deal's stage events into stays and counts per stage; the conversions are derived here.
 */
@ApplicationScoped
public class FunnelQuery {

    static final int DEFAULT_STALL_DAYS = 14;

    @Schema(name = "Funnel", description = "Per pipeline: every pipeline configured or seen before 'to' (narrowed by "
            + "the pipeline filter), by name; a pipeline without deals created in the window has zero counts")
    public record FunnelView(List<PipelineFunnel> pipelines) {
    }

    @Schema(name = "FunnelPipeline")
    public record PipelineFunnel(
            String pipeline,
            @Schema(description = "The cohort: deals created in the window in this pipeline (by their deal.created)")
            long deals,
            @Schema(description = "Cohort deals whose outcome at 'to' is won") long won,
            @Schema(description = "Cohort deals whose outcome at 'to' is lost") long lost,
            @Schema(description = "Cohort deals without an outcome at 'to'") long open,
            @Schema(description = "Stages in order: the configured ones, then the others in the order first seen "
                    + "before 'to'") List<StageFunnel> stages) {
    }

    @Schema(name = "FunnelStage")
    public record StageFunnel(
            String stage,
            @Schema(description = "Cohort deals ever in this stage or a later one, or won at 'to'") long reached,
            @Schema(description = "reached(next stage) / reached; for the last stage won / reached; null when "
                    + "reached is 0") Double conversionToNext,
            @Schema(description = "reached / reached(first stage); null when that is 0") Double conversionFromStart,
            @Schema(description = "Cohort deals lost at 'to' that were in this stage when lost") long lostHere,
            @Schema(description = "lostHere by lostReason (null: none given), most frequent first")
            List<ReasonCount> lostReasons,
            @Schema(description = "Median over the deals that left this stage at least once of each deal's total "
                    + "days in its completed stays here (exact: seconds / 86400); null when none left it")
            Double medianDaysInStage,
            @Schema(description = "Open deals in this stage whose current stay at 'to' is longer than stallDays")
            long stuck) {
    }

    @Schema(name = "ReasonCount")
    public record ReasonCount(@Schema(description = "The lostReason; null when the deal.lost gave none") String reason,
                              long count) {
    }

    /**
     * CSV: one row per (pipeline, stage), the window and the pipeline's figures first. With
     * compare=previous the pipeline's comparison columns are named pipelinePrevious.*, pipelineChange.*
     * and pipelineChangeRate.* so they do not collide with the stage's previous.*, change.*, changeRate.*.
     */
    static final Reports.CsvRows CSV_ROWS = body -> {
        var rows = new ArrayList<JsonNode>();
        for (JsonNode pipeline : body.path("pipelines")) {
            ObjectNode columns = body.objectNode();
            columns.put("from", body.path("from").asText()).put("to", body.path("to").asText());
            pipeline.properties().forEach(field -> {
                String name = field.getKey();
                if (field.getValue().isObject()) {
                    String prefixed = "pipeline" + Character.toUpperCase(name.charAt(0)) + name.substring(1);
                    columns.set(prefixed, field.getValue());
                } else if (!field.getValue().isArray()) {
                    columns.set(name, field.getValue());
                }
            });
            for (JsonNode stage : pipeline.path("stages")) {
                rows.add(columns.deepCopy().setAll((ObjectNode) stage));
            }
        }
        return rows;
    };

    /*
     * The cohort's per-deal funnel state (stages entered, last stage, open since) is derived in deal_state
     * for deals without events at or after :to (settled), and worked out from the event log (Facts.STAYS)
     * for the others. Deals are then grouped by that state, so the stage order is applied per group, not
     * per deal. The cohort is read once for the settled deals and by index for the others (deal_state_last).
     * A stage's median days are read at their ranks (Ranks): the settled deals' days per stage from the
     * deal_stages_days index (V28, V49: counts per bucket of days let a walk start near its rank), the
     * others' from their stays.
     */
    private static final String SETTLED_DAYS = """
            s.workspace_id = :ws and s.completed_seconds is not null
              and s.deal_created_at >= :from and s.deal_created_at < :to and s.deal_last_at < :to and %1$s and %2$s
              -- the deal's channel as Facts.DEALS gives it
              and (cardinality(:channels) = 0
                   or case when s.lead_created_at < :to then %3$s else 'unknown' end = any(:channels))"""
            .formatted(managerIn("s.owner"), pipelineIn("s.pipeline"),
                    Facts.mappedChannel("s.lead_channel", "s.lead_utm_source", "s.lead_tracking_number"));

    private static final String STAGE_WALK = """
            select %2$s as v
            from deal_stages s
            where %1$s and s.pipeline = g.pipeline and s.stage = g.stage and %2$s %%4$s
            order by 1 %%1$s
            offset %%2$s limit %%3$s""".formatted(SETTLED_DAYS, Ranked.STAGE_DAYS.of("s"));

    private static final Sql SQL = new Sql(("with " + Facts.DEALS + ",\n" + StageOrder.CTE + ",\n"
            + Facts.MAPPING_ARRAYS + ",\n" + Rollups.WINDOW + """
            ,
            cohort as not materialized (
              select d.deal_id, d.pipeline, d.outcome, d.lost_reason, d.last_at, d.stages, d.last_stage,
                     d.current_since
              from deals d
              where d.created_at >= :from and %1$s and %2$s and %3$s),
            unsettled as materialized (
              select * from cohort where last_at >= :to),
            stay_cohort as (
              select f.deal_id, f.pipeline, f.stage, f.created_at, f.event_id
              from unsettled c join deal_facts f on f.workspace_id = :ws and f.deal_id = c.deal_id),
            """ + Facts.STAYS + """
            ,
            -- n: deals per row. Narrowed by manager or channel, every settled deal of the cohort from its
            -- row; otherwise those of whole clean UTC days from the daily rollup (less the share of those
            -- with events at or after :to; rolled: an open one's stall is in settled_stalled) and the others
            -- from their rows by index. The unsettled ones from their stays.
            deal_funnel as (
              select pipeline, outcome, lost_reason, stages, last_stage, current_since, 1 as n, false as rolled
              from cohort where last_at < :to and (cardinality(:managers) > 0 or cardinality(:channels) > 0)
              union all
              select r.pipeline, r.outcome, r.lost_reason, r.stages, r.last_stage, null, r.deals, true
              from %7$s r
              where %8$s and cardinality(:managers) = 0 and cardinality(:channels) = 0
              union all
              select s.pipeline, s.outcome, s.lost_reason, s.stages, s.last_stage, null, -1, true
              from deal_state s
              where s.workspace_id = :ws and s.last_at >= :to and %9$s
                and s.created_at >= :dayFrom and s.created_at < :dayTo
                and date_trunc('day', s.created_at, 'UTC') not in (select day from dirty_days)
                and cardinality(:managers) = 0 and cardinality(:channels) = 0
              union all
              select s.pipeline, s.outcome, s.lost_reason, s.stages, s.last_stage, s.current_since, 1, false
              from fact_ranges f
              join deal_state s on s.workspace_id = :ws and s.created_at >= f.lo and s.created_at < f.hi
              where s.last_at < :to and %9$s and cardinality(:managers) = 0 and cardinality(:channels) = 0
              union all
              select c.pipeline, c.outcome, c.lost_reason, s.stages, s.last_stage, s.current_since, 1, false
              from unsettled c
              join (select deal_id, array_agg(distinct stage) as stages,
                           (array_agg(stage order by stay desc))[1] as last_stage,
                           max(began) filter (where ended is null) as current_since
                    from stays group by deal_id) s on s.deal_id = c.deal_id),
            -- the stalled open deals of the rollup's days, per last stage: all of the rollup's open deals but
            -- those not stalled, whose current stay began less than stallDays before :to (and before :to, as
            -- they are settled): a short range of deal_state_open_since (V50), the exact test after it
            settled_stalled as materialized (
              select pipeline, last_stage, sum(n) as n
              from (select pipeline, last_stage, n from deal_funnel where rolled and outcome is null
                    union all
                    select s.pipeline, s.last_stage, -1
                    from deal_state s
                    where s.workspace_id = :ws and s.outcome is null
                      and (s.current_since is null
                           or s.current_since >= :to::timestamptz - make_interval(secs => :stallDays * 86400.0 + 1)
                              and s.current_since < :to)
                      and not coalesce(extract(epoch from :to::timestamptz - s.current_since) > :stallDays * 86400.0, false)
                      and s.last_at < :to and %9$s and s.created_at >= :dayFrom and s.created_at < :dayTo
                      and date_trunc('day', s.created_at, 'UTC') not in (select day from dirty_days)
                      and cardinality(:managers) = 0 and cardinality(:channels) = 0) x
              group by 1, 2),
            deal_groups as (
              select pipeline, outcome, lost_reason, stages, last_stage,
                     coalesce(extract(epoch from :to::timestamptz - current_since) > :stallDays * 86400.0, false)
                       as stalled,
                     sum(n) as n
              from deal_funnel
              group by 1, 2, 3, 4, 5, 6
              having sum(n) <> 0),
            deal_state as (
              select g.*, (select max(so.position) from unnest(g.stages) as st(stage)
                           join stage_order so on so.pipeline = g.pipeline and so.stage = st.stage) as highest
              from deal_groups g),
            -- per stage and bucket of days (V49): the settled deals that completed a stay there, to be
            -- walked. Narrowed by manager or channel, each from its row; otherwise whole clean UTC days from
            -- the rollup, less the deals with events at or after :to, the partial and dirty days from deal_stages.
            stage_bucket_rows as (
              select pipeline, stage, bucket, sum(n)::bigint as n
              from (select s.pipeline, s.stage, 1 as n, %11$s as bucket from deal_stages s
                    where %5$s and (cardinality(:managers) > 0 or cardinality(:channels) > 0)
                    union all
                    select r.pipeline, r.stage, r.deals, r.bucket from %10$s r
                    where %8$s and cardinality(:managers) = 0 and cardinality(:channels) = 0
                    union all
                    select s.pipeline, s.stage, -1, %11$s from deal_stages s
                    where s.workspace_id = :ws and s.completed_seconds is not null and s.deal_last_at >= :to
                      and s.deal_created_at >= :dayFrom and s.deal_created_at < :dayTo
                      and date_trunc('day', s.deal_created_at, 'UTC') not in (select day from dirty_days)
                      and %9$s and cardinality(:managers) = 0 and cardinality(:channels) = 0
                    union all
                    select s.pipeline, s.stage, 1, %11$s from fact_ranges f
                    join deal_stages s on s.workspace_id = :ws and s.deal_created_at >= f.lo
                                      and s.deal_created_at < f.hi
                    where s.completed_seconds is not null and s.deal_last_at < :to and %9$s
                      and cardinality(:managers) = 0 and cardinality(:channels) = 0) x
              group by 1, 2, 3),
            -- with the others' completed days there
            stage_sets as (
              select coalesce(c.pipeline, o.pipeline) as pipeline, coalesce(c.stage, o.stage) as stage,
                     coalesce(c.in_index, 0) as in_index, coalesce(o.others, '{}') as others
              from (select pipeline, stage, sum(n)::bigint as in_index from stage_bucket_rows
                    group by 1, 2
                    having sum(n) <> 0) c
              full join (select pipeline, stage, array_agg(days) as others
                         from (select c.pipeline, s.stage, sum(extract(epoch from s.ended - s.began))::float8 / 86400 as days
                               from unsettled c join stays s on s.deal_id = c.deal_id
                               where s.ended is not null
                               group by c.deal_id, c.pipeline, s.stage) d
                         group by 1, 2) o on o.pipeline = c.pipeline and o.stage = c.stage),
            %6$s,
            stage_counts as (
              select so.pipeline, so.stage, so.position,
                     coalesce(sum(d.n) filter (where d.highest >= so.position or d.outcome = 'deal.won'), 0) as reached,
                     coalesce(sum(d.n) filter (where d.outcome = 'deal.lost' and d.last_stage = so.stage), 0)
                       as lost_here,
                     coalesce(sum(d.n) filter (where d.outcome is null and d.last_stage = so.stage and d.stalled), 0)
                       + coalesce((select ss.n from settled_stalled ss
                                   where ss.pipeline = so.pipeline and ss.last_stage = so.stage), 0) as stuck
              from stage_order so left join deal_state d on d.pipeline = so.pipeline
              where %4$s
              group by so.pipeline, so.stage, so.position),
            lost_reasons as (
              select pipeline, stage, array_agg(reason order by n desc, reason collate "C" nulls last) as reasons,
                     array_agg(n order by n desc, reason collate "C" nulls last) as counts
              from (select pipeline, last_stage as stage, lost_reason as reason, sum(n)::bigint as n
                    from deal_state where outcome = 'deal.lost'
                    group by pipeline, last_stage, lost_reason) per_reason
              group by pipeline, stage),
            pipeline_totals as (
              select pipeline, sum(n) as deals, sum(n) filter (where outcome = 'deal.won') as won,
                     sum(n) filter (where outcome = 'deal.lost') as lost,
                     sum(n) filter (where outcome is null) as open
              from deal_groups group by pipeline)
            select sc.pipeline, sc.stage, sc.reached, sc.lost_here, sc.stuck, sm.median as median_days, lr.reasons,
                   lr.counts, coalesce(pt.deals, 0) as deals, coalesce(pt.won, 0) as won, coalesce(pt.lost, 0) as lost,
                   coalesce(pt.open, 0) as open
            from stage_counts sc
            left join stage_percentiles sm on sm.pipeline = sc.pipeline and sm.stage = sc.stage
            left join lost_reasons lr on lr.pipeline = sc.pipeline and lr.stage = sc.stage
            left join pipeline_totals pt on pt.pipeline = sc.pipeline
            order by sc.pipeline collate "C", sc.position""").formatted(
                    channelIn("d.channel"), managerIn("d.owner"), pipelineIn("d.pipeline"),
                    pipelineIn("so.pipeline"), SETTLED_DAYS, Ranks.percentiles("stage", "pipeline, stage", "true", STAGE_WALK, false, Ranked.STAGE_DAYS.edges()),
                    Rollups.clean("funnel"), pipelineIn("r.pipeline"), pipelineIn("s.pipeline"),
                    Rollups.clean("stage_completions"), Ranked.STAGE_DAYS.bucket("s")));

    /** One stage row as counted in the database, with its pipeline's totals. */
    private record Row(String pipeline, long deals, long won, long lost, long open, String stage, long reached,
                       long lostHere, List<ReasonCount> lostReasons, Double medianDays, long stuck) {
    }

    private final AgroalDataSource dataSource;

    public FunnelQuery(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The stallDays parameter: a whole number of days, at least 0; 14 when absent. */
    static int stallDays(String value) {
        if (value == null || value.isBlank()) {
            return DEFAULT_STALL_DAYS;
        }
        int days;
        try {
            days = Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            days = -1;
        }
        if (days < 0) {
            throw ProblemException.badParameter("stallDays", "must be a whole number of days, 0 or more");
        }
        return days;
    }

    public FunnelView run(MetricQuery query, int stallDays) {
        Map<String, Object> params = query.params();
        params.put("stallDays", stallDays);
        var byPipeline = new LinkedHashMap<String, List<Row>>();
        try (var c = dataSource.getConnection(); var st = SQL.prepare(c, params); var rs = st.executeQuery()) {
            while (rs.next()) {
                var row = new Row(rs.getString("pipeline"), rs.getLong("deals"), rs.getLong("won"), rs.getLong("lost"),
                        rs.getLong("open"), rs.getString("stage"), rs.getLong("reached"), rs.getLong("lost_here"),
                        reasons(rs), KpiQuery.nullableDouble(rs, "median_days"), rs.getLong("stuck"));
                byPipeline.computeIfAbsent(row.pipeline(), p -> new ArrayList<>()).add(row);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Funnel query failed", e);
        }
        return new FunnelView(byPipeline.values().stream().map(FunnelQuery::pipeline).toList());
    }

    private static PipelineFunnel pipeline(List<Row> rows) {
        var stages = new ArrayList<StageFunnel>();
        long first = rows.get(0).reached();
        for (int i = 0; i < rows.size(); i++) {
            var row = rows.get(i);
            // the last stage converts into won
            long next = i + 1 < rows.size() ? rows.get(i + 1).reached() : row.won();
            stages.add(new StageFunnel(row.stage(), row.reached(), Kpis.ratio(next, row.reached()),
                    Kpis.ratio(row.reached(), first), row.lostHere(), row.lostReasons(), row.medianDays(),
                    row.stuck()));
        }
        var head = rows.get(0);
        return new PipelineFunnel(head.pipeline(), head.deals(), head.won(), head.lost(), head.open(), stages);
    }

    private static List<ReasonCount> reasons(ResultSet rs) throws SQLException {
        var reasons = rs.getArray("reasons");
        if (reasons == null) {
            return List.of();
        }
        var names = (String[]) reasons.getArray();
        var counts = (Long[]) rs.getArray("counts").getArray();
        var list = new ArrayList<ReasonCount>();
        for (int i = 0; i < names.length; i++) {
            list.add(new ReasonCount(names[i], counts[i]));
        }
        return list;
    }
}
