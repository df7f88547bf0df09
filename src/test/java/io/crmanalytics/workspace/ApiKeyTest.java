package io.crmanalytics.workspace;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.crmanalytics.TestApi;
import io.crmanalytics.common.Problem;
import io.crmanalytics.db.TestDatabase;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@QuarkusTest
@QuarkusTestResource(TestDatabase.class)
class ApiKeyTest {

    private static final String EVENT = """
            {"eventId":"k1","type":"site.visit","occurredAt":"2026-02-01T10:00:00Z","visitorId":"v1"}""";
    private static final String WORKSPACE = "{\"name\":\"made by a test\"}";

    TestApi.Keys ws;

    @BeforeEach
    void workspace() {
        ws = TestApi.newWorkspace("keys-" + UUID.randomUUID());
    }

    @Test
    void noKeyIs401() {
        unauthorized(given().contentType(ContentType.JSON).body(EVENT).when().post("/api/v1/events").then())
                .body("detail", equalTo("Send an API key as 'Authorization: Bearer <key>'"));
    }

    @Test
    void unknownKeyIs401() {
        unauthorized(post("/api/v1/events", "Bearer crm_ingest_not-a-key", EVENT))
                .body("detail", equalTo("Unknown API key"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"Basic dXNlcjpwYXNz", "Bearer", "Bearerkey", "Token abc"})
    void malformedAuthorizationHeaderIs401(String header) {
        unauthorized(post("/api/v1/events", header, EVENT))
                .body("detail", equalTo("Send an API key as 'Authorization: Bearer <key>'"));
    }

    @Test
    void theSchemeIsCaseInsensitive() {
        post("/api/v1/events", "bearer " + ws.ingest(), EVENT).statusCode(200);
    }

    @Test
    void readKeyCannotIngest() {
        forbidden(post("/api/v1/events", "Bearer " + ws.read(), EVENT))
                .body("detail", equalTo("This key has scope 'read'; this endpoint needs scope 'ingest'"));
    }

    @Test
    void adminKeysCannotIngest() {
        forbidden(post("/api/v1/events", "Bearer " + ws.admin(), EVENT));
        forbidden(post("/api/v1/events", "Bearer " + TestApi.ADMIN_KEY, EVENT));
    }

    @Test
    void ingestKeyCannotCreateWorkspaces() {
        forbidden(post("/api/v1/workspaces", "Bearer " + ws.ingest(), WORKSPACE))
                .body("detail", equalTo("This key has scope 'ingest'; this endpoint needs scope 'admin'"));
    }

    @Test
    void aWorkspaceAdminKeyCannotCreateWorkspaces() {
        forbidden(post("/api/v1/workspaces", "Bearer " + ws.admin(), WORKSPACE))
                .body("detail", equalTo("Only the bootstrap admin key (CRM_ANALYTICS_ADMIN_KEY) creates workspaces"));
    }

    private static ValidatableResponse post(String path, String authorization, String body) {
        return given().header("Authorization", authorization).contentType(ContentType.JSON).body(body)
                .when().post(path).then();
    }

    private static ValidatableResponse unauthorized(ValidatableResponse response) {
        return response.statusCode(401).contentType(Problem.MEDIA_TYPE)
                .header("WWW-Authenticate", "Bearer")
                .body("title", equalTo("Unauthorized")).body("status", equalTo(401));
    }

    private static ValidatableResponse forbidden(ValidatableResponse response) {
        return response.statusCode(403).contentType(Problem.MEDIA_TYPE)
                .body("title", equalTo("Forbidden")).body("status", equalTo(403));
    }
}
