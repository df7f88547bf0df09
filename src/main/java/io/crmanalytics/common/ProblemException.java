package io.crmanalytics.common;

import jakarta.ws.rs.core.Response;
import java.util.List;

/** An expected failure answered as problem+json, logged in one line without a stack trace. */
public class ProblemException extends RuntimeException {

    private final transient Problem problem;

    public ProblemException(Response.Status status, String detail, List<String> errors) {
        super(detail, null, false, false);
        this.problem = Problem.of(status, detail, errors);
    }

    public ProblemException(Response.Status status, String detail) {
        this(status, detail, null);
    }

    /** A bad query or path parameter: 400 naming it. */
    public static ProblemException badParameter(String name, String problem) {
        return new ProblemException(Response.Status.BAD_REQUEST, "Invalid parameter '" + name + "': " + problem,
                List.of(name + ": " + problem));
    }

    public Problem problem() {
        return problem;
    }
}
