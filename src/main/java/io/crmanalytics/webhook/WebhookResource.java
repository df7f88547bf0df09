package io.crmanalytics.webhook;

import io.crmanalytics.common.ProblemException;
import io.crmanalytics.workspace.CurrentCaller;
import io.crmanalytics.workspace.RequiresScope;
import io.crmanalytics.workspace.Scope;
import io.micrometer.core.annotation.Timed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * CRM webhooks. The CRMs cannot send our bearer keys: their requests name the workspace in the URL and
 * are verified with the workspace's per-CRM secret the way each CRM signs. The rest is for admins.
 */
@Path("/api/v1/webhooks")
@Tag(name = "Webhooks", description = "CRM webhooks (amoCRM, Bitrix24, HubSpot, Pipedrive) and their settings")
@Produces(MediaType.APPLICATION_JSON)
public class WebhookResource {

    private final WebhookService service;
    private final WebhookConfigs configs;
    private final Deliveries deliveries;
    private final CurrentCaller caller;
    private final Optional<String> publicUrl;
    private final int maxBytes;

    public WebhookResource(WebhookService service, WebhookConfigs configs, Deliveries deliveries, CurrentCaller caller,
                           @ConfigProperty(name = "crm.public-url") Optional<String> publicUrl,
                           @ConfigProperty(name = "crm.webhooks.max-body-bytes", defaultValue = "1048576") int maxBytes) {
        this.service = service;
        this.configs = configs;
        this.deliveries = deliveries;
        this.caller = caller;
        this.publicUrl = publicUrl.filter(u -> !u.isBlank()).map(u -> u.endsWith("/") ? u.substring(0, u.length() - 1) : u);
        this.maxBytes = maxBytes;
    }

    @POST
    @Path("/{crm}")
    @Consumes(MediaType.WILDCARD)
    @Timed(value = "crm.webhooks.latency", description = "Time to verify, store, map and ingest one webhook request",
            histogram = true)
    @Operation(operationId = "receiveWebhook", summary = "Receive a CRM's own webhook payload (amocrm, bitrix24, hubspot, pipedrive)",
            description = "Verified with the workspace's secret for that CRM (amoCRM: token in the URL; Bitrix24: "
                    + "auth[application_token]; HubSpot: X-HubSpot-Signature-v3, at most 5 minutes old; Pipedrive: "
                    + "HTTP basic auth password), or relayed with an ingest key as a bearer token. The body is stored raw, then mapped to events and ingested like "
                    + "POST /api/v1/events. Payloads we do not use are acknowledged as 'ignored'; payloads that "
                    + "cannot be mapped are kept as dead letters (still 200) and can be replayed.")
    @APIResponse(responseCode = "200", description = "Stored, and mapped, ignored or dead-lettered")
    @APIResponse(responseCode = "400", description = "Not a payload this CRM sends (kept as a dead letter)")
    @APIResponse(responseCode = "401", description = "Missing or wrong signature, token or password; stale "
            + "HubSpot timestamp; workspace without this CRM configured. Nothing stored")
    @APIResponse(responseCode = "404", description = "Unknown CRM")
    @APIResponse(responseCode = "413", description = "Body over crm.webhooks.max-body-bytes (1 MiB); nothing stored")
    // the bearer key is the relay alternative; CRMs prove themselves as the description says
    @SecurityRequirement(name = "bearer")
    public WebhookViews.DeliveryView receive(
            @PathParam("crm") String crm,
            @QueryParam("workspace") @Parameter(description = "The workspace id, as in the URL from GET /api/v1/webhooks")
            String workspace,
            @QueryParam("token") @Parameter(description = "amoCRM only: the webhook secret") String token,
            @Context HttpHeaders headers, @Context UriInfo uriInfo, byte[] body) {
        Crm target = Crm.of(crm);
        byte[] bytes = body == null ? new byte[0] : body;
        if (bytes.length > maxBytes) {
            throw new ProblemException(Response.Status.REQUEST_ENTITY_TOO_LARGE,
                    "The body has " + bytes.length + " bytes; the limit is " + maxBytes);
        }
        var lowerCase = new HashMap<String, String>();
        headers.getRequestHeaders().forEach((name, values) -> {
            if (!values.isEmpty()) {
                lowerCase.put(name.toLowerCase(Locale.ROOT), values.get(0));
            }
        });
        var request = new WebhookRequest("POST", signedUri(uriInfo.getRequestUri()), lowerCase,
                headers.getHeaderString(HttpHeaders.CONTENT_TYPE), token, bytes);
        return service.receive(target, workspace, request);
    }

