package io.crmanalytics.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * amoCRM / Kommo account webhooks: application/x-www-form-urlencoded, {@code entity[action][i][field]}.
 * amoCRM signs nothing, so the URL carries the workspace's secret as {@code token}. An amoCRM "lead" is
 * both a lead and a deal of ours (same id), so a new one gives lead.created and deal.created.
 */
@ApplicationScoped
class AmoCrmAdapter implements CrmAdapter {

    /** amoCRM's element_type of a lead (deal) */
    private static final String LEAD_ELEMENT = "2";
    /** note_type of incoming and outgoing calls */
    private static final Map<String, String> CALL_NOTES = Map.of("10", "in", "11", "out");
    /** params.call_status 4: "the conversation took place" */
    private static final String CALL_ANSWERED = "4";

    private final ObjectMapper mapper;

    AmoCrmAdapter(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    @Override
    public Crm crm() {
        return Crm.AMOCRM;
    }

    @Override
    public void verify(WebhookRequest request, WebhookConfig config) {
        if (request.token() == null) {
            throw new Unverified("amoCRM webhooks must call the URL with its token parameter");
        }
        if (!config.secretMatches(request.token())) {
            throw new Unverified("Wrong token for this workspace's amoCRM webhook");
        }
    }

    @Override
    public List<String> keptHeaders() {
        return List.of("user-agent");
    }

    @Override
    public String instructions() {
        return "amoCRM/Kommo: Settings → Integrations → Web hooks: paste this URL (it carries the secret as token) "
                + "and tick lead added, lead status changed, lead responsible changed, task added/edited, notes "
                + "added to leads and contacts.";
    }

    @Override
    public Mapping map(byte[] body, WebhookConfig config) {
        var form = FormBody.parse(body);
        if (form.isEmpty()) {
            throw new MalformedPayload("The body is empty");
        }
        var mapping = new Mapping();
        for (var entity : iterable(form.fields())) {
            String name = entity.getKey();
            if (name.equals("account")) {
                continue;
            }
            for (var action : iterable(entity.getValue().fields())) {
                String kind = name + "." + action.getKey();
                for (JsonNode item : action.getValue()) {
                    map(kind, item, config, mapping);
                }
            }
        }
        return mapping;
    }

    private void map(String kind, JsonNode item, WebhookConfig config, Mapping mapping) {
        switch (kind) {
            case "leads.add" -> leadAdded(item, config, mapping);
            case "leads.status" -> statusChanged(item, config, mapping);
            case "leads.responsible" -> reassigned(item, mapping);
            case "leads.note", "contacts.note", "companies.note" -> note(kind, item.get("note"), mapping);
            case "task.add", "tasks.add" -> taskAdded(item, mapping);
            case "task.update", "tasks.update" -> taskUpdated(kind, item, mapping);
            default -> mapping.ignore(kind);
        }
    }

    private void leadAdded(JsonNode lead, WebhookConfig config, Mapping mapping) {
        String id = Payloads.required(lead, "id", "leads.add");
        Instant at = time(lead, "date_create", "created_at", "leads.add " + id);
        String manager = Payloads.text(lead, "responsible_user_id");
        String status = Payloads.required(lead, "status_id", "leads.add " + id);
        mapping.add(CanonicalEvent.of(Crm.AMOCRM, "amocrm:leads.add:" + id + ":lead", "lead.created", at)
                .put("leadId", id).put("managerId", manager)
                .utm(customField(lead, "utm_source"), customField(lead, "utm_medium"),
                        customField(lead, "utm_campaign"))
                .put("trackingNumber", config.trackingNumberField() == null ? null
                        : customField(lead, config.trackingNumberField())));
        if (config.won(status) || config.lost(status)) {
            // created straight into won/lost: no stage of its own to create the deal in
            mapping.needsEnrichment("leads.add " + id + " created as won or lost: deal.created needs a stage, "
                    + "the lead's history (leads API events) has it");
            outcome(lead, id, status, at, config, mapping);
            return;
        }
        mapping.add(CanonicalEvent.of(Crm.AMOCRM, "amocrm:leads.add:" + id + ":deal", "deal.created", at)
                .put("dealId", id).put("leadId", id).put("managerId", manager)
                .put("pipeline", config.pipelineName(Payloads.required(lead, "pipeline_id", "leads.add " + id)))
                .put("stage", config.stageName(status))
                .put("amount", Payloads.money(lead, "price", "leads.add " + id)));
    }

    private void statusChanged(JsonNode lead, WebhookConfig config, Mapping mapping) {
        String id = Payloads.required(lead, "id", "leads.status");
        String status = Payloads.required(lead, "status_id", "leads.status " + id);
        Instant at = time(lead, "last_modified", "updated_at", "leads.status " + id);
        if (config.won(status) || config.lost(status)) {
            outcome(lead, id, status, at, config, mapping);
            return;
        }
        String old = Payloads.text(lead, "old_status_id");
        mapping.add(CanonicalEvent.of(Crm.AMOCRM, "amocrm:leads.status:" + id + ":" + status + ":"
                        + at.getEpochSecond(), "deal.stage_changed", at)
                .put("dealId", id)
                .put("pipeline", config.pipelineName(Payloads.text(lead, "pipeline_id")))
                .put("toStage", config.stageName(status))
                // leaving won/lost reopens the deal; those are outcomes, not a stage it came from
                .put("fromStage", config.won(old) || config.lost(old) ? null : config.stageName(old))
                .put("managerId", Payloads.text(lead, "responsible_user_id")));
    }

    private void outcome(JsonNode lead, String id, String status, Instant at, WebhookConfig config, Mapping mapping) {
        String eventId = "amocrm:leads.status:" + id + ":" + status + ":" + at.getEpochSecond();
        if (config.won(status)) {
            // the lead's budget is the won amount; a lead without one is won with 0
            BigDecimal price = Payloads.money(lead, "price", "leads.status " + id);
            mapping.add(CanonicalEvent.of(Crm.AMOCRM, eventId, "deal.won", at).put("dealId", id)
                    .put("amount", price == null ? BigDecimal.ZERO : price));
        } else {
            mapping.add(CanonicalEvent.of(Crm.AMOCRM, eventId, "deal.lost", at).put("dealId", id)
                    .put("lostReason", config.lostReasonField() == null ? null
                            : customField(lead, config.lostReasonField())));
        }
    }

    private void reassigned(JsonNode lead, Mapping mapping) {
        String id = Payloads.required(lead, "id", "leads.responsible");
        String manager = Payloads.required(lead, "responsible_user_id", "leads.responsible " + id);
        Instant at = time(lead, "last_modified", "updated_at", "leads.responsible " + id);
        mapping.add(CanonicalEvent.of(Crm.AMOCRM, "amocrm:leads.responsible:" + id + ":" + manager + ":"
                + at.getEpochSecond(), "deal.reassigned", at).put("dealId", id).put("managerId", manager));
    }

    /** Call notes become call.logged; the call's details are a JSON object in the note's text. */
    private void note(String kind, JsonNode note, Mapping mapping) {
        String type = Payloads.text(note, "note_type");
        String direction = type == null ? null : CALL_NOTES.get(type);
        if (direction == null) {
            mapping.ignore(kind + " of note_type " + type);
            return;
        }
        String id = Payloads.required(note, "id", kind);
        JsonNode call = callParams(Payloads.text(note, "text"), kind + " " + id);
        String duration = Payloads.text(call, "DURATION");
        int seconds;
        try {
            seconds = duration == null ? 0 : Integer.parseInt(duration.trim());
        } catch (NumberFormatException e) {
            throw new Unmappable(kind + " " + id + ": DURATION is not a whole number of seconds: " + duration);
        }
        String callStatus = Payloads.text(call, "call_status");
        // call_status says whether the conversation took place; without it, a call that lasted did
        boolean answered = callStatus != null ? callStatus.equals(CALL_ANSWERED) : seconds > 0;
        String element = Payloads.text(note, "element_id");
        boolean onLead = LEAD_ELEMENT.equals(Payloads.text(note, "element_type"));
        String manager = first(note, "responsible_user_id", "main_user_id", "created_by");
        mapping.add(CanonicalEvent.of(Crm.AMOCRM, "amocrm:note:" + id, "call.logged",
                        time(note, "date_create", "created_at", kind + " " + id))
                .put("callId", id).put("direction", direction).put("answered", answered).put("durationSec", seconds)
                .put("managerId", manager)
                .put("leadId", onLead ? element : null).put("dealId", onLead ? element : null));
    }

    private JsonNode callParams(String text, String where) {
        if (text == null) {
            throw new Unmappable(where + ": a call note without its call details");
        }
        try {
            JsonNode params = mapper.readTree(text);
            if (params != null && params.isObject()) {
                return params;
            }
        } catch (IOException e) {
            // reported below
        }
        throw new Unmappable(where + ": the call note's text is not amoCRM's JSON of call details");
    }

    private void taskAdded(JsonNode task, Mapping mapping) {
        String id = Payloads.required(task, "id", "task.add");
        String due = Payloads.text(task, "complete_till");
        boolean onLead = LEAD_ELEMENT.equals(Payloads.text(task, "element_type"));
        mapping.add(CanonicalEvent.of(Crm.AMOCRM, "amocrm:task.add:" + id, "task.created",
                        time(task, "date_create", "created_at", "task.add " + id))
                .put("taskId", id)
                .put("managerId", Payloads.required(task, "responsible_user_id", "task.add " + id))
                .put("dueAt", due == null ? null : Payloads.epochSeconds(due, "task.add " + id + " complete_till"))
                .put("dealId", onLead ? Payloads.text(task, "element_id") : null));
    }

    private void taskUpdated(String kind, JsonNode task, Mapping mapping) {
        String id = Payloads.required(task, "id", kind);
        if (!"1".equals(Payloads.text(task, "status")) && !"true".equals(Payloads.text(task, "is_completed"))) {
            mapping.ignore(kind + " of an open task");
            return;
        }
        mapping.add(CanonicalEvent.of(Crm.AMOCRM, "amocrm:task.completed:" + id, "task.completed",
                time(task, "last_modified", "updated_at", kind + " " + id)).put("taskId", id));
    }

    /** The first value of the custom field with this id, name or code (case-insensitive). */
    private static String customField(JsonNode entity, String idOrName) {
        JsonNode fields = entity.get("custom_fields");
        if (fields == null) {
            return null;
        }
        for (JsonNode field : fields) {
            if (idOrName.equals(Payloads.text(field, "id")) || idOrName.equalsIgnoreCase(Payloads.text(field, "name"))
                    || idOrName.equalsIgnoreCase(Payloads.text(field, "code"))) {
                JsonNode values = field.get("values");
                for (JsonNode value : values == null ? List.<JsonNode>of() : values) {
                    String text = value.isValueNode() ? value.asText() : Payloads.text(value, "value");
                    if (text != null && !text.isBlank()) {
                        return text;
                    }
                }
            }
        }
        return null;
    }

    /** amoCRM's older payloads name times date_create/last_modified, newer ones created_at/updated_at. */
    private static Instant time(JsonNode node, String field, String alternative, String where) {
        String value = first(node, field, alternative);
        if (value == null) {
            throw new Unmappable(where + ": neither '" + field + "' nor '" + alternative + "' is present");
        }
        return Payloads.epochSeconds(value, where);
    }

    private static String first(JsonNode node, String... fields) {
        for (String field : fields) {
            String value = Payloads.text(node, field);
            if (value != null) {
                return value;
            }
        }
        return null;
    }

    private static <T> Iterable<T> iterable(java.util.Iterator<T> iterator) {
        return () -> iterator;
    }
}
