package io.crmanalytics.workspace;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/workspaces")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Workspaces", description = "Create workspaces and their keys (bootstrap admin key)")
@SecurityRequirement(name = "bearer")
public class WorkspaceResource {

    @Schema(name = "WorkspaceRequest")
    public record WorkspaceRequest(
            @NotBlank @Size(max = 200) String name,
            @Schema(description = "ISO 4217 base currency; when absent, fixed by the first event naming a currency")
            @Pattern(regexp = "^[A-Z]{3}$", message = "must be an ISO 4217 code such as USD") String currency) {
    }

    @Schema(name = "WorkspaceView", description = "The keys are shown once; only their hashes are stored.",
            requiredProperties = {"id", "name", "ingestKey", "readKey", "adminKey"})
    public record WorkspaceView(String id, String name, String currency, String ingestKey, String readKey,
                                String adminKey) {
    }

    private final Workspaces workspaces;

    public WorkspaceResource(Workspaces workspaces) {
        this.workspaces = workspaces;
    }

    @POST
    @RequiresScope(Scope.ADMIN)
    @Operation(operationId = "createWorkspace",
            summary = "Create a workspace and its ingest, read and admin keys (bootstrap admin key only)")
    @APIResponse(responseCode = "201", description = "The workspace and its keys, shown this once",
            content = @Content(schema = @Schema(implementation = WorkspaceView.class)))
    @APIResponse(responseCode = "400", description = "Invalid request; `errors` names each field")
    @APIResponse(responseCode = "403", description = "A key other than the bootstrap admin key")
    public Response create(@Valid @NotNull WorkspaceRequest request) {
        return Response.status(Response.Status.CREATED).entity(workspaces.create(request.name(), request.currency()))
                .build();
    }
}
