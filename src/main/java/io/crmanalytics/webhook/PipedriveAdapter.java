package io.crmanalytics.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Pipedrive webhooks, v1 ({@code meta.object/action}, {@code current}, full {@code previous}) and v2
 * ({@code meta.entity/action}, {@code data}, {@code previous} with the changed fields only), protected by
 * HTTP basic auth whose password is the workspace's secret. Both versions give the same eventIds, so running
 * them side by side while migrating counts each change once.
 */
@ApplicationScoped
class PipedriveAdapter implements CrmAdapter {

    private static final Map<String, String> V1_ACTIONS = Map.of("added", "create", "updated", "change",
            "merged", "change", "deleted", "delete");

    private final ObjectMapper mapper;

    PipedriveAdapter(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** One notification in either version's shape. */
    private record Change(String entity, String action, JsonNode current, JsonNode previous, Instant sentAt) {

        boolean changed(String field) {
            return previous != null && previous.has(field)
                    && !previous.get(field).asText().equals(current.path(field).asText());
        }
    }

    @Override
    public Crm crm() {
        return Crm.PIPEDRIVE;
    }

    @Override
    public void verify(WebhookRequest request, WebhookConfig config) {
        String header = request.header("authorization");
        if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            throw new Unverified("Pipedrive webhooks must be set up with HTTP auth (any user name, the secret as password)");
        }
        String credentials;
        try {
            credentials = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new Unverified("The Authorization header is not valid basic auth");
        }
        int colon = credentials.indexOf(':');
        if (colon < 0 || !config.secretMatches(credentials.substring(colon + 1))) {
            throw new Unverified("Wrong HTTP auth password for this workspace's Pipedrive webhook");
        }
    }

    @Override
    public List<String> keptHeaders() {
        return List.of("user-agent");
    }

    @Override
    public String instructions() {
        return "Pipedrive: Settings → Tools and apps → Webhooks: paste this URL, event object deal, activity or lead "
                + "(action *), HTTP auth with any user name and the secret as password.";
    }

    @Override
    public Mapping map(byte[] body, WebhookConfig config) {
        var change = read(body);
        var mapping = new Mapping();
        String kind = change.entity() + "." + change.action();
        switch (kind) {
            case "deal.create" -> dealCreated(change, config, mapping);
            case "deal.change" -> dealChanged(change, config, mapping);
            case "activity.create" -> activityCreated(change, mapping);
            case "activity.change" -> activityChanged(change, mapping);
            case "lead.create" -> {
                String id = id(change);
                mapping.add(CanonicalEvent.of(Crm.PIPEDRIVE, "pipedrive:lead.create:" + id, "lead.created",
                        time(change, "add_time")).put("leadId", id).put("managerId", owner(change.current())));
            }
            default -> mapping.ignore(kind);
        }
        return mapping;
    }

    private Change read(byte[] body) {
        JsonNode root;
        try {
            root = mapper.readTree(body);
        } catch (IOException e) {
            throw new MalformedPayload("The body is not valid JSON");
        }
        JsonNode meta = root == null ? null : root.get("meta");
        if (meta == null || !meta.isObject()) {
            throw new MalformedPayload("A Pipedrive webhook is a JSON object with 'meta'");
        }
        String timestamp = Payloads.text(meta, "timestamp");
        Instant sentAt = timestamp == null ? null : Payloads.epochSeconds(timestamp, "meta.timestamp");
        String version = Payloads.text(meta, "version");
        if (version != null && version.startsWith("2")) {
            return new Change(Payloads.text(meta, "entity"), Payloads.text(meta, "action"), root.get("data"),
                    nullIfNull(root.get("previous")), sentAt);
        }
        if (root.has("current") || "1".equals(Payloads.text(meta, "v"))) {
            String action = Payloads.text(meta, "action");
            return new Change(Payloads.text(meta, "object"), action == null ? null : V1_ACTIONS.getOrDefault(action, action),
                    root.get("current"), nullIfNull(root.get("previous")), sentAt);
        }
        throw new MalformedPayload("Neither a Pipedrive webhooks v1 nor v2 body");
    }

    private static void dealCreated(Change change, WebhookConfig config, Mapping mapping) {
        JsonNode deal = change.current();
        String id = id(change);
        BigDecimal value = Payloads.money(deal, "value", "deal " + id);
        mapping.add(money(CanonicalEvent.of(Crm.PIPEDRIVE, "pipedrive:deal.create:" + id, "deal.created",
                        time(change, "add_time"))
                .put("dealId", id)
                .put("pipeline", config.pipelineName(Payloads.required(deal, "pipeline_id", "deal " + id)))
                .put("stage", config.stageName(Payloads.required(deal, "stage_id", "deal " + id)))
                .put("managerId", owner(deal)).put("amount", value), value, deal));
        String status = Payloads.text(deal, "status");
        if ("won".equals(status) || "lost".equals(status)) {
            outcome(change, id, status, mapping);
        }
    }

