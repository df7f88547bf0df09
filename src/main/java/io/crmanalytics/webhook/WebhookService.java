package io.crmanalytics.webhook;

import io.crmanalytics.common.ProblemException;
import io.crmanalytics.ingest.EventIngestor;
import io.crmanalytics.workspace.ApiKeys;
import io.crmanalytics.workspace.Scope;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.ws.rs.core.Response;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Receives a CRM's webhook: verify, store raw, map, ingest, record the outcome. Mapping reads only the
 * stored body, so a dead letter replays exactly what the CRM sent, with the config as it is now.
 */
@ApplicationScoped
public class WebhookService {

    private static final Logger LOG = Logger.getLogger(WebhookService.class);
    /** Starts the error of a body the CRM would never send: answered 400, yet kept. */
    private static final String MALFORMED = "malformed: ";

    private final Map<Crm, CrmAdapter> adapters = new EnumMap<>(Crm.class);
    private final WebhookConfigs configs;
    private final Deliveries deliveries;
    private final EventIngestor ingestor;
    private final MeterRegistry registry;
    private final ApiKeys keys;

    WebhookService(Instance<CrmAdapter> adapters, WebhookConfigs configs, Deliveries deliveries,
                   EventIngestor ingestor, MeterRegistry registry, ApiKeys keys) {
        adapters.forEach(a -> this.adapters.put(a.crm(), a));
        this.configs = configs;
        this.deliveries = deliveries;
        this.ingestor = ingestor;
        this.registry = registry;
        this.keys = keys;
    }

    CrmAdapter adapter(Crm crm) {
        return adapters.get(crm);
    }

    WebhookViews.DeliveryView receive(Crm crm, String workspaceParam, WebhookRequest request) {
        var adapter = adapter(crm);
        UUID workspace;
        WebhookConfig config;
        String bearer = bearer(request.header("authorization"));
        if (bearer != null) {
            // our own integrations may relay a CRM's payload with an ingest key instead of the CRM's proof
            workspace = ingestCaller(crm, bearer, workspaceParam);
            config = configs.find(workspace, crm).orElse(WebhookConfig.of(crm, "",
                    new WebhookConfig.Settings(null, null, null, null, null, null)));
        } else {
            workspace = workspace(workspaceParam, crm);
            config = configs.find(workspace, crm).orElseThrow(() -> unauthorized(crm,
                    "No " + crm.pathName + " webhook is configured for this workspace; an admin sets one with "
                            + "PUT /api/v1/webhooks/" + crm.pathName + "/config"));
            try {
                adapter.verify(request, config);
            } catch (CrmAdapter.Unverified e) {
                throw unauthorized(crm, e.getMessage());
            }
        }
        var kept = new LinkedHashMap<String, String>();
        for (String name : adapter.keptHeaders()) {
            if (request.header(name) != null) {
                kept.put(name, request.header(name));
            }
        }
        long id = deliveries.store(workspace, crm, request.contentType(), kept, request.body());
        var view = process(workspace, id, crm, request.body(), config, false);
        boolean malformed = view.error() != null && view.error().startsWith(MALFORMED);
        count("crm.webhooks.received", crm, malformed ? "malformed" : view.status());
        if (malformed) {
            throw new ProblemException(Response.Status.BAD_REQUEST, view.error() + " (kept as dead letter "
                    + id + ")");
        }
        return view;
    }

    WebhookViews.DeliveryView replay(UUID workspace, long id) {
        var delivery = deliveries.find(workspace, id).orElseThrow(() -> new ProblemException(
                Response.Status.NOT_FOUND, "No webhook delivery " + id + " in this workspace"));
        if (delivery.status() != DeliveryStatus.DEAD_LETTER && delivery.status() != DeliveryStatus.RECEIVED) {
            throw new ProblemException(Response.Status.CONFLICT, "Delivery " + id + " is "
                    + delivery.status().wireName() + "; only dead letters are replayed");
        }
        var config = configs.find(workspace, delivery.crm()).orElseThrow(() -> new ProblemException(
                Response.Status.CONFLICT, "No " + delivery.crm().pathName + " webhook config to map it with"));
        var view = process(workspace, id, delivery.crm(), delivery.body(), config, true);
        count("crm.webhooks.replayed", delivery.crm(), view.status());
        return view;
    }

