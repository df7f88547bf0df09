package io.crmanalytics.metrics;

import io.agroal.api.AgroalDataSource;
import io.crmanalytics.common.ProblemException;
import io.crmanalytics.workspace.CurrentCaller;
import io.crmanalytics.workspace.RequiresScope;
import io.crmanalytics.workspace.Scope;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The stage order of a pipeline. won/lost are outcomes, not stages. */
@Path("/api/v1/pipelines/{pipeline}")
@Tag(name = "Admin", description = "Workspace settings and maintenance (admin scope)")
@SecurityRequirement(name = "bearer")
@RequiresScope(Scope.ADMIN)
public class PipelineResource {

    @Schema(name = "Pipeline")
    public record PipelineView(String pipeline,
                               @Schema(description = "Stages in order; configured ones first, then stages seen in "
                                       + "events but not configured, in the order first seen") List<String> stages,
                               boolean configured) {
    }

    @Schema(name = "PipelineRequest")
    public record PipelineRequest(@NotEmpty @Size(max = 100) List<@NotBlank @Size(max = 128) String> stages) {
    }

    private final AgroalDataSource dataSource;
    private final CurrentCaller caller;

    public PipelineResource(AgroalDataSource dataSource, CurrentCaller caller) {
        this.dataSource = dataSource;
        this.caller = caller;
    }

    @PUT
    @Operation(operationId = "putPipeline", summary = "Set the stage order of a pipeline")
    public PipelineView put(@PathParam("pipeline") String pipeline, @Valid @NotNull PipelineRequest request)
            throws SQLException {
        if (new HashSet<>(request.stages()).size() != request.stages().size()) {
            throw ProblemException.badParameter("stages", "must not repeat a stage");
        }
        if (request.stages().stream().anyMatch(s -> s.equals("won") || s.equals("lost"))) {
            throw ProblemException.badParameter("stages", "won and lost are outcomes, not stages");
        }
        try (var c = dataSource.getConnection(); var st = c.prepareStatement("""
                insert into pipelines (workspace_id, name, stages) values (?, ?, ?)
                on conflict (workspace_id, name) do update set stages = excluded.stages""")) {
            st.setObject(1, caller.workspaceId());
            st.setString(2, pipeline);
            st.setArray(3, c.createArrayOf("text", request.stages().toArray()));
            st.executeUpdate();
        }
        return get(pipeline);
    }

    @GET
    @Operation(operationId = "getPipeline", summary = "The stage order of a pipeline, configured or as first seen")
    public PipelineView get(@PathParam("pipeline") String pipeline) throws SQLException {
        try (var c = dataSource.getConnection();
             var st = StageOrder.SQL.prepare(c, java.util.Map.of("ws", caller.workspaceId(), "pipeline", pipeline,
                     "to", java.time.Instant.parse("9999-01-01T00:00:00Z")));
             var rs = st.executeQuery()) {
            var stages = new java.util.ArrayList<String>();
            boolean configured = false;
            while (rs.next()) {
                stages.add(rs.getString("stage"));
                configured |= rs.getBoolean("configured");
            }
            if (stages.isEmpty()) {
                throw new ProblemException(Response.Status.NOT_FOUND, "No pipeline '" + pipeline + "' configured or seen");
            }
            return new PipelineView(pipeline, stages, configured);
        }
    }
}
