package io.crmanalytics.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crmanalytics.metrics.MetricQuery;
import io.crmanalytics.workspace.CurrentCaller;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.util.List;
import java.util.function.Function;

/**
 * The steps every query endpoint shares: parse the parameters once, run the question for the window
 * (and the previous one with compare=previous), answer JSON {from, to, tz, ...figures} or CSV.
 */
@ApplicationScoped
public class Reports {

    /** Which part of a report is a CSV row; the whole report by default. */
    public interface CsvRows extends Function<ObjectNode, List<JsonNode>> {
    }

    public static final CsvRows WHOLE = body -> List.of(body);

    /** Fields that identify a row across windows, for compare=previous. */
    static final List<String> ROW_KEYS = List.of("pipeline", "stage", "channel", "campaign", "managerId",
            "category", "reason");

    private final CurrentCaller caller;
    private final ObjectMapper mapper;
    private final Clock clock = Clock.systemUTC();

    public Reports(CurrentCaller caller, ObjectMapper mapper) {
        this.caller = caller;
        this.mapper = mapper;
    }

    public MetricQuery query(QueryParams params) {
        return params.toQuery(caller.workspaceId(), clock);
    }

    public Response report(QueryParams params, CsvRows csvRows, Function<MetricQuery, Object> question) {
        var query = query(params);
        boolean compare = params.comparePrevious();
        boolean csv = params.csv();
        ObjectNode body = answer(query, question);
        if (compare) {
            Comparison.attach(body, answer(query.over(query.window().previous()), question), ROW_KEYS);
        }
        return csv ? csv(csvRows.apply(body)) : Response.ok(body, MediaType.APPLICATION_JSON).build();
    }

    /** Rows of the array field {@code name}, each preceded by the window columns. */
    public static CsvRows rowsOf(String name) {
        return body -> {
            var rows = new java.util.ArrayList<JsonNode>();
            for (JsonNode row : body.path(name)) {
                ObjectNode line = body.objectNode();
                line.put("from", body.path("from").asText()).put("to", body.path("to").asText());
                line.setAll((ObjectNode) row);
                rows.add(line);
            }
            return rows;
        };
    }

    private ObjectNode answer(MetricQuery query, Function<MetricQuery, Object> question) {
        ObjectNode body = mapper.createObjectNode();
        body.put("from", query.window().format(query.from()));
        body.put("to", query.window().format(query.to()));
        body.put("tz", query.window().zone().getId());
        body.setAll((ObjectNode) mapper.valueToTree(question.apply(query)));
        return body;
    }

    private static Response csv(List<JsonNode> rows) {
        return Response.ok(Csv.write(rows), "text/csv; charset=utf-8").build();
    }
}