    private static void dealChanged(Change change, WebhookConfig config, Mapping mapping) {
        JsonNode deal = change.current();
        String id = id(change);
        String status = Payloads.text(deal, "status");
        boolean mapped = false;
        if (change.changed("status") && ("won".equals(status) || "lost".equals(status))) {
            outcome(change, id, status, mapping);
            mapped = true;
        } else if (change.changed("status") || change.changed("stage_id") || change.changed("pipeline_id")) {
            // a move between stages, or a won/lost deal reopened into its stage
            String stage = Payloads.required(deal, "stage_id", "deal " + id);
            Instant at = time(change, "stage_change_time", "update_time");
            String previousStage = change.changed("stage_id") ? Payloads.text(change.previous(), "stage_id") : null;
            mapping.add(CanonicalEvent.of(Crm.PIPEDRIVE, "pipedrive:deal.stage:" + id + ":" + stage + ":"
                            + at.getEpochSecond(), "deal.stage_changed", at)
                    .put("dealId", id)
                    .put("pipeline", config.pipelineName(Payloads.text(deal, "pipeline_id")))
                    .put("toStage", config.stageName(stage))
                    .put("fromStage", config.stageName(previousStage)));
            mapped = true;
        }
        String owner = owner(deal);
        if (owner != null && (change.changed("owner_id") || change.changed("user_id"))) {
            Instant at = time(change, "update_time");
            mapping.add(CanonicalEvent.of(Crm.PIPEDRIVE, "pipedrive:deal.owner:" + id + ":" + owner + ":"
                    + at.getEpochSecond(), "deal.reassigned", at).put("dealId", id).put("managerId", owner));
            mapped = true;
        }
        if (!mapped) {
            mapping.ignore("deal.change of fields we do not track");
        }
    }

    private static void outcome(Change change, String id, String status, Mapping mapping) {
        JsonNode deal = change.current();
        Instant at = time(change, status + "_time", "update_time");
        var event = CanonicalEvent.of(Crm.PIPEDRIVE, "pipedrive:deal." + status + ":" + id + ":" + at.getEpochSecond(),
                "deal." + status, at).put("dealId", id);
        if (status.equals("won")) {
            BigDecimal value = Payloads.money(deal, "value", "deal " + id);
            BigDecimal amount = value == null ? BigDecimal.ZERO : value;
            mapping.add(money(event.put("amount", amount), amount, deal));
        } else {
            mapping.add(event.put("lostReason", Payloads.text(deal, "lost_reason")));
        }
    }

    /** Pipedrive activities are a manager's to-dos (calls, meetings, tasks) with a due date: tasks of ours. */
    private static void activityCreated(Change change, Mapping mapping) {
        JsonNode activity = change.current();
        String id = id(change);
        mapping.add(CanonicalEvent.of(Crm.PIPEDRIVE, "pipedrive:activity.create:" + id, "task.created",
                        time(change, "add_time"))
                .put("taskId", id)
                .put("managerId", owner(activity))
                .put("dueAt", dueAt(activity))
                .put("dealId", Payloads.text(activity, "deal_id")));
        if (done(activity)) {
            activityDone(change, id, mapping);
        }
    }

    private static void activityChanged(Change change, Mapping mapping) {
        if (change.changed("done") && done(change.current())) {
            activityDone(change, id(change), mapping);
        } else {
            mapping.ignore("activity.change other than marking it done");
        }
    }

    private static void activityDone(Change change, String id, Mapping mapping) {
        mapping.add(CanonicalEvent.of(Crm.PIPEDRIVE, "pipedrive:activity.done:" + id, "task.completed",
                time(change, "marked_as_done_time", "update_time")).put("taskId", id));
    }

    private static boolean done(JsonNode activity) {
        String done = Payloads.text(activity, "done");
        return "true".equals(done) || "1".equals(done);
    }

    /** due_date and due_time are UTC; a task due on a day without a time is due when that day ends. */
    private static Instant dueAt(JsonNode activity) {
        String date = Payloads.text(activity, "due_date");
        if (date == null) {
            return null;
        }
        try {
            String time = Payloads.text(activity, "due_time");
            return time == null ? LocalDate.parse(date).plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC)
                    : LocalDate.parse(date).atTime(LocalTime.parse(time)).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw new Unmappable("activity " + Payloads.text(activity, "id") + ": due_date/due_time are not a date and time");
        }
    }

    /** The workspace currency check applies to money events, so they name the deal's currency. */
    private static CanonicalEvent money(CanonicalEvent event, BigDecimal amount, JsonNode deal) {
        return amount == null ? event : event.put("currency", Payloads.text(deal, "currency"));
    }

    private static String id(Change change) {
        if (change.current() == null || !change.current().isObject()) {
            throw new Unmappable(change.entity() + "." + change.action() + ": no current data");
        }
        return Payloads.required(change.current(), "id", change.entity() + "." + change.action());
    }

    /** v2 names the owner owner_id, v1 user_id. */
    private static String owner(JsonNode entity) {
        String owner = Payloads.text(entity, "owner_id");
        return owner != null ? owner : Payloads.text(entity, "user_id");
    }

    /** The first of the entity's time fields present, else the notification's own timestamp. */
    private static Instant time(Change change, String... fields) {
        for (String field : fields) {
            String value = Payloads.text(change.current(), field);
            if (value != null) {
                return Payloads.pipedriveTime(value, change.entity() + " " + field);
            }
        }
        if (change.sentAt() == null) {
            throw new Unmappable(change.entity() + "." + change.action() + ": no time in the payload");
        }
        return change.sentAt();
    }

    private static JsonNode nullIfNull(JsonNode node) {
        return node == null || node.isNull() ? null : node;
    }
}
