package io.crmanalytics.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.crmanalytics.common.ProblemException;
import io.crmanalytics.workspace.CurrentCaller;
import io.crmanalytics.workspace.RequiresScope;
import io.crmanalytics.workspace.Scope;
import io.micrometer.core.annotation.Timed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/events")
@Tag(name = "Ingest", description = "Push CRM events (ingest scope)")
@SecurityRequirement(name = "bearer")
public class EventResource {

    private final EventIngestor ingestor;
    private final CurrentCaller caller;
    private final ObjectReader reader;
    private final int maxEvents;
    private final int maxBytes;

    public EventResource(EventIngestor ingestor, CurrentCaller caller, ObjectMapper mapper,
                         @ConfigProperty(name = "crm.ingest.max-batch-events") int maxEvents,
                         @ConfigProperty(name = "crm.ingest.max-body-bytes") int maxBytes) {
        this.ingestor = ingestor;
        this.caller = caller;
        // exact decimals: a double would round 5.0000000000000001 to 5 (passing the 2-decimals rule)
        // and turn 1e400 into Infinity
        this.reader = mapper.reader().with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
        this.maxEvents = maxEvents;
        this.maxBytes = maxBytes;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @RequiresScope(Scope.INGEST)
    @Timed(value = "crm.ingest.latency", description = "Time to validate and durably store one request of events",
            histogram = true)
    @Operation(operationId = "ingestEvents", summary = "Ingest one event or a batch (JSON array) of events",
            description = "Each event is validated on its own. The same eventId again in the workspace is a duplicate: "
                    + "stored and counted once. The answer comes after the accepted events are committed. "
                    + "Limits: 5,000 events and 5 MB per request (CRM_MAX_BATCH_EVENTS, CRM_MAX_BODY_BYTES), else 413.")
    @RequestBody(content = @Content(schema = @Schema(ref = "EventsRequest")))
    @APIResponse(responseCode = "200", description = "Events processed",
            content = @Content(schema = @Schema(implementation = EventIngestor.IngestResult.class)))
    @APIResponse(responseCode = "400", description = "The body is not JSON, or not an event object or array")
    @APIResponse(responseCode = "403", description = "The key lacks the ingest scope")
    @APIResponse(responseCode = "413", description = "Too many events or too many bytes")
    @APIResponse(responseCode = "415", description = "Content type is not application/json")
    public EventIngestor.IngestResult ingest(byte[] body) {
        if (body.length > maxBytes) {
            throw new ProblemException(Response.Status.REQUEST_ENTITY_TOO_LARGE,
                    "The body has " + body.length + " bytes; the limit is " + maxBytes);
        }
        JsonNode root;
        try {
            root = reader.readTree(body);
        } catch (JsonProcessingException e) {
            throw new ProblemException(Response.Status.BAD_REQUEST,
                    "The body is not valid JSON: " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        List<JsonNode> events;
        if (root instanceof ArrayNode array) {
            if (array.size() > maxEvents) {
                throw new ProblemException(Response.Status.REQUEST_ENTITY_TOO_LARGE,
                        "The batch has " + array.size() + " events; the limit is " + maxEvents);
            }
            events = new ArrayList<>(array.size());
            array.forEach(events::add);
        } else if (root != null && root.isObject()) {
            events = List.of(root);
        } else {
            throw new ProblemException(Response.Status.BAD_REQUEST, "The body must be an event object or an array of them");
        }
        return ingestor.ingest(caller.workspaceId(), events);
    }
}