    private WebhookViews.DeliveryView process(UUID workspace, long id, Crm crm, byte[] body, WebhookConfig config,
                                              boolean replay) {
        Mapping mapping;
        try {
            mapping = adapter(crm).map(body, config);
        } catch (MalformedPayload e) {
            return finish(id, crm, new Deliveries.Outcome(DeliveryStatus.DEAD_LETTER, MALFORMED + e.getMessage(),
                    List.of(), 0, 0), List.of(), replay);
        } catch (Unmappable e) {
            return finish(id, crm, new Deliveries.Outcome(DeliveryStatus.DEAD_LETTER, e.getMessage(), List.of(), 0, 0),
                    List.of(), replay);
        }
        var result = mapping.events().isEmpty() ? new EventIngestor.IngestResult(0, 0, List.of())
                : ingestor.ingest(workspace, mapping.events());
        String error = null;
        DeliveryStatus status = mapping.status();
        if (!result.rejected().isEmpty()) {
            // the valid events are stored (idempotently); a replay after the fix adds only the refused ones
            status = DeliveryStatus.DEAD_LETTER;
            error = "events refused: " + result.rejected().stream()
                    .map(r -> r.eventId() + " (" + String.join("; ", r.errors()) + ")")
                    .collect(Collectors.joining(", "));
        }
        return finish(id, crm, new Deliveries.Outcome(status, error, mapping.notes(), result.accepted(),
                result.duplicates()), result.rejected(), replay);
    }

    private WebhookViews.DeliveryView finish(long id, Crm crm, Deliveries.Outcome outcome,
                                             List<EventIngestor.Rejection> rejected, boolean replay) {
        deliveries.finish(id, outcome, replay);
        if (outcome.status() == DeliveryStatus.DEAD_LETTER) {
            LOG.infof("%s webhook delivery %d is a dead letter: %s", crm.pathName, id, outcome.error());
        }
        return new WebhookViews.DeliveryView(id, crm.pathName, outcome.status().wireName(), outcome.accepted(),
                outcome.duplicates(), rejected, outcome.error(), outcome.notes().isEmpty() ? null : outcome.notes());
    }

    private UUID ingestCaller(Crm crm, String key, String workspaceParam) {
        var caller = keys.resolve(key).orElseThrow(() -> unauthorized(crm, "Unknown API key"));
        if (caller.scope() != Scope.INGEST || caller.workspaceId() == null) {
            count("crm.webhooks.received", crm, "unauthorized");
            throw new ProblemException(Response.Status.FORBIDDEN, "This key has scope '" + caller.scope().dbName()
                    + "'; relaying webhooks needs scope 'ingest'");
        }
        if (workspaceParam != null && !workspaceParam.isBlank() && !workspaceParam.trim().equals(
                caller.workspaceId().toString())) {
            throw unauthorized(crm, "The workspace parameter names another workspace than the key's");
        }
        return caller.workspaceId();
    }

    private static String bearer(String authorization) {
        return authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                && authorization.length() > 7 ? authorization.substring(7).trim() : null;
    }

    private UUID workspace(String param, Crm crm) {
        if (param == null || param.isBlank()) {
            throw unauthorized(crm, "The webhook URL names its workspace: ?workspace=<id> (see GET /api/v1/webhooks)");
        }
        try {
            return UUID.fromString(param.trim());
        } catch (IllegalArgumentException e) {
            throw unauthorized(crm, "The workspace parameter is not a workspace id");
        }
    }

    private ProblemException unauthorized(Crm crm, String detail) {
        count("crm.webhooks.received", crm, "unauthorized");
        return new ProblemException(Response.Status.UNAUTHORIZED, detail);
    }

    private void count(String name, Crm crm, String outcome) {
        registry.counter(name, "crm", crm.pathName, "outcome", outcome).increment();
    }
}
