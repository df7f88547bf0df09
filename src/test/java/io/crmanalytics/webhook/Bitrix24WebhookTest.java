package io.crmanalytics.webhook;

import static io.crmanalytics.TestApi.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
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
class Bitrix24WebhookTest {

    /** the application token of the documented sample */
    static final String TOKEN = "51856fefc120afa4b628cc82d3935cce";

    @Inject
    AgroalDataSource dataSource;

    TestApi.Keys ws;

    @BeforeEach
    void workspace() {
        ws = TestApi.newWorkspace("bitrix24-" + UUID.randomUUID());
        Webhooks.configure(ws, "bitrix24", "{\"secret\": \"" + TOKEN + "\"}");
    }

    private ValidatableResponse post(String body) {
        return given().contentType(ContentType.URLENC).body(body).when().post(Webhooks.path("bitrix24", ws)).then();
    }

    @Test
    void aNewLeadIsCountedFromItsId() throws Exception {
        post(Webhooks.fixture("bitrix24/lead-add.txt")).statusCode(200).body("status", equalTo("mapped"));
        assertEquals(List.of("bitrix24:lead.add:815|lead.created|2025-01-09T06:58:20Z|lead=815|source=bitrix24"),
                Webhooks.events(dataSource, ws));
    }

    @Test
    void documentedDealUpdateCarriesOnlyAnIdAndIsKeptForEnrichment() throws Exception {
        post(Webhooks.fixture("bitrix24/deal-update-documented.txt")).statusCode(200)
                .body("status", equalTo("needs_enrichment")).body("accepted", equalTo(0))
                .body("notes[0]", startsWith("needs enrichment: ONCRMDEALUPDATE 759"));
        assertEquals(List.of("needs_enrichment|0"), Webhooks.rows(dataSource, ws,
                "select d.status || '|' || (select count(*) from events e where e.workspace_id = d.workspace_id) "
                        + "from webhook_deliveries d where d.workspace_id = ?::uuid"));
    }

    @Test
    void otherEventsAreAcknowledged() {
        post(Webhooks.fixture("bitrix24/contact-add.txt")).statusCode(200).body("status", equalTo("ignored"))
                .body("notes", contains("ignored: ONCRMCONTACTADD"));
    }

    @Test
    void wrongApplicationTokenIs401() throws Exception {
        post(Webhooks.fixture("bitrix24/lead-add.txt").replace(TOKEN, "0000000000000000000000000000dead"))
                .statusCode(401).contentType("application/problem+json");
        post("event=ONCRMLEADADD&data%5BFIELDS%5D%5BID%5D=1&ts=1736405900").statusCode(401);
        assertEquals(List.of("0"), Webhooks.rows(dataSource, ws,
                "select count(*) from webhook_deliveries where workspace_id = ?::uuid"));
    }
}