    @GET
    @RequiresScope(Scope.ADMIN)
    @Operation(operationId = "listWebhooks", summary = "The webhook URL to paste into each CRM, and how to set it up")
    @SecurityRequirement(name = "bearer")
    public WebhookViews.WebhooksView list(@Context UriInfo uriInfo) {
        UUID ws = caller.workspaceId();
        return new WebhookViews.WebhooksView(Arrays.stream(Crm.values()).map(crm -> {
            var config = configs.find(ws, crm);
            return new WebhookViews.WebhookView(crm.pathName, config.isPresent(),
                    config.map(c -> url(uriInfo, ws, c)).orElse(null), service.adapter(crm).instructions());
        }).toList());
    }

    @PUT
    @Path("/{crm}/config")
    @RequiresScope(Scope.ADMIN)
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "putWebhookConfig", summary = "Set a CRM's webhook secret and how its ids become pipeline and stage names")
    @SecurityRequirement(name = "bearer")
    public WebhookViews.ConfigView putConfig(@PathParam("crm") String crm,
                                             @Valid @NotNull WebhookViews.ConfigRequest request,
                                             @Context UriInfo uriInfo) {
        Crm target = Crm.of(crm);
        configs.put(caller.workspaceId(), target, request.secret(), new WebhookConfig.Settings(request.pipelines(),
                request.stages(), request.wonStages(), request.lostStages(), request.lostReasonField(),
                request.trackingNumberField()));
        return getConfig(crm, uriInfo);
    }

    @GET
    @Path("/{crm}/config")
    @RequiresScope(Scope.ADMIN)
    @Operation(operationId = "getWebhookConfig", summary = "A CRM's webhook settings (without the secret)")
    @SecurityRequirement(name = "bearer")
    public WebhookViews.ConfigView getConfig(@PathParam("crm") String crm, @Context UriInfo uriInfo) {
        Crm target = Crm.of(crm);
        UUID ws = caller.workspaceId();
        var c = configs.find(ws, target).orElseThrow(() -> new ProblemException(Response.Status.NOT_FOUND,
                "No " + target.pathName + " webhook configured in this workspace"));
        return new WebhookViews.ConfigView(target.pathName, url(uriInfo, ws, c), c.pipelines(), c.stages(),
                c.wonStages(), c.lostStages(), c.lostReasonField(), c.trackingNumberField());
    }

    @GET
    @Path("/dead-letters")
    @RequiresScope(Scope.ADMIN)
    @Operation(operationId = "listDeadLetters", summary = "Deliveries that could not be mapped (and any stuck unprocessed), oldest first",
            description = "Page with afterId = the last id seen.")
    @SecurityRequirement(name = "bearer")
    public WebhookViews.DeadLettersView deadLetters(@QueryParam("afterId") Long afterId,
                                                    @QueryParam("limit") Integer limit) {
        int size = limit == null ? 100 : limit;
        if (size < 1 || size > 1000) {
            throw ProblemException.badParameter("limit", "must be from 1 to 1000");
        }
        return new WebhookViews.DeadLettersView(deliveries.deadLetters(caller.workspaceId(),
                afterId == null ? 0 : afterId, size).stream().map(d -> new WebhookViews.DeadLetterView(d.id(),
                d.crm().pathName, d.receivedAt(), d.status().wireName(), d.error(), d.replays(), d.contentType(),
                d.headers(), d.bodyText())).toList());
    }

    @POST
    @Path("/dead-letters/{id}/replay")
    @RequiresScope(Scope.ADMIN)
    @Operation(operationId = "replayDeadLetter", summary = "Map a dead letter again with the current config and ingest its events",
            description = "Events already stored from an earlier attempt count as duplicates, never twice.")
    @APIResponse(responseCode = "200", description = "The delivery after mapping it again")
    @APIResponse(responseCode = "409", description = "The delivery is not a dead letter")
    @SecurityRequirement(name = "bearer")
    public WebhookViews.DeliveryView replay(@PathParam("id") long id) {
        return service.replay(caller.workspaceId(), id);
    }

    /** The URI as the CRM called it: behind a proxy, crm.public-url tells the scheme and host it used. */
    private String signedUri(URI requestUri) {
        if (publicUrl.isEmpty()) {
            return requestUri.toString();
        }
        return publicUrl.get() + requestUri.getRawPath()
                + (requestUri.getRawQuery() == null ? "" : "?" + requestUri.getRawQuery());
    }

    private String url(UriInfo uriInfo, UUID ws, WebhookConfig config) {
        String base = publicUrl.orElseGet(() -> {
            String b = uriInfo.getBaseUri().toString();
            return b.endsWith("/") ? b.substring(0, b.length() - 1) : b;
        });
        String url = base + "/api/v1/webhooks/" + config.crm().pathName + "?workspace=" + ws;
        return config.crm() == Crm.AMOCRM
                ? url + "&token=" + URLEncoder.encode(config.secret(), StandardCharsets.UTF_8) : url;
    }
}
