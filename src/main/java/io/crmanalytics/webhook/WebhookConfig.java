package io.crmanalytics.webhook;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;

/**
 * A workspace's settings for one CRM's webhooks: the shared secret and how the CRM's ids become the
 * names our events carry. Maps are never null here.
 *
 * @param pipelines           CRM pipeline id → pipeline name; when non-empty, every pipeline must be listed
 * @param stages              CRM stage/status id → stage name; when non-empty, every stage must be listed
 * @param wonStages           CRM stage ids that mean "won"
 * @param lostStages          CRM stage ids that mean "lost"
 * @param lostReasonField     amoCRM custom field (id or name) holding the loss reason
 * @param trackingNumberField amoCRM custom field (id or name) holding the call-tracking number
 */
public record WebhookConfig(Crm crm, String secret, Map<String, String> pipelines, Map<String, String> stages,
                            List<String> wonStages, List<String> lostStages, String lostReasonField,
                            String trackingNumberField) {

    /** The settings stored beside the secret, as JSON. */
    public record Settings(Map<String, String> pipelines, Map<String, String> stages, List<String> wonStages,
                           List<String> lostStages, String lostReasonField, String trackingNumberField) {
    }

    public static WebhookConfig of(Crm crm, String secret, Settings s) {
        return new WebhookConfig(crm, secret,
                s.pipelines() == null ? Map.of() : s.pipelines(),
                s.stages() == null ? Map.of() : s.stages(),
                s.wonStages() == null || s.wonStages().isEmpty() ? crm.defaultWonStages : s.wonStages(),
                s.lostStages() == null || s.lostStages().isEmpty() ? crm.defaultLostStages : s.lostStages(),
                s.lostReasonField(), s.trackingNumberField());
    }

    /**
     * The name of a CRM pipeline id. Ids pass through as names until the admin names pipelines; from
     * then on an unnamed one is refused, so a delivery cannot create a stray pipeline under its raw id.
     */
    public String pipelineName(String id) {
        return name(id, pipelines, "pipeline", "pipelines");
    }

    public String stageName(String id) {
        return name(id, stages, "stage", "stages");
    }

    /** Compares in constant time, so response times do not reveal how much of a guess was right. */
    public boolean secretMatches(String presented) {
        return presented != null && MessageDigest.isEqual(secret.getBytes(StandardCharsets.UTF_8),
                presented.getBytes(StandardCharsets.UTF_8));
    }

    public boolean won(String stageId) {
        return stageId != null && wonStages.contains(stageId);
    }

    public boolean lost(String stageId) {
        return stageId != null && lostStages.contains(stageId);
    }

    private String name(String id, Map<String, String> names, String what, String key) {
        if (id == null) {
            return null;
        }
        String name = names.get(id);
        if (name != null) {
            return name;
        }
        if (!names.isEmpty()) {
            throw new Unmappable(what + " " + id + " is not named in the " + crm.pathName + " webhook config ('"
                    + key + "'); add it with PUT /api/v1/webhooks/" + crm.pathName + "/config and replay");
        }
        return id;
    }
}
