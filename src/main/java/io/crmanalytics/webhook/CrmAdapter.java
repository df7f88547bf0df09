package io.crmanalytics.webhook;

import java.util.List;

/** One CRM's webhook dialect: how its requests are verified and how its payloads become events. */
interface CrmAdapter {

    Crm crm();

    /** Throws {@link Unverified} unless the request carries the workspace's secret the way this CRM signs. */
    void verify(WebhookRequest request, WebhookConfig config);

    /** The headers worth keeping with the stored body (never credentials). */
    List<String> keptHeaders();

    /**
     * The events of a stored body. Throws {@link MalformedPayload} for a body this CRM would never send and
     * {@link Unmappable} for one that the current config cannot map.
     */
    Mapping map(byte[] body, WebhookConfig config);

    /** How an admin sets this CRM up, shown beside the URL. */
    String instructions();

    /** A failed verification: 401, nothing stored. */
    final class Unverified extends RuntimeException {
        Unverified(String reason) {
            super(reason, null, false, false);
        }
    }
}
