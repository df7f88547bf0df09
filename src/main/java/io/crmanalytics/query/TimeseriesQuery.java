package io.crmanalytics.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crmanalytics.common.ProblemException;
import io.crmanalytics.metrics.Granularity;
import io.crmanalytics.metrics.MetricQuery;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A kpis figure per local day, ISO week or month: each point is the report over its bucket (clipped
 * to the window) as seen at the bucket's end, so empty buckets hold 0 for counts and null for ratios.
 */
@ApplicationScoped
public class TimeseriesQuery {

    static final int MAX_BUCKETS = 1000;

    /** Figures that come from the service query alone. */
    private static final Set<String> SERVICE = Set.of("ticketsOpened", "ticketsResolved", "complaints", "backlog",
            "resolutionHours", "csat", "averageRating");

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

    public TimeseriesQuery(KpiQuery kpis, ServiceQuery service, ObjectMapper mapper) {
        this.kpis = kpis;
        this.service = service;
        this.mapper = mapper;
    }

    public Timeseries run(MetricQuery query, String metric, Granularity granularity) {
        String[] path = parseMetric(metric);
        var points = new ArrayList<Point>();
        for (var bucket : granularity.buckets(query.window(), MAX_BUCKETS)) {
            var q = query.over(bucket.window());
            Kpis figures = SERVICE.contains(path[0])
                    ? Kpis.of(KpiQuery.Totals.EMPTY, service.run(q).overall())
                    : Kpis.of(kpis.totals(q), ServiceQuery.ServiceFigures.EMPTY);
            JsonNode value = mapper.<ObjectNode>valueToTree(figures);
            for (String part : path) {
                value = value.get(part);
            }
            points.add(new Point(bucket.start().toString(), value));
        }
        return new Timeseries(metric, granularity.name().toLowerCase(java.util.Locale.ROOT), points);
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
