package io.crmanalytics.webhook;

import static io.crmanalytics.TestApi.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;
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
class AmoCrmWebhookTest {

    static final String SECRET = "amo-secret-0123456789";

    @Inject
    AgroalDataSource dataSource;

    TestApi.Keys ws;

    @BeforeEach
    void workspace() {
        ws = TestApi.newWorkspace("amocrm-" + UUID.randomUUID());
    }

    private ValidatableResponse post(String fixture) {
        return post(fixture, SECRET);
    }

    private ValidatableResponse post(String fixture, String token) {
        var request = given().contentType(ContentType.URLENC.withCharset("UTF-8"))
                .body(Webhooks.fixture("amocrm/" + fixture));
        if (token != null) {
            request.queryParam("token", token);
        }
        return request.when().post(Webhooks.path("amocrm", ws)).then();
    }

    @Test
    void documentedStatusChangeBecomesAStageChange() throws Exception {
        Webhooks.configure(ws, "amocrm", "{\"secret\": \"" + SECRET + "\"}");
        post("lead-status-documented.txt").statusCode(200)
                .body("status", equalTo("mapped")).body("accepted", equalTo(1));
        // without names configured, amoCRM's ids are the pipeline and stage names
        assertEquals(List.of("amocrm:leads.status:31926520:10216994:1456820780|deal.stage_changed|2016-03-01T08:26:20Z"
                        + "|deal=31926520|manager=938348|pipeline=2116|stage=10216994|from=10216995|source=amocrm"),
                Webhooks.events(dataSource, ws));
    }

    @Test
    void documentedNewLeadIsALeadAndADeal() throws Exception {
        Webhooks.configure(ws, "amocrm", "{\"secret\": \"" + SECRET + "\"}");
        post("lead-add-documented.txt").statusCode(200).body("accepted", equalTo(2));
        assertEquals(List.of(
                "amocrm:leads.add:31926529:deal|deal.created|2016-03-01T09:27:44Z|lead=31926529|deal=31926529"
                        + "|manager=102525|pipeline=2116|stage=10216993|amount=24234.00|source=amocrm",
                "amocrm:leads.add:31926529:lead|lead.created|2016-03-01T09:27:44Z|lead=31926529|manager=102525"
                        + "|source=amocrm"), Webhooks.events(dataSource, ws));
    }

    @Test
    void aLeadWithUtmMovedWonLostCalledAndTasked() throws Exception {
        Webhooks.configure(ws, "amocrm", """
                {"secret": "%s", "pipelines": {"3001": "Sales"},
                 "stages": {"20001": "New", "20002": "Qualified"},
                 "lostReasonField": "Loss reason", "trackingNumberField": "502"}""".formatted(SECRET));
        for (String fixture : List.of("lead-add-utm.txt", "lead-stage.txt", "lead-won.txt", "lead-lost.txt",
                "call-note.txt", "task-add.txt")) {
            post(fixture).statusCode(200).body("status", equalTo("mapped"));
        }
        assertEquals(List.of(
                "amocrm:leads.add:5001:deal|deal.created|2026-01-05T08:00:00Z|lead=5001|deal=5001|manager=7"
                        + "|pipeline=Sales|stage=New|amount=1500.00|source=amocrm",
                "amocrm:leads.add:5001:lead|lead.created|2026-01-05T08:00:00Z|lead=5001|manager=7|utm=yandex/winter"
                        + "|tracking=+74950000001|source=amocrm",
                "amocrm:leads.status:5001:142:1767800000|deal.won|2026-01-07T15:33:20Z|deal=5001|amount=1500.00"
                        + "|source=amocrm",
                "amocrm:leads.status:5001:20002:1767700000|deal.stage_changed|2026-01-06T11:46:40Z|deal=5001|manager=7"
                        + "|pipeline=Sales|stage=Qualified|from=New|source=amocrm",
                "amocrm:leads.status:5002:143:1767810000|deal.lost|2026-01-07T18:20:00Z|deal=5002|reason=Too expensive"
                        + "|source=amocrm",
                "amocrm:note:9001|call.logged|2026-01-05T10:46:40Z|lead=5001|deal=5001|subject=9001|manager=7"
                        + "|direction=out|answered=true|duration=95|source=amocrm",
                "amocrm:task.add:7001|task.created|2026-01-05T13:33:20Z|deal=5001|subject=7001|manager=7"
                        + "|due=2026-01-06T13:33:20Z|source=amocrm"),
                Webhooks.events(dataSource, ws));
        // the lead's utm source yandex maps to its channel; its deal inherits it and was won in the window
        given().auth().oauth2(ws.admin()).contentType(ContentType.JSON)
                .body("{\"utmSources\": {\"yandex\": \"Yandex Direct\"}}")
                .when().put("/api/v1/channel-mappings").then().statusCode(200);
        given().auth().oauth2(ws.read()).queryParam("from", "2026-01-01").queryParam("to", "2026-02-01")
                .when().get("/api/v1/channels").then().statusCode(200)
                .body("channels.channel", contains("Yandex Direct"))
                .body("channels[0].leads", equalTo(1)).body("channels[0].dealsWon", equalTo(1));
        given().auth().oauth2(ws.read()).queryParam("from", "2026-01-01").queryParam("to", "2026-02-01")
                .when().get("/api/v1/kpis").then().statusCode(200)
                // deal 5001 won, 5002 lost (it has no deal.created, so it is in no count)
                .body("dealsWon", equalTo(1)).body("leads", equalTo(1));
    }

