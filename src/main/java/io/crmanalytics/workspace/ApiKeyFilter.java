package io.crmanalytics.workspace;

import io.crmanalytics.common.Problem;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.util.Optional;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/** Authenticates the bearer key and enforces the {@link RequiresScope} of the matched resource. */
public class ApiKeyFilter {

    private final ApiKeys keys;
    private final CurrentCaller current;

    public ApiKeyFilter(ApiKeys keys, CurrentCaller current) {
        this.keys = keys;
        this.current = current;
    }

    @ServerRequestFilter
    public Optional<Response> authenticate(ContainerRequestContext request, ResourceInfo resource) {
        if (resource.getResourceMethod() == null) {
            return Optional.empty();
        }
        RequiresScope required = resource.getResourceMethod().getAnnotation(RequiresScope.class);
        if (required == null) {
            required = resource.getResourceClass().getAnnotation(RequiresScope.class);
        }
        if (required == null) {
            return Optional.empty();
        }
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7) || header.length() == 7) {
            return unauthorized("Send an API key as 'Authorization: Bearer <key>'");
        }
        var caller = keys.resolve(header.substring(7).trim());
        if (caller.isEmpty()) {
            return unauthorized("Unknown API key");
        }
        if (caller.get().scope() != required.value()) {
            return Optional.of(Problem.of(403, "This key has scope '" + caller.get().scope().dbName()
                    + "'; this endpoint needs scope '" + required.value().dbName() + "'").toResponse());
        }
        current.set(caller.get());
        return Optional.empty();
    }

    private static Optional<Response> unauthorized(String detail) {
        var problem = Problem.of(401, detail);
        return Optional.of(Response.status(401).type(Problem.MEDIA_TYPE).entity(problem)
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer").build());
    }
}
