package io.crmanalytics.webhook;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Bitrix24 outbound webhooks: form-encoded {@code event}, {@code data[FIELDS][ID]}, {@code ts} and
 * {@code auth[application_token]}, the token Bitrix24 shows for the outbound webhook. Bitrix24 sends only
 * the entity's ID: a new lead can be counted, everything else needs crm.*.get to say what changed.
 */
@ApplicationScoped
class Bitrix24Adapter implements CrmAdapter {

    /** Events whose meaning for us depends on fields Bitrix24 does not send. */
    private static final Set<String> NEED_ENRICHMENT = Set.of("ONCRMDEALADD", "ONCRMDEALUPDATE", "ONCRMLEADUPDATE",
            "ONCRMACTIVITYADD", "ONCRMACTIVITYUPDATE");

    @Override
    public Crm crm() {
        return Crm.BITRIX24;
    }

    @Override
    public void verify(WebhookRequest request, WebhookConfig config) {
        var auth = FormBody.parse(request.body()).get("auth");
        String token = Payloads.text(auth, "application_token");
        if (token == null) {
            throw new Unverified("Bitrix24 webhooks carry auth[application_token]; this request has none");
        }
        if (!config.secretMatches(token)) {
            throw new Unverified("Wrong application token for this workspace's Bitrix24 webhook");
        }
    }

    @Override
    public List<String> keptHeaders() {
        return List.of("user-agent");
    }

    @Override
    public String instructions() {
        return "Bitrix24: Developer resources → Other → Outbound webhook: paste this URL, pick ONCRMLEADADD (and the "
                + "deal and activity events, kept for enrichment), then set the shown application token as this "
                + "webhook's secret.";
    }

    @Override
    public Mapping map(byte[] body, WebhookConfig config) {
        var form = FormBody.parse(body);
        String event = Payloads.text(form, "event");
        if (event == null) {
            throw new MalformedPayload("A Bitrix24 webhook names its 'event'; this body has none");
        }
        event = event.toUpperCase(Locale.ROOT);
        var mapping = new Mapping();
        if (event.equals("ONCRMLEADADD")) {
            String id = Payloads.required(form.path("data").get("FIELDS"), "ID", event);
            mapping.add(CanonicalEvent.of(Crm.BITRIX24, "bitrix24:lead.add:" + id, "lead.created",
                    Payloads.epochSeconds(Payloads.required(form, "ts", event), event)).put("leadId", id));
        } else if (NEED_ENRICHMENT.contains(event)) {
            mapping.needsEnrichment(event + " " + Payloads.text(form.path("data").get("FIELDS"), "ID")
                    + ": Bitrix24 sends only the ID; the stage, pipeline (category), amount and owner come from "
                    + "crm.deal.get / crm.lead.get / crm.activity.get");
        } else {
            mapping.ignore(event);
        }
        return mapping;
    }
}
