package io.crmanalytics.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** An RFC 9457 problem details body; {@code errors} lists field problems as "field: problem". */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(name = "Problem", description = "RFC 9457 problem details", requiredProperties = {"type", "title", "status"})
public record Problem(String type, String title, int status, String detail,
                      @Schema(description = "One 'field: problem' per invalid field") List<String> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";

    public static Problem of(Response.Status status, String detail, List<String> errors) {
        return new Problem("about:blank", status.getReasonPhrase(), status.getStatusCode(), detail,
                errors == null || errors.isEmpty() ? null : errors);
    }

    public static Problem of(int status, String detail) {
        var known = Response.Status.fromStatusCode(status);
        return new Problem("about:blank", known == null ? "Error" : known.getReasonPhrase(), status, detail, null);
    }

    public Response toResponse() {
        return Response.status(status).type(MEDIA_TYPE).entity(this).build();
    }
}
