package io.crmanalytics.webhook;

/** A verified payload that cannot become events with the current config: its delivery is dead-lettered. */
public class Unmappable extends RuntimeException {

    public Unmappable(String reason) {
        super(reason, null, false, false);
    }
}
