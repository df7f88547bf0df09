package io.crmanalytics.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agroal.api.AgroalDataSource;
import io.crmanalytics.common.ProblemException;
import io.crmanalytics.common.Sql;
import io.crmanalytics.metrics.Facts;
import io.crmanalytics.metrics.Granularity;
import io.crmanalytics.metrics.MetricQuery;
import io.crmanalytics.metrics.Rollups;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A kpis figure per local day, ISO week or month: each point is the report over its bucket (clipped
 * to the window) as seen at the bucket's end, so empty buckets hold 0 for counts and null for ratios.
 * Figures whose rows are fixed once they exist (leads, spend, visits, payments and what is made of them)
 * come from one grouped query; the others from one report per bucket.
 */
@ApplicationScoped
public class TimeseriesQuery {

    static final int MAX_BUCKETS = 1000;

    /** Figures that come from the service query alone. */
    private static final Set<String> SERVICE = Set.of("ticketsOpened", "ticketsResolved", "complaints", "backlog",
            "resolutionHours", "csat", "averageRating");

    /** The other kpis figures that need only the lead figures, or only the rest (KpiQuery). */
    private static final Set<String> LEAD_FIGURES = Set.of("qualifiedShare", "firstResponseMinutes");
    private static final Set<String> DEAL_FIGURES = Set.of("dealsWon", "dealsLost", "winRate", "cycleTimeDays");

    /**
     * Figures that one grouped query gives for every bucket (their rows are fixed once they exist; a
     * payment's channel is taken as of its bucket's end), with the counts they need.
     */
    private static final Map<String, Set<String>> GROUPED = Map.of("leads", Set.of("Leads"),
            "spend", Set.of("Spend"), "costPerLead", Set.of("Spend", "Leads"), "visits", Set.of("Visits"),
            "visitToLeadRate", Set.of("Leads", "Visits"), "revenue", Set.of("Payments"),
            "payments", Set.of("Payments"), "averageCheck", Set.of("Payments"), "newCustomers", Set.of("Payments"),
            "cac", Set.of("Spend", "Payments"));

    // :bounds are the buckets' edges, so width_bucket numbers a row's bucket from 1; they are cast once,
    // not per row (the text to timestamptz cast is not folded into a constant). Each count's part is in
    // the statement only when the metric needs it (planning the others costs more than running them).
    private static final String EDGES = "edges as materialized (select cast(:bounds as timestamptz[]) as b)";

    // Leads: whole clean UTC days inside one bucket from the daily rollup (all of them when buckets start
    // at UTC midnight), as whole months when a month is inside one bucket (months in UTC), the rest from the
    // facts: the window's partial and dirty days, and the days a bucket edge cuts (local midnights in
    // another zone).
    private static final String LEAD_COUNTS = """
            bucket_month_parts as materialized (
              select p.lo, p.hi,
                     p.whole and width_bucket(p.lo, edges.b) = width_bucket(p.hi - interval '1 microsecond', edges.b)
                       as whole
              from month_parts p, edges),
            cut_days as materialized (
              select d.day as lo, d.day + interval '24 hours' as hi
              from edges, generate_series(cast(:dayFrom as timestamptz), cast(:dayTo as timestamptz) - interval '24 hours',
                                          interval '24 hours') d(day)
              where width_bucket(d.day, edges.b) <> width_bucket(d.day + interval '24 hours' - interval '1 microsecond', edges.b)
                and d.day not in (select day from dirty_days)),
            lead_counts as (
              select n, sum(leads) as leads
              from (select width_bucket(r.day, edges.b) as n, r.leads
                    from edges, %4$s r
                    %3$s
                    where %5$s and %2$s
                      and width_bucket(r.day, edges.b) = width_bucket(r.day + interval '24 hours' - interval '1 microsecond', edges.b)
                    union all
                    select width_bucket(l.created_at, edges.b), 1
                    from edges, (select lo, hi from fact_ranges union all select lo, hi from cut_days) f
                    join leads l on l.created_at >= f.lo and l.created_at < f.hi
                    where %1$s and %6$s) x
              group by n)""".formatted(Facts.channelIn("channel"), Facts.managerIn("r.manager_id"),
            Facts.keyMappings("r"), Facts.leadRollup(name -> Rollups.clean(name, "bucket_month_parts")),
            Facts.channelIn("coalesce(r.channel, mu.channel, mt.channel, 'unknown')"),
            Facts.managerIn("manager_id"));

