package io.crmanalytics.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import io.agroal.api.AgroalDataSource;
import io.crmanalytics.common.ProblemException;
import io.crmanalytics.workspace.Workspaces;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Validates events one by one and stores the valid ones in one statement, idempotently by
 * (workspace, eventId); returns only after the transaction committed.
 */
@ApplicationScoped
public class EventIngestor {

    /** The ingest response body. */
    @Schema(requiredProperties = {"accepted", "duplicates", "rejected"})
    public record IngestResult(
            @Schema(description = "Events stored by this request") int accepted,
            @Schema(description = "Events whose eventId was stored before or came earlier in this request") int duplicates,
            @Schema(description = "Events refused, with their problems; nothing of them is stored") List<Rejection> rejected) {
    }

    @Schema(requiredProperties = {"index", "errors"})
    public record Rejection(
            @Schema(description = "Position in the request's array; 0 for a single event") int index,
            @Schema(description = "The event's eventId, when it had a valid one") String eventId,
            @Schema(description = "One 'field: problem' per problem") List<String> errors) {
    }

    private static final String INSERT = buildInsert();

    private final AgroalDataSource dataSource;
    private final IngestMetrics metrics;

    public EventIngestor(AgroalDataSource dataSource, MeterRegistry registry) {
        this.dataSource = dataSource;
        this.metrics = new IngestMetrics(registry);
    }

    public IngestResult ingest(UUID workspace, List<JsonNode> nodes) {
        var rejected = new ArrayList<Rejection>();
        // first occurrence of an eventId in the request wins; later copies are duplicates
        Map<String, ValidEvent> unique = new LinkedHashMap<>();
        int inRequestDuplicates = 0;
        for (int i = 0; i < nodes.size(); i++) {
            var result = EventValidator.validate(nodes.get(i));
            if (result.event() == null) {
                rejected.add(new Rejection(i, result.eventId(), result.errors()));
                metrics.rejected(nodes.get(i));
            } else if (unique.putIfAbsent(result.eventId(), result.event()) != null) {
                inRequestDuplicates++;
                metrics.duplicate(result.event().type());
            }
        }
        var rows = store(workspace, new ArrayList<>(unique.values()), rejected, nodes);
        for (var event : rows.events()) {
            if (rows.inserted().contains(event.eventId())) {
                metrics.accepted(event.type());
            } else {
                metrics.duplicate(event.type());
            }
        }
        rejected.sort(Comparator.comparingInt(Rejection::index));
        int accepted = rows.inserted().size();
        return new IngestResult(accepted, inRequestDuplicates + rows.events().size() - accepted, rejected);
    }

    /** The events sent to the database and the eventIds it stored (the others were already there). */
    private record Stored(List<ValidEvent> events, Set<String> inserted) {
    }

    private Stored store(UUID workspace, List<ValidEvent> events, List<Rejection> rejected, List<JsonNode> nodes) {
        if (events.isEmpty()) {
            return new Stored(events, Set.of());
        }
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            List<ValidEvent> rows = rejectForeignCurrency(c, workspace, events, rejected, nodes);
            // a fixed lock order keeps concurrent batches sharing eventIds from deadlocking
            rows.sort(Comparator.comparing(ValidEvent::eventId));
            Set<String> inserted = insert(c, workspace, rows);
            if (!inserted.isEmpty()) {
                // derived state is folded one batch at a time per workspace, after the (concurrent) inserts
                EntityFacts.lock(c, workspace);
                var types = rows.stream().filter(e -> inserted.contains(e.eventId())).map(e -> e.type().wireName)
                        .collect(Collectors.toSet());
                var touched = EntityState.touched(c, workspace, inserted);
                EntityFacts.fold(c, workspace, types, inserted);
                EntityState.refresh(c, workspace, touched);
            }
            c.commit();
            return new Stored(rows, inserted);
        } catch (SQLException e) {
            throw new IllegalStateException("Storing events failed", e);
        }
    }

    /** Mixing currencies is never silent: events in another currency than the workspace's are refused. */
    private static List<ValidEvent> rejectForeignCurrency(Connection c, UUID workspace, List<ValidEvent> events,
                                                          List<Rejection> rejected, List<JsonNode> nodes)
            throws SQLException {
        var named = events.stream().filter(e -> e.currency() != null).findFirst();
        if (named.isEmpty()) {
            return new ArrayList<>(events);
        }
        String base = Workspaces.currency(c, workspace, named.get().currency()).orElseThrow(
                () -> new ProblemException(Response.Status.NOT_FOUND, "Workspace no longer exists"));
        var kept = new ArrayList<ValidEvent>(events.size());
        for (var event : events) {
            if (event.currency() == null || event.currency().equals(base)) {
                kept.add(event);
            } else {
                rejected.add(new Rejection(indexOf(nodes, event.eventId()), event.eventId(), List.of("currency: must be the workspace currency "
                        + base + "; conversion is not supported yet")));
            }
        }
        return kept;
    }

    private static int indexOf(List<JsonNode> nodes, String eventId) {
        for (int i = 0; i < nodes.size(); i++) {
            var id = nodes.get(i).get("eventId");
            if (id != null && eventId.equals(id.asText())) {
                return i;
            }
        }
        return -1;
    }

    private static Set<String> insert(Connection c, UUID workspace, List<ValidEvent> rows) throws SQLException {
        int n = rows.size();
        var columns = Column.values();
        try (var st = c.prepareStatement(INSERT)) {
            st.setObject(1, workspace);
            st.setArray(2, c.createArrayOf("text", rows.stream().map(ValidEvent::eventId).toArray()));
            st.setArray(3, c.createArrayOf("text", rows.stream().map(e -> e.type().wireName).toArray()));
            st.setArray(4, c.createArrayOf("text", rows.stream().map(e -> e.occurredAt().toString()).toArray()));
            st.setArray(5, c.createArrayOf("text", rows.stream().map(ValidEvent::source).toArray()));
            st.setArray(6, c.createArrayOf("text", rows.stream().map(ValidEvent::currency).toArray()));
            st.setArray(7, c.createArrayOf("text", rows.stream().map(ValidEvent::extraJson).toArray()));
            for (var column : columns) {
                var values = new String[n];
                for (int i = 0; i < n; i++) {
                    Object value = rows.get(i).column(column);
                    values[i] = value == null ? null : value instanceof java.math.BigDecimal d
                            ? d.toPlainString() : value.toString();
                }
                st.setArray(8 + column.ordinal(), c.createArrayOf("text", values));
            }
            var inserted = new HashSet<String>(n * 2);
            try (var rs = st.executeQuery()) {
                while (rs.next()) {
                    inserted.add(rs.getString(1));
                }
            }
            return inserted;
        }
    }

    private static String buildInsert() {
        var columns = Column.values();
        String names = Arrays.stream(columns).map(col -> col.sqlName).collect(Collectors.joining(", "));
        String arrays = Arrays.stream(columns).map(col -> "?::" + col.sqlType + "[]")
                .collect(Collectors.joining(", "));
        return "insert into events (workspace_id, event_id, type, occurred_at, source, currency, extra, " + names
                + ") select ?, u.* from unnest(?::text[], ?::text[], ?::timestamptz[], ?::text[], ?::text[], "
                + "?::jsonb[], " + arrays + ") as u on conflict (workspace_id, event_id) do nothing returning event_id";
    }
}
