package io.crmanalytics.common;

import com.fasterxml.jackson.core.JsonProcessingException;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.util.Comparator;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Every error leaves the service as application/problem+json. */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response problem(ProblemException e) {
        LOG.debugf("%d %s", e.problem().status(), e.getMessage());
        return e.problem().toResponse();
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e) {
        // the JSON body reader wraps its parse errors; say what was wrong rather than "HTTP 400 Bad Request"
        if (e.getCause() instanceof JsonProcessingException json) {
            return invalidJson(json);
        }
        int status = e.getResponse().getStatus();
        String detail = switch (status) {
            case 404 -> "No such resource";
            case 405 -> "Method not allowed here";
            case 406 -> "Cannot produce the requested media type";
            case 415 -> "Unsupported content type: send application/json";
            default -> e.getMessage();
        };
        return Problem.of(status, detail).toResponse();
    }

    @ServerExceptionMapper
    public Response invalidJson(JsonProcessingException e) {
        return Problem.of(Response.Status.BAD_REQUEST, "The body is not valid JSON: " + e.getOriginalMessage(), null)
                .toResponse();
    }

    @ServerExceptionMapper
    public Response constraintViolation(ConstraintViolationException e) {
        var errors = e.getConstraintViolations().stream()
                .map(v -> lastNode(v.getPropertyPath().toString()) + ": " + v.getMessage())
                .sorted(Comparator.naturalOrder())
                .toList();
        return Problem.of(Response.Status.BAD_REQUEST, "Validation failed", errors).toResponse();
    }

    @ServerExceptionMapper
    public Response unexpected(Exception e) {
        LOG.error("Unexpected error", e);
        return Problem.of(Response.Status.INTERNAL_SERVER_ERROR, "Unexpected error; see the service log", null)
                .toResponse();
    }

    private static String lastNode(String path) {
        int dot = path.lastIndexOf('.');
        return dot < 0 ? path : path.substring(dot + 1);
    }
}
