package io.crmanalytics.query;

import static io.crmanalytics.TestApi.given;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.crmanalytics.TestApi;
import io.crmanalytics.db.TestDatabase;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Channel ROI on fixtures/small-crm.json, January 2026 UTC, with utm source yandex → Yandex Direct and
 * tracking number +74950000001 → Radio.
 */
@QuarkusTest
@QuarkusTestResource(TestDatabase.class)
class ChannelRoiQueryTest {

    static TestApi.Keys ws;

    @BeforeEach
    void load() {
        if (ws == null) {
            ws = Fixtures.smallCrm(false);
        }
    }

    private static RequestSpecification january() {
        return given().auth().oauth2(ws.read()).queryParam("from", "2026-01-01").queryParam("to", "2026-02-01");
    }

    @Test
    void perChannel() {
        january().when().get("/api/v1/channels").then().statusCode(200)
                // L1 has channel Google Ads; L2 only utm yandex; L3 only a tracking number
                .body("channels.channel", contains("Google Ads", "Radio", "Yandex Direct"))
                // Google Ads: leads L1, L5; spend 100; won D1 (lead L1) and D4 (lead L4); payments P1 (D1 → L1),
                // P2 (D4 → L4), P3 (no deal: C1's first lead L1) = 1800; C1's first payment is in January
                .body("channels[0].leads", equalTo(2)).body("channels[0].spend", closeTo(100.0, 1e-9))
                .body("channels[0].costPerLead", closeTo(50.0, 1e-9)).body("channels[0].dealsWon", equalTo(2))
                .body("channels[0].revenue", closeTo(1800.0, 1e-9)).body("channels[0].payments", equalTo(3))
                .body("channels[0].newCustomers", equalTo(1)).body("channels[0].cac", closeTo(100.0, 1e-9))
                // roi = (1800 − 100) / 100
                .body("channels[0].roi", closeTo(17.0, 1e-9))
                // Radio: lead L3, no spend → cost per lead 0 / 1 = 0, roi and cac undefined
                .body("channels[1].leads", equalTo(1)).body("channels[1].costPerLead", closeTo(0.0, 1e-9))
                .body("channels[1].roi", nullValue()).body("channels[1].cac", nullValue())
                // Yandex Direct: lead L2, spend 50.50, its deal D2 lost → roi = (0 − 50.50) / 50.50
                .body("channels[2].leads", equalTo(1)).body("channels[2].spend", closeTo(50.50, 1e-9))
                .body("channels[2].dealsWon", equalTo(0)).body("channels[2].roi", closeTo(-1.0, 1e-9));
    }

    @Test
    void perCampaign() {
        // L2's campaign comes from utm.campaign; the Yandex spend names campaign winter; the rest have none
        january().queryParam("groupBy", "campaign").when().get("/api/v1/channels").then().statusCode(200)
                .body("channels.channel", contains("Google Ads", "Radio", "Yandex Direct"))
                .body("channels.campaign", contains(null, null, "winter"))
                .body("channels[2].leads", equalTo(1)).body("channels[2].spend", closeTo(50.50, 1e-9));
        january().queryParam("groupBy", "manager").when().get("/api/v1/channels").then().statusCode(400)
                .body("errors[0]", org.hamcrest.Matchers.startsWith("groupBy:"));
    }

    @Test
    void filtersNarrow() {
        january().queryParam("channel", "Radio").when().get("/api/v1/channels").then().statusCode(200)
                .body("channels.channel", contains("Radio"));
        // M2 created L2 and L5 and owned D4 when it was won
        january().queryParam("managerId", "M2").when().get("/api/v1/channels").then().statusCode(200)
                .body("channels.channel", contains("Google Ads", "Yandex Direct"))
                .body("channels[0].leads", equalTo(1)).body("channels[0].dealsWon", equalTo(1));
    }

    @Test
    void compareAndCsv() {
        // December: Google Ads has L4 and the 30 of spend at 2025-12-31T23:00Z, P0 200 (C4's first lead L4)
        january().queryParam("compare", "previous").when().get("/api/v1/channels").then().statusCode(200)
                .body("channels[0].previous.leads", equalTo(1)).body("channels[0].change.leads", equalTo(1))
                .body("channels[0].previous.revenue", closeTo(200.0, 1e-9))
                .body("channels[1].previous.leads", equalTo(0));
        String csv = january().queryParam("format", "csv").when().get("/api/v1/channels").then().statusCode(200)
                .extract().asString();
        var lines = csv.split("\r\n");
        assertEquals(4, lines.length, "a header and 3 channels");
        assertEquals("from,to,channel,campaign,leads,spend,costPerLead,dealsWon,revenue,payments,newCustomers,cac,roi",
                lines[0]);
        assertEquals("2026-01-01T00:00Z,2026-02-01T00:00Z,Google Ads,,2,100.00,50.0,2,1800.00,3,1,100.0,17.0", lines[1]);
    }

    @Test
    void shuffledDuplicatedArrivalGivesIdenticalAnswers() {
        var shuffled = Fixtures.smallCrm(true);
        String inOrder = january().when().get("/api/v1/channels").then().extract().asString();
        String other = given().auth().oauth2(shuffled.read()).queryParam("from", "2026-01-01")
                .queryParam("to", "2026-02-01").when().get("/api/v1/channels").then().extract().asString();
        assertEquals(inOrder, other);
    }
}
