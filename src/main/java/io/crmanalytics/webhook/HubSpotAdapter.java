package io.crmanalytics.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HubSpot webhooks: a JSON array of events, signed with X-HubSpot-Signature-v3 =
 * base64(HMAC-SHA256(app secret, method + URI + body + timestamp)). HubSpot's events carry ids and, for
 * property changes, one property: a new contact is a lead, a deal's stage and owner changes are mapped,
 * a new or won deal needs the deals API for its pipeline, stage and amount.
 */
@ApplicationScoped
class HubSpotAdapter implements CrmAdapter {

    static final Duration TOLERANCE = Duration.ofMinutes(5);
    /** The characters HubSpot decodes in the URI it signs. */
    private static final Map<String, String> DECODED = Map.ofEntries(Map.entry("%3A", ":"), Map.entry("%2F", "/"),
            Map.entry("%3F", "?"), Map.entry("%40", "@"), Map.entry("%21", "!"), Map.entry("%24", "$"),
            Map.entry("%27", "'"), Map.entry("%28", "("), Map.entry("%29", ")"), Map.entry("%2A", "*"),
            Map.entry("%2C", ","), Map.entry("%3B", ";"));
    /** objectTypeId of the generic object.* subscriptions */
    private static final Map<String, String> OBJECT_TYPES = Map.of("0-1", "contact", "0-3", "deal");

    private final ObjectMapper mapper;

    HubSpotAdapter(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    @Override
    public Crm crm() {
        return Crm.HUBSPOT;
    }

    @Override
    public void verify(WebhookRequest request, WebhookConfig config) {
        String signature = request.header("x-hubspot-signature-v3");
        String timestamp = request.header("x-hubspot-request-timestamp");
        if (signature == null || timestamp == null) {
            throw new Unverified("HubSpot webhooks carry X-HubSpot-Signature-v3 and X-HubSpot-Request-Timestamp");
        }
        long sentAt;
        try {
            sentAt = Long.parseLong(timestamp.trim());
        } catch (NumberFormatException e) {
            throw new Unverified("X-HubSpot-Request-Timestamp is not milliseconds since the epoch");
        }
        if (Math.abs(Instant.now().toEpochMilli() - sentAt) > TOLERANCE.toMillis()) {
            throw new Unverified("X-HubSpot-Request-Timestamp is more than 5 minutes away: a replayed or delayed request");
        }
        String signed = request.method() + decode(request.signedUri())
                + new String(request.body(), StandardCharsets.UTF_8) + timestamp;
        byte[] expected = Base64.getEncoder().encode(hmac(config.secret(), signed));
        if (!MessageDigest.isEqual(expected, signature.trim().getBytes(StandardCharsets.UTF_8))) {
            throw new Unverified("X-HubSpot-Signature-v3 does not match: wrong secret, body or URL (see crm.public-url)");
        }
    }

    @Override
    public List<String> keptHeaders() {
        return List.of("x-hubspot-signature-v3", "x-hubspot-request-timestamp", "x-hubspot-signature-version",
                "user-agent");
    }

    @Override
    public String instructions() {
        return "HubSpot: in your app's Webhooks settings set this URL as the target URL, subscribe to "
                + "contact.creation, deal.creation and deal.propertyChange for dealstage and hubspot_owner_id, "
                + "and set the app's client secret as this webhook's secret.";
    }

    @Override
    public Mapping map(byte[] body, WebhookConfig config) {
        JsonNode root;
        try {
            root = mapper.readTree(body);
        } catch (IOException e) {
            throw new MalformedPayload("The body is not valid JSON");
        }
        if (root == null || !root.isArray() && !root.isObject()) {
            throw new MalformedPayload("HubSpot sends a JSON array of events");
        }
        var mapping = new Mapping();
        for (JsonNode event : root.isArray() ? root : List.of(root)) {
            map(event, config, mapping);
        }
        return mapping;
    }

    private static void map(JsonNode event, WebhookConfig config, Mapping mapping) {
        String subscription = Payloads.required(event, "subscriptionType", "HubSpot event");
        int dot = subscription.indexOf('.');
        String object = dot < 0 ? subscription : subscription.substring(0, dot);
        if (object.equals("object")) {
            object = OBJECT_TYPES.getOrDefault(Payloads.text(event, "objectTypeId"), "object");
        }
        String kind = object + (dot < 0 ? "" : subscription.substring(dot));
        String where = subscription + " " + Payloads.text(event, "eventId");
        switch (kind) {
            case "contact.creation" -> {
                String id = Payloads.required(event, "objectId", where);
                mapping.add(CanonicalEvent.of(Crm.HUBSPOT, "hubspot:contact.creation:" + id, "lead.created",
                        occurredAt(event, where)).put("leadId", id));
            }
            case "deal.creation" -> mapping.needsEnrichment("deal.creation of deal " + Payloads.text(event, "objectId")
                    + ": HubSpot sends no pipeline, stage or amount; deal.created needs them from the deals API");
            case "deal.propertyChange" -> dealPropertyChanged(event, where, config, mapping);
            default -> mapping.ignore(subscription);
        }
    }

    private static void dealPropertyChanged(JsonNode event, String where, WebhookConfig config, Mapping mapping) {
        String property = Payloads.text(event, "propertyName");
        String deal = Payloads.required(event, "objectId", where);
        String value = Payloads.text(event, "propertyValue");
        if (value == null || !"dealstage".equals(property) && !"hubspot_owner_id".equals(property)) {
            mapping.ignore("deal.propertyChange of " + property);
            return;
        }
        Instant at = occurredAt(event, where);
        // a retried delivery repeats the change exactly; HubSpot's own eventId is not guaranteed unique
        String eventId = "hubspot:deal." + property + ":" + deal + ":" + at.toEpochMilli() + ":" + value;
        if (property.equals("hubspot_owner_id")) {
            mapping.add(CanonicalEvent.of(Crm.HUBSPOT, eventId, "deal.reassigned", at)
                    .put("dealId", deal).put("managerId", value));
        } else if (config.won(value)) {
            mapping.needsEnrichment("deal " + deal + " won: deal.won needs the amount from the deals API");
        } else if (config.lost(value)) {
            mapping.add(CanonicalEvent.of(Crm.HUBSPOT, eventId, "deal.lost", at).put("dealId", deal));
        } else {
            mapping.add(CanonicalEvent.of(Crm.HUBSPOT, eventId, "deal.stage_changed", at)
                    .put("dealId", deal).put("toStage", config.stageName(value)));
        }
    }

    private static Instant occurredAt(JsonNode event, String where) {
        return Payloads.epochMillis(Payloads.required(event, "occurredAt", where), where);
    }

    private static String decode(String uri) {
        var out = new StringBuilder(uri.length());
        for (int i = 0; i < uri.length(); i++) {
            String escape = uri.charAt(i) == '%' && i + 3 <= uri.length()
                    ? DECODED.get(uri.substring(i, i + 3).toUpperCase(Locale.ROOT)) : null;
            if (escape != null) {
                out.append(escape);
                i += 2;
            } else {
                out.append(uri.charAt(i));
            }
        }
        return out.toString();
    }

    static byte[] hmac(String secret, String text) {
        try {
            var mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
