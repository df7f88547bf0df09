package io.crmanalytics.query;

import io.crmanalytics.common.ProblemException;
import io.crmanalytics.metrics.Filters;
import io.crmanalytics.metrics.MetricQuery;
import io.crmanalytics.metrics.TimeWindow;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

/** The parameters every query endpoint takes; parsed once into a {@link MetricQuery}. */
public class QueryParams {

    @QueryParam("from")
    @Parameter(description = "Window start, inclusive: a date (local midnight in tz) or an instant with offset. "
            + "Default: 30 days before 'to'.", example = "2026-01-01")
    public String from;

    @QueryParam("to")
    @Parameter(description = "Window end, exclusive: a date (local midnight in tz) or an instant with offset. "
            + "Default: the coming local midnight (the window then covers today).", example = "2026-02-01")
    public String to;

    @QueryParam("tz")
    @Parameter(description = "IANA time zone for dates and buckets. Default UTC.", example = "Europe/Moscow")
    public String tz;

    @QueryParam("channel")
    @Parameter(description = "Only these attributed channels (repeatable)")
    public List<String> channel;

    @QueryParam("managerId")
    @Parameter(description = "Only leads created by / deals owned by these managers (repeatable)")
    public List<String> managerId;

    @QueryParam("pipeline")
    @Parameter(description = "Only deals of these pipelines (repeatable)")
    public List<String> pipeline;

    @QueryParam("compare")
    @Parameter(description = "'previous': every figure also for the window of the same length just before, "
            + "with 'change' (current − previous) and 'changeRate' ((current − previous) / previous)",
            schema = @Schema(type = SchemaType.STRING, enumeration = {"previous"}))
    public String compare;

    @QueryParam("format")
    @Parameter(description = "'csv' for RFC 4180 CSV with a header row (same as Accept: text/csv); default JSON",
            schema = @Schema(type = SchemaType.STRING, enumeration = {"json", "csv"}))
    public String format;

    @HeaderParam(HttpHeaders.ACCEPT)
    @Parameter(hidden = true)
    public String accept;

    public MetricQuery toQuery(UUID workspace, Clock clock) {
        return new MetricQuery(workspace, TimeWindow.parse(from, to, tz, clock),
                new Filters(nonBlank("channel", channel), nonBlank("managerId", managerId),
                        nonBlank("pipeline", pipeline)));
    }

    public boolean comparePrevious() {
        if (compare == null || compare.isBlank()) {
            return false;
        }
        if (!compare.equals("previous")) {
            throw ProblemException.badParameter("compare", "must be 'previous'");
        }
        return true;
    }

    public boolean csv() {
        if (format != null && !format.isBlank()) {
            return switch (format) {
                case "csv" -> true;
                case "json" -> false;
                default -> throw ProblemException.badParameter("format", "must be 'json' or 'csv'");
            };
        }
        return accept != null && accept.contains("text/csv");
    }

    private static List<String> nonBlank(String name, List<String> values) {
        if (values != null && values.stream().anyMatch(v -> v == null || v.isBlank())) {
            throw ProblemException.badParameter(name, "must not be empty");
        }
        return values;
    }
}
