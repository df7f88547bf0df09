package io.crmanalytics.webhook;

import java.util.Map;

/**
 * A webhook request as the CRM sent it: what verification and storage need.
 *
 * @param signedUri the absolute URI the CRM called, as far as this service can tell (see crm.public-url)
 * @param headers   header names in lower case
 * @param token     the {@code token} query parameter (amoCRM's URL secret), or null
 */
public record WebhookRequest(String method, String signedUri, Map<String, String> headers, String contentType,
                             String token, byte[] body) {

    public String header(String name) {
        return headers.get(name);
    }
}
