package io.crmanalytics.query;

import static io.crmanalytics.TestApi.given;
import static org.hamcrest.Matchers.closeTo;
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
 * Every KPI on the hand-built history of fixtures/small-crm.json, window January 2026 (UTC unless
 * said). The arithmetic is written beside each figure.
 */
@QuarkusTest
@QuarkusTestResource(TestDatabase.class)
class KpiQueryTest {

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
    void salesAndMarketingFigures() {
        january().when().get("/api/v1/kpis").then().statusCode(200)
                .body("from", equalTo("2026-01-01T00:00Z")).body("to", equalTo("2026-02-01T00:00Z"))
                // L1, L2, L3, L5 (L1's second lead.created ignored, L4 is December)
                .body("leads", equalTo(4))
                // L1 qualified; L2 disqualified then qualified (latest wins); L3 disqualified → 2 / 3
                .body("qualifiedShare", closeTo(2 / 3.0, 1e-9))
                // 100.00 + 50.50; the 30 at 2026-01-01T02:00+03:00 is 31 December in UTC
                .body("spend", closeTo(150.50, 1e-9))
                .body("costPerLead", closeTo(150.50 / 4, 1e-9))
                // D1 and D4 won in January; D5 has no deal.created so is in no count; D2 lost
                .body("dealsWon", equalTo(2)).body("dealsLost", equalTo(1))
                .body("winRate", closeTo(2 / 3.0, 1e-9))
                // P1 1000 (its second eventId ignored) + P2 500 + P3 300; P0 is December
                .body("revenue", closeTo(1800.0, 1e-9)).body("payments", equalTo(3))
                .body("averageCheck", closeTo(600.0, 1e-9))
                .body("conversionRate", closeTo(2 / 4.0, 1e-9))
                // 4 visits by V1, V1, V2, V3 → 4 leads / 3 visitors
                .body("visits", equalTo(4)).body("visitToLeadRate", closeTo(4 / 3.0, 1e-9))
                // D1: L1 created 01-05 10:00 → won 01-10 10:00 = 5 days; D4: L4 created 12-20 10:00 → won 01-15 00:00
                // = 25 days 14 h = 25.58333; mean = median of the two = 15.291666
                .body("cycleTimeDays.mean", closeTo((5 + 25 + 14 / 24.0) / 2, 1e-9))
                .body("cycleTimeDays.median", closeTo((5 + 25 + 14 / 24.0) / 2, 1e-9))
                // L1: outgoing call after 30 min (the incoming one does not count); L2: message on its deal D2
                // after 120 min; L3: the message before its creation is ignored, meeting after 1440 min; L5 none.
                // median of 30, 120, 1440 = 120; p90 = ⌈0.9·3⌉ = 3rd = 1440
                .body("firstResponseMinutes.median", closeTo(120.0, 1e-9))
                .body("firstResponseMinutes.p90", closeTo(1440.0, 1e-9))
                .body("firstResponseMinutes.unanswered", equalTo(1))
                // C1's first payment is in January; C4 paid first in December
                .body("newCustomers", equalTo(1)).body("cac", closeTo(150.50, 1e-9));
    }

    @Test
    void serviceFigures() {
        january().when().get("/api/v1/kpis").then().statusCode(200)
                // T1, T2, T3 opened in January; T0 in December
                .body("ticketsOpened", equalTo(3))
                // T0 (120 h after opening), T1 (24 h), T2 (6 h) resolved in January
                .body("ticketsResolved", equalTo(3))
                .body("complaints", equalTo(2)).body("backlog", equalTo(1))
                .body("resolutionHours.mean", closeTo((120 + 24 + 6) / 3.0, 1e-9))
                .body("resolutionHours.median", closeTo(24.0, 1e-9))
                // ratings 5, 3 and 4 (the 4 is for an unknown ticket: counts overall) → 2 of 3 are ≥ 4
                .body("csat", closeTo(2 / 3.0, 1e-9)).body("averageRating", closeTo(4.0, 1e-9));
        january().when().get("/api/v1/service").then().statusCode(200)
                .body("overall.ticketsOpened", equalTo(3))
                .body("categories.category", org.hamcrest.Matchers.contains("request", "complaint", "question"))
                .body("categories[0].ticketsOpened", equalTo(0)).body("categories[0].ticketsResolved", equalTo(1))
                .body("categories[0].csat", nullValue())
                .body("categories[1].complaints", equalTo(2)).body("categories[1].backlog", equalTo(1))
                .body("categories[1].resolutionHours.median", closeTo(24.0, 1e-9))
                .body("categories[1].csat", closeTo(1.0, 1e-9)).body("categories[1].averageRating", closeTo(5.0, 1e-9))
                .body("categories[2].csat", closeTo(0.0, 1e-9));
    }