    private static final String SPEND_SUMS = """
            spend_sums as (
              select width_bucket(e.occurred_at, edges.b) as n, sum(e.amount) as spend
              from events e, edges
              where e.workspace_id = :ws and e.type = 'marketing.spend' and e.occurred_at >= :from
                and e.occurred_at < :to and %s
              group by 1)""".formatted(Facts.channelIn("e.channel"));

    // A visitor counts in a bucket at its first visit there: unfiltered, the one whose previous visit is
    // before the bucket.
    private static final String VISIT_COUNTS = """
            visit_counts as (
              select n, count(*) as visits,
                     count(*) filter (where prev_at is null or prev_at < start) as visitors
              from (select width_bucket(v.occurred_at, edges.b) as n, v.prev_at,
                           edges.b[width_bucket(v.occurred_at, edges.b)] as start
                    from visit_facts v, edges
                    where v.workspace_id = :ws and v.occurred_at >= :from and v.occurred_at < :to) v
              where cardinality(:channels) = 0
              group by n
              union all
              select n, count(*), count(distinct visitor_id)
              from (select width_bucket(occurred_at, edges.b) as n, visitor_id
                    from visits, edges where %s) v
              where cardinality(:channels) > 0
              group by n)""".formatted(Facts.channelIn("channel"));

    // a payment's channel is taken as of its bucket's end
    private static final String PAYMENT_SUMS = """
            payment_sums as (
              select n, sum(amount) as revenue, count(*) as payments, count(*) filter (where customer_first) as new_customers
              from (select width_bucket(p.occurred_at, edges.b) as n, p.amount, p.customer_first,
                           %s
                    from payment_facts p cross join edges
                    %s
                    where p.workspace_id = :ws and p.occurred_at >= :from and p.occurred_at < :to) p
              where %s
              group by n)""".formatted(Facts.paymentAttribution("edges.b[width_bucket(p.occurred_at, edges.b) + 1]"),
            Facts.PAYMENT_MAPPINGS, Facts.channelIn("channel"));

    /**
     * A count of the grouped statement: the CTEs it reads (before the edges), its own, the name it is
     * joined by and the columns it gives (the others are 0).
     */
    private record Part(String count, List<String> inputs, String cte, String alias, List<String> columns) {
    }

    private static final List<Part> PARTS = List.of(
            new Part("Leads", List.of(Facts.LEADS, Rollups.WINDOW), LEAD_COUNTS, "lead_counts", List.of("leads")),
            new Part("Spend", List.of(), SPEND_SUMS, "spend_sums", List.of("spend")),
            new Part("Visits", List.of(Facts.VISITS), VISIT_COUNTS, "visit_counts", List.of("visits", "visitors")),
            new Part("Payments", List.of(), PAYMENT_SUMS, "payment_sums", List.of("revenue", "payments",
                    "new_customers")));

    /** The statements of {@link #GROUPED}'s count sets, built when first asked for. */
    private static final Map<Set<String>, Sql> GROUPED_SQL = new ConcurrentHashMap<>();

    /** Every bucket's counts of {@code needed} (the others 0), in bucket order. */
    private static Sql groupedSql(Set<String> needed) {
        return GROUPED_SQL.computeIfAbsent(needed, n -> {
            var parts = PARTS.stream().filter(p -> n.contains(p.count())).toList();
            var ctes = new ArrayList<String>();
            parts.forEach(p -> ctes.addAll(p.inputs()));
            ctes.add(EDGES);
            var columns = new LinkedHashMap<String, String>();
            PARTS.forEach(p -> p.columns().forEach(c -> columns.put(c, "0")));
            var joins = new StringBuilder();
            for (var p : parts) {
                ctes.add(p.cte());
                joins.append("left join %s using (n)\n".formatted(p.alias()));
                p.columns().forEach(c -> columns.put(c, "coalesce(%s.%s, 0)".formatted(p.alias(), c)));
            }
            String select = columns.entrySet().stream().map(c -> c.getValue() + " as " + c.getKey())
                    .collect(Collectors.joining(", "));
            return new Sql("with " + String.join(",\n", ctes) + """

                    select n, %s
                    from edges, generate_series(1, cardinality(edges.b) - 1) n
                    %sorder by n""".formatted(select, joins));
        });
    }

