package io.crmanalytics.webhook;

import static io.crmanalytics.TestApi.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.agroal.api.AgroalDataSource;
import io.crmanalytics.TestApi;
import io.crmanalytics.db.TestDatabase;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(TestDatabase.class)
class HubSpotWebhookTest {

    static final String SECRET = "9b2d6a44-0a6e-4c43-8a5b-hubspot-secret";

    @Inject
    AgroalDataSource dataSource;

    TestApi.Keys ws;

    @BeforeEach
    void workspace() {
        ws = TestApi.newWorkspace("hubspot-" + UUID.randomUUID());
        Webhooks.configure(ws, "hubspot", "{\"secret\": \"" + SECRET + "\", \"stages\": {\"qualifiedtobuy\": "
                + "\"Qualified\", \"closedwon\": \"Won\", \"closedlost\": \"Lost\"}}");
    }

    private ValidatableResponse post(String body, String secret, Instant sentAt) {
        String path = Webhooks.path("hubspot", ws);
        String timestamp = String.valueOf(sentAt.toEpochMilli());
        return given().contentType(ContentType.JSON).body(body)
                .header("X-HubSpot-Signature-v3", Webhooks.hubspotSignature(secret, Webhooks.absolute(path), body, timestamp))
                .header("X-HubSpot-Request-Timestamp", timestamp)
                .header("X-HubSpot-Signature-Version", "v3")
                .when().post(path).then();
    }

    private ValidatableResponse post(String body) {
        return post(body, SECRET, Instant.now());
    }

    @Test
    void documentedContactCreationIsALead() throws Exception {
        post(Webhooks.fixture("hubspot/contact-creation-documented.json")).statusCode(200)
                .body("status", equalTo("mapped")).body("accepted", equalTo(1));
        assertEquals(List.of("hubspot:contact.creation:123|lead.created|2019-07-26T04:00:00Z|lead=123|source=hubspot"),
                Webhooks.events(dataSource, ws));
        // the headers that prove where it came from are kept with the raw body
        assertEquals(List.of("v3"), Webhooks.rows(dataSource, ws,
                "select headers->>'x-hubspot-signature-version' from webhook_deliveries where workspace_id = ?::uuid"));
    }

    @Test
    void dealStageOwnerAndOutcomes() throws Exception {
        post(Webhooks.fixture("hubspot/deal-batch.json")).statusCode(200)
                // deal.creation and closedwon carry no pipeline, stage or amount: kept for enrichment
                .body("status", equalTo("needs_enrichment")).body("accepted", equalTo(3))
                .body("notes", hasItem("ignored: company.creation"));
        assertEquals(List.of(
                "hubspot:deal.dealstage:9001:1767700000000:qualifiedtobuy|deal.stage_changed|2026-01-06T11:46:40Z"
                        + "|deal=9001|stage=Qualified|source=hubspot",
                "hubspot:deal.dealstage:9002:1767800000000:closedlost|deal.lost|2026-01-07T15:33:20Z|deal=9002"
                        + "|source=hubspot",
                "hubspot:deal.hubspot_owner_id:9001:1767710000000:71|deal.reassigned|2026-01-06T14:33:20Z|deal=9001"
                        + "|manager=71|source=hubspot"),
                Webhooks.events(dataSource, ws));
        // HubSpot retries with the same events (attemptNumber + 1): nothing new
        post(Webhooks.fixture("hubspot/deal-batch.json").replace("\"attemptNumber\":0", "\"attemptNumber\":1"))
                .statusCode(200).body("accepted", equalTo(0)).body("duplicates", equalTo(3));
    }

    @Test
    void wrongSignatureIs401AndStoresNothing() throws Exception {
        post(Webhooks.fixture("hubspot/contact-creation-documented.json"), "another-secret-of-some-app", Instant.now())
                .statusCode(401).contentType("application/problem+json")
                .body("detail", containsString("X-HubSpot-Signature-v3 does not match"));
        // a body changed after signing
        String path = Webhooks.path("hubspot", ws);
        String timestamp = String.valueOf(Instant.now().toEpochMilli());
        given().contentType(ContentType.JSON).body("[]")
                .header("X-HubSpot-Signature-v3", Webhooks.hubspotSignature(SECRET, Webhooks.absolute(path),
                        "[{}]", timestamp))
                .header("X-HubSpot-Request-Timestamp", timestamp)
                .when().post(path).then().statusCode(401);
        given().contentType(ContentType.JSON).body("[]").when().post(path).then().statusCode(401);
        assertEquals(List.of("0"), Webhooks.rows(dataSource, ws,
                "select count(*) from webhook_deliveries where workspace_id = ?::uuid"));
    }

    @Test
    void aCorrectlySignedRequestOlderThanFiveMinutesIsARefusedReplay() throws Exception {
        post(Webhooks.fixture("hubspot/contact-creation-documented.json"), SECRET,
                Instant.now().minus(Duration.ofMinutes(6)))
                .statusCode(401).body("detail", containsString("more than 5 minutes"));
        assertEquals(List.of("0"), Webhooks.rows(dataSource, ws,
                "select count(*) from webhook_deliveries where workspace_id = ?::uuid"));
        given().when().get("/q/metrics").then()
                .body(containsString("crm_webhooks_received_total{crm=\"hubspot\",outcome=\"unauthorized\"}"));
    }

    @Test
    void signedButNotJsonIs400AndKept() throws Exception {
        post("[{\"eventId\": 1,").statusCode(400).contentType("application/problem+json");
        assertEquals(List.of("dead_letter"), Webhooks.rows(dataSource, ws,
                "select status from webhook_deliveries where workspace_id = ?::uuid"));
    }
}