    @Test
    void aLeadCreatedAlreadyWonHasNoStageToCreateItsDealIn() throws Exception {
        Webhooks.configure(ws, "amocrm", "{\"secret\": \"" + SECRET + "\", \"stages\": {\"20001\": \"New\"}}");
        given().contentType(ContentType.URLENC).queryParam("token", SECRET)
                .body(Webhooks.fixture("amocrm/lead-add-utm.txt").replace("status_id%5D=20001", "status_id%5D=142"))
                .when().post(Webhooks.path("amocrm", ws)).then().statusCode(200)
                .body("status", equalTo("needs_enrichment")).body("accepted", equalTo(2));
        assertEquals(List.of("deal.won|1500.00", "lead.created|"), Webhooks.rows(dataSource, ws,
                "select type || '|' || coalesce(amount::text, '') from events where workspace_id = ?::uuid order by type"));
    }

    @Test
    void aRetriedDeliveryCountsOnce() throws Exception {
        Webhooks.configure(ws, "amocrm", "{\"secret\": \"" + SECRET + "\"}");
        post("lead-won.txt").statusCode(200).body("accepted", equalTo(1));
        post("lead-won.txt").statusCode(200).body("status", equalTo("mapped"))
                .body("accepted", equalTo(0)).body("duplicates", equalTo(1));
        assertEquals(List.of("1"), Webhooks.rows(dataSource, ws,
                "select count(*) from events where workspace_id = ?::uuid"));
        // both deliveries are kept raw
        assertEquals(List.of("2"), Webhooks.rows(dataSource, ws,
                "select count(*) from webhook_deliveries where workspace_id = ?::uuid"));
    }

    @Test
    void wrongOrMissingTokenIs401AndStoresNothing() throws Exception {
        Webhooks.configure(ws, "amocrm", "{\"secret\": \"" + SECRET + "\"}");
        post("lead-won.txt", "not-the-secret-at-all").statusCode(401)
                .contentType("application/problem+json").body("status", equalTo(401));
        post("lead-won.txt", null).statusCode(401).contentType("application/problem+json");
        given().contentType(ContentType.URLENC).body(Webhooks.fixture("amocrm/lead-won.txt"))
                .queryParam("token", SECRET).when().post("/api/v1/webhooks/amocrm").then().statusCode(401)
                .body("detail", containsString("workspace"));
        assertEquals(List.of("0|0"), Webhooks.rows(dataSource, ws, """
                select (select count(*) from webhook_deliveries d where d.workspace_id = w.id) || '|' ||
                       (select count(*) from events e where e.workspace_id = w.id)
                from workspaces w where w.id = ?::uuid"""));
    }

    @Test
    void anIngestKeyMayRelayAPayloadInsteadOfTheToken() throws Exception {
        // no webhook config: the CRM's ids are the names
        given().auth().oauth2(ws.ingest()).contentType(ContentType.URLENC)
                .body(Webhooks.fixture("amocrm/lead-won.txt"))
                .when().post("/api/v1/webhooks/amocrm").then().statusCode(200).body("accepted", equalTo(1));
        given().auth().oauth2(ws.read()).contentType(ContentType.URLENC)
                .body(Webhooks.fixture("amocrm/lead-won.txt"))
                .when().post("/api/v1/webhooks/amocrm").then().statusCode(403);
        var other = TestApi.newWorkspace("other-" + UUID.randomUUID());
        given().auth().oauth2(other.ingest()).contentType(ContentType.URLENC)
                .body(Webhooks.fixture("amocrm/lead-won.txt"))
                .when().post(Webhooks.path("amocrm", ws)).then().statusCode(401);
        assertEquals(List.of("1"), Webhooks.rows(dataSource, ws,
                "select count(*) from events where workspace_id = ?::uuid"));
    }

    @Test
    void unconfiguredWorkspaceIs401() {
        post("lead-won.txt").statusCode(401).body("detail", containsString("PUT /api/v1/webhooks/amocrm/config"));
    }

    @Test
    void payloadsWeDoNotUseAreAcknowledged() {
        Webhooks.configure(ws, "amocrm", "{\"secret\": \"" + SECRET + "\"}");
        post("contact-add.txt").statusCode(200).body("status", equalTo("ignored"))
                .body("accepted", equalTo(0)).body("notes", contains("ignored: contacts.add"));
        given().when().get("/q/metrics").then().statusCode(200)
                .body(containsString("crm_webhooks_received_total{crm=\"amocrm\",outcome=\"ignored\"}"));
    }

