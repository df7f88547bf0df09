package io.crmanalytics.query;

import static io.crmanalytics.TestApi.given;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.crmanalytics.TestApi;
import io.crmanalytics.db.TestDatabase;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Lost reasons on fixtures/small-crm.json (January 2026) and fixtures/funnel-edges.json (March 2026):
 * the deals whose outcome at 'to' is lost by a deal.lost in the window, whenever they were created.
 */
@QuarkusTest
@QuarkusTestResource(TestDatabase.class)
class LostReasonQueryTest {

    static TestApi.Keys small;
    static TestApi.Keys edges;

    @BeforeEach
    void load() {
        if (small == null) {
            small = Fixtures.smallCrm(false);
            edges = FunnelFixture.load(false);
        }
    }

    private static RequestSpecification march(TestApi.Keys ws) {
        return given().auth().oauth2(ws.read()).queryParam("from", "2026-03-01").queryParam("to", "2026-04-01");
    }

    @Test
    void smallCrm() {
        // D2 lost 01-12 for 'price'
        given().auth().oauth2(small.read()).queryParam("from", "2026-01-01").queryParam("to", "2026-02-01")
                .when().get("/api/v1/lost-reasons").then().statusCode(200)
                .body("from", equalTo("2026-01-01T00:00Z"))
                .body("total", equalTo(1)).body("reasons.reason", contains("price"))
                .body("reasons[0].count", equalTo(1)).body("reasons[0].share", closeTo(1.0, 1e-9));
    }

    @Test
    void reasonsByCountThenName() {
        // lost in March and still lost at 04-01: E0 'timing' 03-25 (created in February), E2 'timing' 03-20
        // (its 'price' of 03-08 was reopened), E3 no reason 03-07, E7 'competitor' 03-23 (after two wins).
        // EF was lost in February.
        march(edges).when().get("/api/v1/lost-reasons").then().statusCode(200)
                .body("total", equalTo(4))
                .body("reasons.reason", contains("timing", "competitor", null))
                .body("reasons.count", contains(2, 1, 1))
                // 2/4, 1/4, 1/4
                .body("reasons[0].share", closeTo(0.5, 1e-9)).body("reasons[1].share", closeTo(0.25, 1e-9))
                .body("reasons[2].share", closeTo(0.25, 1e-9));
        // the total is the window's dealsLost
        march(edges).when().get("/api/v1/kpis").then().statusCode(200).body("dealsLost", equalTo(4));
    }

    @Test
    void filtersNarrow() {
        // owner at the outcome M2: E0 'timing' and E3 (reassigned to M2 on 03-06, lost 03-07); E7 was M1's
        // when lost (reassigned to M2 after)
        march(edges).queryParam("managerId", "M2").when().get("/api/v1/lost-reasons").then().statusCode(200)
                .body("total", equalTo(2)).body("reasons.reason", contains("timing", null));
        // M1: E2 'timing', E7 'competitor' → equal counts, by name
        march(edges).queryParam("managerId", "M1").when().get("/api/v1/lost-reasons").then().statusCode(200)
                .body("total", equalTo(2)).body("reasons.reason", contains("competitor", "timing"));
        // Ads: E0, E2 ('timing' twice), E3 → 2/3 and 1/3
        march(edges).queryParam("channel", "Ads").when().get("/api/v1/lost-reasons").then().statusCode(200)
                .body("total", equalTo(3)).body("reasons.reason", contains("timing", null))
                .body("reasons[0].share", closeTo(2 / 3.0, 1e-9));
        // q lost nothing
        march(edges).queryParam("pipeline", "q").when().get("/api/v1/lost-reasons").then().statusCode(200)
                .body("total", equalTo(0)).body("reasons", empty());
    }

    @Test
    void comparePrevious() {
        // previous window [01-29, 03-01) seen at 03-01: EF 'price' → total 1 → 4
        march(edges).queryParam("compare", "previous").when().get("/api/v1/lost-reasons").then().statusCode(200)
                .body("previous.total", equalTo(1)).body("change.total", equalTo(3))
                .body("changeRate.total", closeTo(3.0, 1e-9))
                // 'timing' had no row then: count 0, share undefined
                .body("reasons[0].previous.count", equalTo(0)).body("reasons[0].change.count", equalTo(2))
                .body("reasons[0].previous.share", nullValue());
    }

    @Test
    void csvHasOneRowPerReason() {
        String csv = march(edges).queryParam("format", "csv").when().get("/api/v1/lost-reasons").then()
                .statusCode(200).contentType("text/csv").extract().asString();
        var lines = csv.split("\r\n");
        assertEquals(1 + 3, lines.length);
        var header = List.of(lines[0].split(","));
        assertEquals(List.of("from", "to", "reason", "count", "share"), header);
        assertEquals("2026-03-01T00:00Z,2026-04-01T00:00Z,timing,2,0.5", lines[1]);
        assertEquals("2026-03-01T00:00Z,2026-04-01T00:00Z,competitor,1,0.25", lines[2]);
        // reason null → empty cell
        assertEquals("2026-03-01T00:00Z,2026-04-01T00:00Z,,1,0.25", lines[3]);
    }

    @Test
    void shuffledDuplicatedArrivalGivesIdenticalAnswers() {
        var shuffled = FunnelFixture.load(true);
        assertEquals(march(edges).when().get("/api/v1/lost-reasons").then().statusCode(200).extract().asString(),
                march(shuffled).when().get("/api/v1/lost-reasons").then().statusCode(200).extract().asString());
    }
}
