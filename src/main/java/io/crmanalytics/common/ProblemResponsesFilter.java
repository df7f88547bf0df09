package io.crmanalytics.common;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;

/**
 * States in the OpenAPI document what {@link ProblemMappers} and the key filter guarantee for every
 * endpoint, so resources need not repeat it: secured operations answer 401 and 403, and every
 * error response is a {@link Problem}.
 */
public class ProblemResponsesFilter implements OASFilter {

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getPaths() == null || openAPI.getPaths().getPathItems() == null) {
            return;
        }
        openAPI.getPaths().getPathItems().values()
                .forEach(item -> item.getOperations().values().forEach(ProblemResponsesFilter::complete));
    }

    private static void complete(Operation operation) {
        if (operation.getResponses() == null) {
            operation.setResponses(OASFactory.createAPIResponses());
        }
        APIResponses responses = operation.getResponses();
        if (operation.getSecurity() != null && !operation.getSecurity().isEmpty()) {
            addIfAbsent(responses, "401", "No key, a malformed Authorization header, or an unknown key");
            addIfAbsent(responses, "403", "The key lacks the scope this endpoint needs");
        }
        responses.getAPIResponses().forEach((code, response) -> {
            boolean error = code.startsWith("4") || code.startsWith("5");
            if (error && response.getContent() == null && response.getRef() == null) {
                response.setContent(OASFactory.createContent().addMediaType(Problem.MEDIA_TYPE,
                        OASFactory.createMediaType().schema(OASFactory.createSchema().ref("Problem"))));
            }
        });
    }

    private static void addIfAbsent(APIResponses responses, String code, String description) {
        if (!responses.hasAPIResponse(code)) {
            responses.addAPIResponse(code, OASFactory.createAPIResponse().description(description));
        }
    }
}
