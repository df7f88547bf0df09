package io.crmanalytics.ingest;

import io.agroal.api.AgroalDataSource;
import io.crmanalytics.workspace.CurrentCaller;
import io.crmanalytics.workspace.RequiresScope;
import io.crmanalytics.workspace.Scope;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import java.sql.SQLException;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/admin/rebuild")
@Tag(name = "Admin", description = "Workspace settings and maintenance (admin scope)")
@SecurityRequirement(name = "bearer")
@RequiresScope(Scope.ADMIN)
public class RebuildResource {

    @Schema(name = "RebuildView", description = "Rows of derived state after the rebuild")
    public record RebuildView(long leads, long deals, long payments, long tookMillis) {
    }

    private final AgroalDataSource dataSource;
    private final CurrentCaller caller;
    private final RollupCompactor rollups;

    public RebuildResource(AgroalDataSource dataSource, CurrentCaller caller, RollupCompactor rollups) {
        this.dataSource = dataSource;
        this.caller = caller;
        this.rollups = rollups;
    }

    @POST
    @Operation(operationId = "rebuildDerivedState", summary = "Recompute the workspace's derived state (first events of each id, deal and lead state) from its "
            + "event log", description = "Safe to call at any time; ingestion keeps the state current by itself.")
    public RebuildView rebuild() throws SQLException {
        long start = System.nanoTime();
        var ws = caller.workspaceId();
        try (var c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            EntityFacts.rebuild(c, ws);
            long[] counts = new long[3];
            try (var st = c.prepareStatement("""
                    select (select count(*) from lead_facts where workspace_id = ?),
                           (select count(*) from deal_facts where workspace_id = ?),
                           (select count(*) from payment_facts where workspace_id = ?)""")) {
                for (int i = 1; i <= 3; i++) {
                    st.setObject(i, ws);
                }
                try (var rs = st.executeQuery()) {
                    rs.next();
                    for (int i = 0; i < 3; i++) {
                        counts[i] = rs.getLong(i + 1);
                    }
                }
            }
            c.commit();
            // the rebuild made every day with facts dirty
            rollups.compact(ws);
            return new RebuildView(counts[0], counts[1], counts[2], (System.nanoTime() - start) / 1_000_000);
        }
    }
}
