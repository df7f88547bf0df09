package io.crmanalytics.webhook;

/** A body that is not what the CRM sends at all (not JSON, not a form, wrong shape): 400, kept as a dead letter. */
public class MalformedPayload extends RuntimeException {

    public MalformedPayload(String reason) {
        super(reason, null, false, false);
    }
}