    @Test
    void aTicketOpenedBeforeTheWindowIsInItsBacklogUntilResolved() {
        // February: nothing opened or resolved; T3 (complaint, opened 20 January) is still open; every
        // category first seen before the end has a row, in that order, zeros but T3's backlog
        given().auth().oauth2(ws.read()).queryParam("from", "2026-02-01").queryParam("to", "2026-03-01")
                .when().get("/api/v1/service").then().statusCode(200)
                .body("overall.ticketsOpened", equalTo(0)).body("overall.ticketsResolved", equalTo(0))
                .body("overall.backlog", equalTo(1))
                .body("categories.category", org.hamcrest.Matchers.contains("request", "complaint", "question"))
                .body("categories.backlog", org.hamcrest.Matchers.contains(0, 1, 0))
                .body("categories.ticketsOpened", org.hamcrest.Matchers.contains(0, 0, 0));
        // to 2 January: T0 (opened 28 December) is resolved at 2 January 00:00, the end: still open; only
        // its category is seen before then
        given().auth().oauth2(ws.read()).queryParam("from", "2026-01-01").queryParam("to", "2026-01-02")
                .when().get("/api/v1/service").then().statusCode(200)
                .body("overall.backlog", equalTo(1)).body("overall.ticketsResolved", equalTo(0))
                .body("categories.category", org.hamcrest.Matchers.contains("request"));
    }

    @Test
    void aRatioWithAZeroDenominatorIsNull() {
        given().auth().oauth2(ws.read()).queryParam("from", "2025-06-01").queryParam("to", "2025-07-01")
                .when().get("/api/v1/kpis").then().statusCode(200)
                .body("leads", equalTo(0)).body("costPerLead", nullValue()).body("winRate", nullValue())
                .body("averageCheck", nullValue()).body("cycleTimeDays.median", nullValue())
                .body("csat", nullValue()).body("cac", nullValue());
    }

    @Test
    void localDatesFollowTheTimeZone() {
        // [2025-12-31T21:00Z, 2026-01-31T21:00Z): L5 at 01-31 22:30Z is 1 February in Moscow;
        // the spend of 30 at 2026-01-01T02:00+03:00 is 1 January there
        january().queryParam("tz", "Europe/Moscow").when().get("/api/v1/kpis").then().statusCode(200)
                .body("from", equalTo("2026-01-01T00:00+03:00"))
                .body("leads", equalTo(3)).body("spend", closeTo(180.50, 1e-9));
    }

    @Test
    void filtersNarrow() {
        // Google Ads: leads L1, L5; spend 100; won D1 (L1) and D4 (L4); payments P1, P2 and P3 (C1's first
        // lead L1); visits of V1 twice
        january().queryParam("channel", "Google Ads").when().get("/api/v1/kpis").then().statusCode(200)
                .body("leads", equalTo(2)).body("spend", closeTo(100.00, 1e-9)).body("dealsWon", equalTo(2))
                .body("dealsLost", equalTo(0)).body("revenue", closeTo(1800.0, 1e-9)).body("visits", equalTo(2))
                .body("visitToLeadRate", closeTo(2.0, 1e-9));
        // M1 created L1 and L3; owned D1 when it was won (D4 was M2's)
        january().queryParam("managerId", "M1").when().get("/api/v1/kpis").then().statusCode(200)
                .body("leads", equalTo(2)).body("dealsWon", equalTo(1)).body("dealsLost", equalTo(0));
        // b2b has only the open D3; pipeline narrows deals only
        january().queryParam("pipeline", "b2b").when().get("/api/v1/kpis").then().statusCode(200)
                .body("leads", equalTo(4)).body("dealsWon", equalTo(0)).body("winRate", nullValue());
    }

