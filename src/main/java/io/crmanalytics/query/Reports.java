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
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import java.util.function.Supplier;
import org.eclipse.microprofile.context.ManagedExecutor;

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
    private final ManagedExecutor executor;
    private final Clock clock = Clock.systemUTC();

    public Reports(CurrentCaller caller, ObjectMapper mapper, ManagedExecutor executor) {
        this.caller = caller;
        this.mapper = mapper;
        this.executor = executor;
    }

    public MetricQuery query(QueryParams params) {
        return params.toQuery(caller.workspaceId(), clock);
    }

    public Response report(QueryParams params, CsvRows csvRows, Function<MetricQuery, Object> question) {
        var query = query(params);
        boolean compare = params.comparePrevious();
        boolean csv = params.csv();
        // the previous window is another database query: run it alongside
        var previous = compare ? inParallel(() -> answer(query.over(query.window().previous()), question)) : null;
        ObjectNode body = answer(query, question);
        if (compare) {
            Comparison.attach(body, previous.get(), ROW_KEYS);
        }
        return csv ? csv(csvRows.apply(body)) : Response.ok(body, MediaType.APPLICATION_JSON).build();
    }

    /**
     * Starts a query on another thread (and database connection) while the caller runs its own; get()
     * waits for it and rethrows what it threw. Each statement reads its own snapshot, as sequential
     * statements would.
     */
    public <T> Supplier<T> inParallel(Supplier<T> task) {
        var future = executor.supplyAsync(task);
        return () -> {
            try {
                return future.join();
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException cause ? cause : e;
            }
        };
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