    static final List<String> METRICS = Arrays.stream(Kpis.class.getRecordComponents())
            .map(java.lang.reflect.RecordComponent::getName).toList();

    @Schema(name = "Point")
    public record Point(@Schema(description = "Local date the bucket starts on") String start,
                        @Schema(description = "The figure over the bucket: a number, null, or an object for "
                                + "cycleTimeDays, firstResponseMinutes, resolutionHours") JsonNode value) {
    }

    @Schema(name = "Timeseries")
    public record Timeseries(String metric, String granularity, List<Point> points) {
    }

    private final KpiQuery kpis;
    private final ServiceQuery service;
    private final ObjectMapper mapper;
    private final AgroalDataSource dataSource;

    public TimeseriesQuery(KpiQuery kpis, ServiceQuery service, ObjectMapper mapper, AgroalDataSource dataSource) {
        this.kpis = kpis;
        this.service = service;
        this.mapper = mapper;
        this.dataSource = dataSource;
    }

    public Timeseries run(MetricQuery query, String metric, Granularity granularity) {
        String[] path = parseMetric(metric);
        var buckets = granularity.buckets(query.window(), MAX_BUCKETS);
        var grouped = GROUPED.containsKey(path[0]) ? grouped(query, buckets, GROUPED.get(path[0])) : null;
        var points = new ArrayList<Point>();
        for (int i = 0; i < buckets.size(); i++) {
            var bucket = buckets.get(i);
            var q = query.over(bucket.window());
            Kpis figures = grouped != null ? Kpis.of(grouped.get(i), ServiceQuery.ServiceFigures.EMPTY)
                    : SERVICE.contains(path[0]) ? Kpis.of(KpiQuery.Totals.EMPTY, service.run(q).overall())
                    : Kpis.of(kpis.totals(q, !DEAL_FIGURES.contains(path[0]), !LEAD_FIGURES.contains(path[0])),
                            ServiceQuery.ServiceFigures.EMPTY);
            JsonNode value = mapper.<ObjectNode>valueToTree(figures);
            for (String part : path) {
                value = value.get(part);
            }
            points.add(new Point(bucket.start().toString(), value));
        }
        return new Timeseries(metric, granularity.name().toLowerCase(java.util.Locale.ROOT), points);
    }

    /** The needed GROUPED counts of every bucket (the others 0), in bucket order, in otherwise empty totals. */
    private List<KpiQuery.Totals> grouped(MetricQuery query, List<Granularity.Bucket> buckets, Set<String> needed) {
        var bounds = new ArrayList<String>();
        buckets.forEach(b -> bounds.add(b.window().from().toString()));
        bounds.add(buckets.get(buckets.size() - 1).window().to().toString());
        var params = query.params();
        params.put("bounds", bounds);
        var totals = new ArrayList<KpiQuery.Totals>();
        try (var c = dataSource.getConnection(); var st = groupedSql(needed).prepare(c, params);
             var rs = st.executeQuery()) {
            while (rs.next()) {
                totals.add(new KpiQuery.Totals(rs.getLong("leads"), 0, 0, rs.getBigDecimal("spend"), 0, 0,
                        rs.getBigDecimal("revenue"), rs.getLong("payments"), rs.getLong("visits"),
                        rs.getLong("visitors"), null, null, null, null, 0, rs.getLong("new_customers")));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Time series query failed", e);
        }
        return totals;
    }

    /** A kpis figure name, or a dotted path into one (cycleTimeDays.median). */
    private String[] parseMetric(String metric) {
        if (metric == null || metric.isBlank()) {
            throw ProblemException.badParameter("metric", "is required; one of " + String.join(", ", METRICS));
        }
        String[] path = metric.split("\\.");
        boolean known = METRICS.contains(path[0]);
        if (known && path.length > 1) {
            var component = Arrays.stream(Kpis.class.getRecordComponents())
                    .filter(c -> c.getName().equals(path[0])).findFirst().orElseThrow();
            var nested = component.getType().isRecord()
                    ? Arrays.stream(component.getType().getRecordComponents()).map(c -> c.getName())
                    .collect(Collectors.toSet()) : Set.<String>of();
            known = path.length == 2 && nested.contains(path[1]);
        }
        if (!known) {
            throw ProblemException.badParameter("metric", "must be one of " + String.join(", ", METRICS)
                    + " (or a part such as cycleTimeDays.median)");
        }
        return path;
    }
}