    @Test
    void comparePrevious() {
        // previous window [2025-12-01, 2026-01-01): L4 only; spend 30 at 2025-12-31T23:00Z
        january().queryParam("compare", "previous").when().get("/api/v1/kpis").then().statusCode(200)
                .body("previous.from", equalTo("2025-12-01T00:00Z"))
                .body("previous.leads", equalTo(1)).body("change.leads", equalTo(3))
                .body("changeRate.leads", closeTo(3.0, 1e-9))
                .body("previous.spend", closeTo(30.0, 1e-9)).body("change.spend", closeTo(120.50, 1e-9))
                .body("changeRate.spend", closeTo(120.50 / 30, 1e-9))
                .body("previous.dealsWon", equalTo(0)).body("changeRate.dealsWon", nullValue());
    }

    @Test
    void csvHasTheSameFigures() {
        String csv = january().queryParam("format", "csv").when().get("/api/v1/kpis").then().statusCode(200)
                .contentType("text/csv").extract().asString();
        var lines = csv.split("\r\n");
        assertEquals(2, lines.length);
        var header = java.util.List.of(lines[0].split(","));
        var values = lines[1].split(",", -1);
        assertEquals("4", values[header.indexOf("leads")]);
        assertEquals("150.50", values[header.indexOf("spend")]);
        assertEquals("1", values[header.indexOf("firstResponseMinutes.unanswered")]);
        // nested figures are flattened to dotted columns: (5 + 25 14/24) / 2 days
        assertEquals((5 + 25 + 14 / 24.0) / 2, Double.parseDouble(values[header.indexOf("cycleTimeDays.mean")]), 1e-9);
        String json = january().accept("text/csv").when().get("/api/v1/kpis").then().statusCode(200)
                .extract().asString();
        assertEquals(csv, json, "Accept: text/csv answers the same CSV");
    }

    @Test
    void shuffledDuplicatedArrivalGivesIdenticalAnswers() {
        var shuffled = Fixtures.smallCrm(true);
        for (String path : new String[]{"/api/v1/kpis", "/api/v1/service"}) {
            String inOrder = january().when().get(path).then().statusCode(200).extract().asString();
            String other = given().auth().oauth2(shuffled.read()).queryParam("from", "2026-01-01")
                    .queryParam("to", "2026-02-01").when().get(path).then().statusCode(200).extract().asString();
            assertEquals(inOrder, other, path);
        }
    }

    @Test
    void rebuildingDerivedStateChangesNoFigure() {
        // every report that reads derived rows (payment attribution, the rank-walk columns of leads and stages)
        var paths = java.util.List.of("/api/v1/kpis", "/api/v1/funnel", "/api/v1/managers", "/api/v1/channels");
        var before = paths.stream()
                .map(path -> january().when().get(path).then().statusCode(200).extract().asString()).toList();
        // 5 leads (L1..L5), 4 deals with deal.created (D1..D4), 4 payment ids (P0..P3)
        given().auth().oauth2(ws.admin()).when().post("/api/v1/admin/rebuild").then().statusCode(200)
                .body("leads", equalTo(5)).body("deals", equalTo(4)).body("payments", equalTo(4));
        for (int i = 0; i < paths.size(); i++) {
            assertEquals(before.get(i), january().when().get(paths.get(i)).then().statusCode(200).extract().asString(),
                    paths.get(i));
        }
    }

    @Test
    void badParametersAre400NamingThem() {
        january().queryParam("tz", "Mars/Olympus").when().get("/api/v1/kpis").then().statusCode(400)
                .contentType("application/problem+json").body("errors[0]", org.hamcrest.Matchers.startsWith("tz:"));
        given().auth().oauth2(ws.read()).queryParam("from", "2026-02-01").queryParam("to", "2026-01-01")
                .when().get("/api/v1/kpis").then().statusCode(400).body("errors[0]", org.hamcrest.Matchers.startsWith("from:"));
        january().queryParam("compare", "yesterday").when().get("/api/v1/kpis").then().statusCode(400)
                .body("errors[0]", org.hamcrest.Matchers.startsWith("compare:"));
        given().auth().oauth2(ws.read()).queryParam("from", "01/01/2026").when().get("/api/v1/kpis").then()
                .statusCode(400).body("errors[0]", org.hamcrest.Matchers.startsWith("from:"));
    }
}
