package io.crmanalytics.webhook;

import static io.crmanalytics.TestApi.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.agroal.api.AgroalDataSource;
import io.crmanalytics.TestApi;
import io.crmanalytics.db.TestDatabase;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(TestDatabase.class)
class PipedriveWebhookTest {

    static final String SECRET = "pipedrive-http-auth-password";

    @Inject
    AgroalDataSource dataSource;

    TestApi.Keys ws;

    @BeforeEach
    void workspace() {
        ws = TestApi.newWorkspace("pipedrive-" + UUID.randomUUID());
        Webhooks.configure(ws, "pipedrive", "{\"secret\": \"" + SECRET + "\", \"pipelines\": {\"1\": \"Sales\"}, "
                + "\"stages\": {\"1\": \"Lead in\", \"2\": \"Proposal\"}}");
    }

    private ValidatableResponse post(String fixture, String password) {
        return given().contentType(ContentType.JSON).header("Authorization", Webhooks.basic("crm", password))
                .body(Webhooks.fixture("pipedrive/" + fixture))
                .when().post(Webhooks.path("pipedrive", ws)).then();
    }

    private ValidatableResponse post(String fixture) {
        return post(fixture, SECRET);
    }

    @Test
    void dealCreatedMovedWonAndLostInBothVersions() throws Exception {
        post("deal-create-v2.json").statusCode(200).body("status", equalTo("mapped"));
        post("deal-stage-v2.json").statusCode(200).body("accepted", equalTo(1));
        post("deal-won-v2.json").statusCode(200).body("accepted", equalTo(1));
        // the same win as a v1 webhook (both versions may run side by side): counted once
        post("deal-won-v1.json").statusCode(200).body("accepted", equalTo(0)).body("duplicates", equalTo(1));
        post("deal-lost-v1.json").statusCode(200).body("accepted", equalTo(1));
        post("activity-create-v2.json").statusCode(200).body("accepted", equalTo(1));
        assertEquals(List.of(
                "pipedrive:activity.create:77|task.created|2026-01-05T10:46:40Z|deal=10|subject=77|manager=501"
                        + "|due=2026-01-06T10:00:00Z|source=pipedrive",
                "pipedrive:deal.create:10|deal.created|2026-01-05T08:00:00Z|deal=10|manager=501|pipeline=Sales"
                        + "|stage=Lead in|amount=2500.50|currency=USD|source=pipedrive",
                "pipedrive:deal.lost:11:1767810001|deal.lost|2026-01-07T18:20:01Z|deal=11|reason=Chose a competitor"
                        + "|source=pipedrive",
                "pipedrive:deal.stage:10:2:1767700000|deal.stage_changed|2026-01-06T11:46:40Z|deal=10|pipeline=Sales"
                        + "|stage=Proposal|from=Lead in|source=pipedrive",
                "pipedrive:deal.won:10:1767800000|deal.won|2026-01-07T15:33:20Z|deal=10|amount=2500.50|currency=USD"
                        + "|source=pipedrive"),
                Webhooks.events(dataSource, ws));
        given().auth().oauth2(ws.read()).queryParam("from", "2026-01-01").queryParam("to", "2026-02-01")
                .when().get("/api/v1/kpis").then().statusCode(200).body("dealsWon", equalTo(1));
    }

    @Test
    void documentedV2ChangeWithoutPreviousChangesNothingWeTrack() {
        post("deal-change-v2-documented.json").statusCode(200).body("status", equalTo("ignored"));
    }

    @Test
    void wrongPasswordIs401() throws Exception {
        post("deal-create-v2.json", "wrong-password").statusCode(401).contentType("application/problem+json");
        given().contentType(ContentType.JSON).body(Webhooks.fixture("pipedrive/deal-create-v2.json"))
                .when().post(Webhooks.path("pipedrive", ws)).then().statusCode(401);
        assertEquals(List.of("0"), Webhooks.rows(dataSource, ws,
                "select count(*) from webhook_deliveries where workspace_id = ?::uuid"));
    }

    @Test
    void anUnnamedStageIsDeadLettered() {
        // stage 3 is not in the configured names
        given().contentType(ContentType.JSON).header("Authorization", Webhooks.basic("crm", SECRET))
                .body(Webhooks.fixture("pipedrive/deal-create-v2.json").replace("\"stage_id\":1", "\"stage_id\":3"))
                .when().post(Webhooks.path("pipedrive", ws)).then().statusCode(200)
                .body("status", equalTo("dead_letter")).body("accepted", equalTo(0));
    }
}
