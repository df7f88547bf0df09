package io.crmanalytics.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** The webhook_deliveries table: raw bodies as received, and what became of them. */
@ApplicationScoped
class Deliveries {

    /** A stored delivery, for mapping again and for the dead-letter list. */
    record Delivery(long id, Crm crm, OffsetDateTime receivedAt, String contentType, Map<String, String> headers,
                    byte[] body, DeliveryStatus status, String error, int replays) {

        String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** What mapping a delivery came to. */
    record Outcome(DeliveryStatus status, String error, List<String> notes, int accepted, int duplicates) {
    }

    private static final String COLUMNS = "id, crm, received_at, content_type, headers::text, body, status, error, replays";

    private final AgroalDataSource dataSource;
    private final ObjectMapper mapper;

    Deliveries(AgroalDataSource dataSource, ObjectMapper mapper) {
        this.dataSource = dataSource;
        this.mapper = mapper;
    }

    /** Stores and commits the raw delivery before anything is made of it. */
    long store(UUID workspace, Crm crm, String contentType, Map<String, String> headers, byte[] body) {
        try (var c = dataSource.getConnection(); var st = c.prepareStatement("""
                insert into webhook_deliveries (workspace_id, crm, content_type, headers, body, status)
                values (?, ?, ?, ?::jsonb, ?, 'received') returning id""")) {
            st.setObject(1, workspace);
            st.setString(2, crm.pathName);
            st.setString(3, contentType);
            st.setString(4, mapper.writeValueAsString(headers));
            st.setBytes(5, body);
            try (var rs = st.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException | JsonProcessingException e) {
            throw new IllegalStateException("Storing the webhook delivery failed", e);
        }
    }

    /**
     * Records the outcome without waiting for the disk: the body and the events are already durable, and an
     * outcome lost in a crash leaves the delivery 'received', listed and replayable without double counting.
     */
    void finish(long id, Outcome outcome, boolean replay) {
        try (var c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (var async = c.createStatement(); var st = c.prepareStatement("""
                    update webhook_deliveries
                    set status = ?, error = ?, notes = ?::jsonb, accepted = ?, duplicates = ?, processed_at = now(),
                        replays = replays + ?
                    where id = ?""")) {
                async.execute("set local synchronous_commit = off");
                st.setString(1, outcome.status().wireName());
                st.setString(2, outcome.error());
                st.setString(3, mapper.writeValueAsString(outcome.notes()));
                st.setInt(4, outcome.accepted());
                st.setInt(5, outcome.duplicates());
                st.setInt(6, replay ? 1 : 0);
                st.setLong(7, id);
                st.executeUpdate();
            }
            c.commit();
        } catch (SQLException | JsonProcessingException e) {
            throw new IllegalStateException("Recording the webhook outcome failed", e);
        }
    }

    Optional<Delivery> find(UUID workspace, long id) {
        try (var c = dataSource.getConnection(); var st = c.prepareStatement(
                "select " + COLUMNS + " from webhook_deliveries where workspace_id = ? and id = ?")) {
            st.setObject(1, workspace);
            st.setLong(2, id);
            try (var rs = st.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        } catch (SQLException | JsonProcessingException e) {
            throw new IllegalStateException("Reading the webhook delivery failed", e);
        }
    }

    /** Dead letters, and deliveries stuck as received for over a minute, oldest first, after the given id. */
    List<Delivery> deadLetters(UUID workspace, long afterId, int limit) {
        try (var c = dataSource.getConnection(); var st = c.prepareStatement("select " + COLUMNS + """
                 from webhook_deliveries
                where workspace_id = ? and id > ?
                  and (status = 'dead_letter' or status = 'received' and received_at < now() - interval '1 minute')
                order by id limit ?""")) {
            st.setObject(1, workspace);
            st.setLong(2, afterId);
            st.setInt(3, limit);
            var list = new ArrayList<Delivery>();
            try (var rs = st.executeQuery()) {
                while (rs.next()) {
                    list.add(read(rs));
                }
            }
            return list;
        } catch (SQLException | JsonProcessingException e) {
            throw new IllegalStateException("Listing dead letters failed", e);
        }
    }

    @SuppressWarnings("unchecked")
    private Delivery read(ResultSet rs) throws SQLException, JsonProcessingException {
        return new Delivery(rs.getLong(1), Crm.of(rs.getString(2)), rs.getObject(3, OffsetDateTime.class),
                rs.getString(4), mapper.readValue(rs.getString(5), Map.class), rs.getBytes(6),
                DeliveryStatus.of(rs.getString(7)), rs.getString(8), rs.getInt(9));
    }
}