    @Test
    void malformedBodyIs400AndKeptAsDeadLetter() throws Exception {
        Webhooks.configure(ws, "amocrm", "{\"secret\": \"" + SECRET + "\"}");
        given().contentType(ContentType.URLENC).body("leads%5Bstatus%ZZ").queryParam("token", SECRET)
                .when().post(Webhooks.path("amocrm", ws)).then().statusCode(400)
                .contentType("application/problem+json").body("detail", startsWith("malformed: "));
        assertEquals(List.of("dead_letter|leads%5Bstatus%ZZ"), Webhooks.rows(dataSource, ws,
                "select status || '|' || convert_from(body, 'UTF8') from webhook_deliveries where workspace_id = ?::uuid"));
    }

    @Test
    void unmappableDeliveryIsDeadLetteredThenReplayedAfterTheConfigIsFixed() throws Exception {
        // pipelines are named, but not 2116, which the documented payload names
        Webhooks.configure(ws, "amocrm", "{\"secret\": \"" + SECRET + "\", \"pipelines\": {\"3001\": \"Sales\"}}");
        int id = post("lead-status-documented.txt").statusCode(200).body("status", equalTo("dead_letter"))
                .body("accepted", equalTo(0)).body("error", startsWith("pipeline 2116 is not named"))
                .extract().path("deliveryId");
        assertEquals(List.of("0"), Webhooks.rows(dataSource, ws,
                "select count(*) from events where workspace_id = ?::uuid"));
        given().auth().oauth2(ws.admin()).when().get("/api/v1/webhooks/dead-letters").then().statusCode(200)
                .body("deadLetters", hasSize(1)).body("deadLetters[0].id", equalTo(id))
                .body("deadLetters[0].crm", equalTo("amocrm"))
                .body("deadLetters[0].body", equalTo(Webhooks.fixture("amocrm/lead-status-documented.txt")));

        Webhooks.configure(ws, "amocrm", """
                {"secret": "%s", "pipelines": {"3001": "Sales", "2116": "Old sales"}}""".formatted(SECRET));
        given().auth().oauth2(ws.admin()).when().post("/api/v1/webhooks/dead-letters/" + id + "/replay")
                .then().statusCode(200).body("status", equalTo("mapped")).body("accepted", equalTo(1));
        assertEquals(List.of("Old sales|10216994"), Webhooks.rows(dataSource, ws,
                "select pipeline || '|' || stage from events where workspace_id = ?::uuid"));
        given().auth().oauth2(ws.admin()).when().get("/api/v1/webhooks/dead-letters").then()
                .body("deadLetters", empty());
        given().auth().oauth2(ws.admin()).when().post("/api/v1/webhooks/dead-letters/" + id + "/replay")
                .then().statusCode(409).contentType("application/problem+json");
        // another workspace's admin cannot see or replay it
        var other = TestApi.newWorkspace("other-" + UUID.randomUUID());
        given().auth().oauth2(other.admin()).when().post("/api/v1/webhooks/dead-letters/" + id + "/replay")
                .then().statusCode(404);
        assertEquals(List.of("mapped|1"), Webhooks.rows(dataSource, ws,
                "select status || '|' || replays from webhook_deliveries where workspace_id = ?::uuid"));
    }

    @Test
    void adminSeesTheUrlToPaste() {
        Webhooks.configure(ws, "amocrm", "{\"secret\": \"" + SECRET + "\"}");
        given().auth().oauth2(ws.admin()).when().get("/api/v1/webhooks").then().statusCode(200)
                .body("webhooks.crm", contains("amocrm", "bitrix24", "hubspot", "pipedrive"))
                .body("webhooks.configured", contains(true, false, false, false))
                .body("webhooks[0].url", equalTo(Webhooks.absolute("/api/v1/webhooks/amocrm?workspace=" + ws.id()
                        + "&token=" + SECRET)))
                .body("webhooks[1].url", equalTo(null));
        given().auth().oauth2(ws.admin()).when().get("/api/v1/webhooks/amocrm/config").then().statusCode(200)
                .body("wonStages", contains("142")).body("lostStages", contains("143"))
                .body("secret", equalTo(null));
        given().auth().oauth2(ws.ingest()).when().get("/api/v1/webhooks").then().statusCode(403);
        given().auth().oauth2(ws.admin()).contentType(ContentType.JSON).body("{\"secret\": \"short\"}")
                .when().put("/api/v1/webhooks/amocrm/config").then().statusCode(400)
                .contentType("application/problem+json");
        given().auth().oauth2(ws.admin()).contentType(ContentType.JSON).body("{\"secret\": \"" + SECRET + "\"}")
                .when().put("/api/v1/webhooks/salesforce/config").then().statusCode(404);
    }

    @Test
    void unknownCrmIs404() {
        given().contentType(ContentType.JSON).body("{}").when().post("/api/v1/webhooks/salesforce?workspace=" + ws.id())
                .then().statusCode(404).contentType("application/problem+json")
                .body("detail", containsString("amocrm, bitrix24, hubspot, pipedrive"));
    }
}
