package io.crmanalytics.metrics;

import java.util.List;

/**
 * The narrowing filters of every query (repeatable; empty = no filter): channel narrows leads, spend,
 * deals, payments, visits and customers by attributed channel; managerId narrows leads by creating
 * manager and deals by owner; pipeline narrows deals only.
 */
public record Filters(List<String> channels, List<String> managers, List<String> pipelines) {

    public Filters {
        channels = channels == null ? List.of() : List.copyOf(channels);
        managers = managers == null ? List.of() : List.copyOf(managers);
        pipelines = pipelines == null ? List.of() : List.copyOf(pipelines);
    }

    public static Filters none() {
        return new Filters(List.of(), List.of(), List.of());
    }
}
