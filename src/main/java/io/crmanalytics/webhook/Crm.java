package io.crmanalytics.webhook;

import io.crmanalytics.common.ProblemException;
import jakarta.ws.rs.core.Response;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** The CRMs whose own webhook payloads the service understands, by their path name. */
public enum Crm {
    AMOCRM("amocrm", List.of("142"), List.of("143")),
    BITRIX24("bitrix24", List.of(), List.of()),
    HUBSPOT("hubspot", List.of("closedwon"), List.of("closedlost")),
    PIPEDRIVE("pipedrive", List.of(), List.of());

    public final String pathName;
    /** The CRM's own won/lost stage ids, used unless the workspace configures others. */
    public final List<String> defaultWonStages;
    public final List<String> defaultLostStages;

    Crm(String pathName, List<String> defaultWonStages, List<String> defaultLostStages) {
        this.pathName = pathName;
        this.defaultWonStages = defaultWonStages;
        this.defaultLostStages = defaultLostStages;
    }

    /** The CRM named in a path, or 404 problem+json. */
    public static Crm of(String name) {
        String wanted = name == null ? "" : name.toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(c -> c.pathName.equals(wanted)).findFirst()
                .orElseThrow(() -> new ProblemException(Response.Status.NOT_FOUND, "Unknown CRM '" + name
                        + "'; webhooks are accepted for " + String.join(", ", Arrays.stream(values())
                        .map(c -> c.pathName).toList())));
    }
}
