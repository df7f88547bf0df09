package io.crmanalytics.webhook;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.crmanalytics.ingest.EventIngestor;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Request and response bodies of the webhook endpoints. */
public final class WebhookViews {

    private WebhookViews() {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "WebhookDelivery", description = "What one webhook request (or its replay) became")
    public record DeliveryView(long deliveryId, String crm,
                               @Schema(enumeration = {"mapped", "ignored", "needs_enrichment", "dead_letter"})
                               String status,
                               int accepted, int duplicates, List<EventIngestor.Rejection> rejected,
                               @Schema(description = "Why it is a dead letter") String error,
                               @Schema(description = "Parts ignored or needing enrichment") List<String> notes) {
    }

    @Schema(name = "WebhookConfigRequest")
    public record ConfigRequest(
            @Schema(description = "amoCRM: any random string (it goes into the URL); Bitrix24: the outbound "
                    + "webhook's application token; HubSpot: the app's client secret; Pipedrive: the HTTP auth password")
            @NotBlank @Size(min = 16, max = 500) String secret,
            @Schema(description = "CRM pipeline id → pipeline name. Once set, a delivery naming an unlisted pipeline "
                    + "is dead-lettered", example = "{\"2116\": \"Sales\"}")
            Map<@NotBlank @Size(max = 128) String, @NotBlank @Size(max = 128) String> pipelines,
            @Schema(description = "CRM stage/status id → stage name. Once set, every stage must be listed",
                    example = "{\"10216994\": \"Qualified\"}")
            Map<@NotBlank @Size(max = 128) String, @NotBlank @Size(max = 128) String> stages,
            @Schema(description = "Stage ids meaning won; default amoCRM 142, HubSpot closedwon")
            List<@NotBlank @Size(max = 128) String> wonStages,
            @Schema(description = "Stage ids meaning lost; default amoCRM 143, HubSpot closedlost")
            List<@NotBlank @Size(max = 128) String> lostStages,
            @Schema(description = "amoCRM: custom field (id or name) holding the loss reason")
            @Size(max = 200) String lostReasonField,
            @Schema(description = "amoCRM: custom field (id or name) holding the call-tracking number")
            @Size(max = 200) String trackingNumberField) {
    }

    @Schema(name = "WebhookConfig", description = "A CRM's webhook settings; the secret is never shown back "
            + "(except inside the amoCRM URL, which must carry it)")
    public record ConfigView(String crm, String url, Map<String, String> pipelines, Map<String, String> stages,
                             List<String> wonStages, List<String> lostStages, String lostReasonField,
                             String trackingNumberField) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "Webhook", description = "The URL to paste into a CRM and how to set it up")
    public record WebhookView(String crm, boolean configured,
                              @Schema(description = "Shown once configured") String url, String setup) {
    }

    public record WebhooksView(List<WebhookView> webhooks) {
    }

    @Schema(name = "WebhookDeadLetter")
    public record DeadLetterView(long id, String crm, OffsetDateTime receivedAt,
                                 @Schema(enumeration = {"dead_letter", "received"}) String status, String error,
                                 int replays, String contentType, Map<String, String> headers,
                                 @Schema(description = "The body as received (UTF-8)") String body) {
    }

    public record DeadLettersView(List<DeadLetterView> deadLetters) {
    }
}
