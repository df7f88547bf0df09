package io.crmanalytics.common;

import jakarta.ws.rs.core.Application;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.info.License;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;
import org.eclipse.microprofile.openapi.annotations.servers.Server;

/**
 * The document-level OpenAPI facts. No {@code @ApplicationPath} and no listed classes: every
 * resource is still discovered and served from the root.
 */
@OpenAPIDefinition(
        info = @Info(title = "crm-analytics", version = "1.0.0",
                description = "Analytics over CRM events: push events from any CRM, read funnel, channel, manager "
                        + "and service metrics. Every call authenticates with a workspace key as "
                        + "'Authorization: Bearer <key>'; a key has one scope: ingest, read or admin. "
                        + "Errors are application/problem+json (RFC 9457).",
                                // no open-source license has been chosen: all rights reserved
                license = @License(name = "Proprietary", identifier = "LicenseRef-Proprietary")),
        // self-hosted, so no fixed address: the instance that serves this document
        servers = @Server(url = "/", description = "The instance serving this document"))
@SecurityScheme(securitySchemeName = "bearer", type = SecuritySchemeType.HTTP, scheme = "bearer",
        description = "A workspace API key (ingest, read or admin scope), or the bootstrap admin key "
                + "CRM_ANALYTICS_ADMIN_KEY for creating workspaces")
public class CrmAnalyticsApplication extends Application {
}
