package io.crmanalytics.workspace;

import io.agroal.api.AgroalDataSource;
import io.crmanalytics.common.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import java.util.UUID;

@ApplicationScoped
public class Workspaces {

    private final AgroalDataSource dataSource;
    private final ApiKeys keys;
    private final CurrentCaller current;

    public Workspaces(AgroalDataSource dataSource, ApiKeys keys, CurrentCaller current) {
        this.dataSource = dataSource;
        this.keys = keys;
        this.current = current;
    }

    public WorkspaceResource.WorkspaceView create(String name, String currency) {
        if (current.get().workspaceId() != null) {
            throw new ProblemException(Response.Status.FORBIDDEN,
                    "Only the bootstrap admin key (CRM_ANALYTICS_ADMIN_KEY) creates workspaces");
        }
        try (var c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            UUID id = UUID.randomUUID();
            insert(c, id, name, currency);
            var view = new WorkspaceResource.WorkspaceView(id.toString(), name, currency,
                    keys.issue(c, id, Scope.INGEST), keys.issue(c, id, Scope.READ), keys.issue(c, id, Scope.ADMIN));
            c.commit();
            return view;
        } catch (SQLException e) {
            throw new IllegalStateException("Creating workspace failed", e);
        }
    }

    public static void insert(Connection c, UUID id, String name, String currency) throws SQLException {
        try (var st = c.prepareStatement(
                "insert into workspaces (id, name, currency) values (?, ?, ?) on conflict (id) do nothing")) {
            st.setObject(1, id);
            st.setString(2, name);
            st.setString(3, currency);
            st.executeUpdate();
        }
    }

    /**
     * The workspace's base currency, fixing it to {@code proposed} when none is set yet. Reads first, so
     * concurrent batches only contend for the workspace row the one time the currency gets fixed.
     */
    public static Optional<String> currency(Connection c, UUID workspace, String proposed) throws SQLException {
        Optional<String> current = read(c, workspace);
        if (current.isPresent()) {
            return current;
        }
        try (var st = c.prepareStatement("update workspaces set currency = ? where id = ? and currency is null")) {
            st.setString(1, proposed);
            st.setObject(2, workspace);
            st.executeUpdate();
        }
        return read(c, workspace);
    }

    private static Optional<String> read(Connection c, UUID workspace) throws SQLException {
        try (var st = c.prepareStatement("select currency from workspaces where id = ?")) {
            st.setObject(1, workspace);
            try (var rs = st.executeQuery()) {
                return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.empty();
            }
        }
    }
}
