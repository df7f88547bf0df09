package io.crmanalytics.query;

import static io.crmanalytics.TestApi.given;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crmanalytics.TestApi;
import io.crmanalytics.db.TestDatabase;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The funnel on fixtures/small-crm.json (January 2026) and on the edge cases of
 * fixtures/funnel-edges.json (March 2026), UTC. The arithmetic is written beside each figure; days are
 * counted between the events' instants, all at midnight unless said.
 */
@QuarkusTest
@QuarkusTestResource(TestDatabase.class)
class FunnelQueryTest {

    static TestApi.Keys small;
    static TestApi.Keys edges;

    @BeforeEach
    void load() {
        if (small == null) {
            small = Fixtures.smallCrm(false);
            edges = FunnelFixture.load(false);
        }
    }

    private static RequestSpecification january() {
        return given().auth().oauth2(small.read()).queryParam("from", "2026-01-01").queryParam("to", "2026-02-01");
    }

    private static RequestSpecification march(TestApi.Keys ws) {
        return given().auth().oauth2(ws.read()).queryParam("from", "2026-03-01").queryParam("to", "2026-04-01");
    }

    private static String stage(int pipeline, int stage, String field) {
        return "pipelines[" + pipeline + "].stages[" + stage + "]." + field;
    }

    @Test
    void smallCrmFunnel() {
        january().when().get("/api/v1/funnel").then().statusCode(200)
                .body("from", equalTo("2026-01-01T00:00Z")).body("to", equalTo("2026-02-01T00:00Z"))
                .body("tz", equalTo("UTC"))
                // pipelines by name; sales stages in the order first seen: new (D4), qualified, proposal (D1)
                .body("pipelines.pipeline", contains("b2b", "sales"))
                .body("pipelines[1].stages.stage", contains("new", "qualified", "proposal"))
                // cohort sales: D1 (won 01-10) and D2 (lost 01-12); D4 was created in December, D5 never
                .body("pipelines[1].deals", equalTo(2)).body("pipelines[1].won", equalTo(1))
                .body("pipelines[1].lost", equalTo(1)).body("pipelines[1].open", equalTo(0))
                // new: D1 and D2 (both went further); qualified: D1 and D2; proposal: D1
                .body(stage(1, 0, "reached"), equalTo(2)).body(stage(1, 1, "reached"), equalTo(2))
                .body(stage(1, 2, "reached"), equalTo(1))
                // 2/2, 1/2, and for the last stage won / reached = 1/1
                .body(stage(1, 0, "conversionToNext"), closeTo(1.0, 1e-9))
                .body(stage(1, 1, "conversionToNext"), closeTo(0.5, 1e-9))
                .body(stage(1, 2, "conversionToNext"), closeTo(1.0, 1e-9))
                // 2/2, 2/2, 1/2
                .body(stage(1, 0, "conversionFromStart"), closeTo(1.0, 1e-9))
                .body(stage(1, 1, "conversionFromStart"), closeTo(1.0, 1e-9))
                .body(stage(1, 2, "conversionFromStart"), closeTo(0.5, 1e-9))
                // D2 was in qualified when lost for 'price'
                .body(stage(1, 0, "lostHere"), equalTo(0)).body(stage(1, 0, "lostReasons"), empty())
                .body(stage(1, 1, "lostHere"), equalTo(1))
                .body(stage(1, 1, "lostReasons.reason"), contains("price"))
                .body(stage(1, 1, "lostReasons.count"), contains(1))
                // new: D1 01-05 12:00 → 01-06 12:00 = 1 day, D2 01-06 12:00 → 01-09 12:00 = 3 days → (1 + 3) / 2
                .body(stage(1, 0, "medianDaysInStage"), closeTo(2.0, 1e-9))
                // qualified: D1 01-06 12:00 → 01-08 12:00 = 2, D2 01-09 12:00 → lost 01-12 12:00 = 3 → 2.5
                .body(stage(1, 1, "medianDaysInStage"), closeTo(2.5, 1e-9))
                // proposal: D1 01-08 12:00 → won 01-10 10:00 = 1 day 22 h
                .body(stage(1, 2, "medianDaysInStage"), closeTo(1 + 22 / 24.0, 1e-9))
                .body(stage(1, 0, "stuck"), equalTo(0)).body(stage(1, 2, "stuck"), equalTo(0))
                // b2b: D3 open in intro, never left it; won 0 / reached 1 = 0
                .body("pipelines[0].deals", equalTo(1)).body("pipelines[0].open", equalTo(1))
                .body(stage(0, 0, "stage"), equalTo("intro")).body(stage(0, 0, "reached"), equalTo(1))
                .body(stage(0, 0, "conversionToNext"), closeTo(0.0, 1e-9))
                .body(stage(0, 0, "conversionFromStart"), closeTo(1.0, 1e-9))
                .body(stage(0, 0, "medianDaysInStage"), nullValue())
                // in intro since 01-07 12:00 → 02-01 00:00 = 24.5 days > 14
                .body(stage(0, 0, "stuck"), equalTo(1));
    }

    @Test
    void stuckIsStrictlyLongerThanStallDays() {
        // D3: 24.5 days in intro at 'to'
        january().queryParam("stallDays", "24").when().get("/api/v1/funnel").then().statusCode(200)
                .body(stage(0, 0, "stuck"), equalTo(1));
        january().queryParam("stallDays", "25").when().get("/api/v1/funnel").then().statusCode(200)
                .body(stage(0, 0, "stuck"), equalTo(0));
        // edges, current stays at 04-01: E4 in a 27 days (since 03-05; its change to a on 03-20 changes
        // nothing), E6 in a exactly 14 days (since 03-18), E5 in x 19 days (since 03-13); Q2 in pitch 25 days
        for (var stall : List.of(
                List.of(0, 2, 1, 1), // 27 > 0, 14 > 0; 19 > 0; 25 > 0
                List.of(13, 2, 1, 1), // 27 and 14 > 13; 19 > 13
                List.of(14, 1, 1, 1), // 14 is not longer than 14
                List.of(19, 1, 0, 1), // 19 is not longer than 19; 25 > 19
                List.of(27, 0, 0, 0))) { // 25 is not longer than 27
            march(edges).queryParam("stallDays", stall.get(0)).when().get("/api/v1/funnel").then().statusCode(200)
                    .body(stage(0, 0, "stuck"), equalTo(stall.get(1).intValue()))
                    .body(stage(0, 3, "stuck"), equalTo(stall.get(2).intValue()))
                    .body(stage(1, 0, "stuck"), equalTo(stall.get(3).intValue()));
        }
    }

    @Test
    void edgeCases() {
        march(edges).when().get("/api/v1/funnel").then().statusCode(200)
                // p: configured a, b, c, then x (seen, not configured); 'late' is first seen on 04-02, after 'to'.
                // q never configured: pitch (Q2, 03-07) before intro (Q1, 03-08). 'other' (E2's move) is no
                // pipeline of any deal.created.
                .body("pipelines.pipeline", contains("p", "q"))
                .body("pipelines[0].stages.stage", contains("a", "b", "c", "x"))
                .body("pipelines[1].stages.stage", contains("pitch", "intro"))
                // cohort p: E1..E7 (EF and E0 created in February, E9 after 'to').
                // won: E1. lost: E2 (lost again after reopening), E3, E7 (lost after two wins).
                // open: E4, E5 (its win is after 'to'), E6 (its win was reopened by a move)
                .body("pipelines[0].deals", equalTo(7)).body("pipelines[0].won", equalTo(1))
                .body("pipelines[0].lost", equalTo(3)).body("pipelines[0].open", equalTo(3))
                // highest stage reached: E1 c (a → c → b, then won), E2 b (its move to 'c' names pipeline
                // 'other'), E3 b, E4 a, E5 x (not 'late': after 'to'), E6 b (b → a keeps b), E7 a.
                // a: all 7; b: E1 E2 E3 E5 E6 = 5; c: E1 E5 = 2; x: E5 and E1 (won) = 2
                .body(stage(0, 0, "reached"), equalTo(7)).body(stage(0, 1, "reached"), equalTo(5))
                .body(stage(0, 2, "reached"), equalTo(2)).body(stage(0, 3, "reached"), equalTo(2))
                // 5/7, 2/5, 2/2, and for the last stage won / reached = 1/2
                .body(stage(0, 0, "conversionToNext"), closeTo(5 / 7.0, 1e-9))
                .body(stage(0, 1, "conversionToNext"), closeTo(2 / 5.0, 1e-9))
                .body(stage(0, 2, "conversionToNext"), closeTo(1.0, 1e-9))
                .body(stage(0, 3, "conversionToNext"), closeTo(0.5, 1e-9))
                // 7/7, 5/7, 2/7, 2/7
                .body(stage(0, 0, "conversionFromStart"), closeTo(1.0, 1e-9))
                .body(stage(0, 1, "conversionFromStart"), closeTo(5 / 7.0, 1e-9))
                .body(stage(0, 2, "conversionFromStart"), closeTo(2 / 7.0, 1e-9))
                .body(stage(0, 3, "conversionFromStart"), closeTo(2 / 7.0, 1e-9))
                // lost in a: E7 'competitor'; in b: E2 'timing' (its latest deal.lost) and E3 without a reason
                .body(stage(0, 0, "lostHere"), equalTo(1))
                .body(stage(0, 0, "lostReasons.reason"), contains("competitor"))
                .body(stage(0, 1, "lostHere"), equalTo(2))
                .body(stage(0, 1, "lostReasons.reason"), contains("timing", null))
                .body(stage(0, 1, "lostReasons.count"), contains(1, 1))
                .body(stage(0, 2, "lostHere"), equalTo(0)).body(stage(0, 3, "lostHere"), equalTo(0))
                // a, completed stays: E1 03-01 → 03-03 = 2, E2 03-02 → 03-06 = 4 (the change to a on 03-04
                // changes nothing), E3 03-03 → 03-04 = 1, E5 03-10 → 03-13 = 3, E7 03-20 → first outcome
                // (won) 03-21 = 1; E4 and E6 are still in a → median of 1 1 2 3 4 = 2
                .body(stage(0, 0, "medianDaysInStage"), closeTo(2.0, 1e-9))
                // b: E1 03-05 → won 03-06 = 1; E2 03-06 → lost 03-08 = 2 plus, reopened by the change to b,
                // 03-10 → lost 03-20 = 10, total 12; E3 03-04 → lost 03-07 = 3; E6 03-15 → won 03-17 = 2
                // → median of 1 2 3 12 = (2 + 3) / 2
                .body(stage(0, 1, "medianDaysInStage"), closeTo(2.5, 1e-9))
                // c: E1 03-03 → 03-05 = 2; x: E5 has not left it
                .body(stage(0, 2, "medianDaysInStage"), closeTo(2.0, 1e-9))
                .body(stage(0, 3, "medianDaysInStage"), nullValue())
                // stallDays 14: E4 (27 days in a) and E5 (19 in x); E6 has been in a exactly 14 days
                .body(stage(0, 0, "stuck"), equalTo(1)).body(stage(0, 1, "stuck"), equalTo(0))
                .body(stage(0, 2, "stuck"), equalTo(0)).body(stage(0, 3, "stuck"), equalTo(1))
                // q: Q2 open in pitch; Q1 intro → pitch (backwards in q's order), won 03-11
                .body("pipelines[1].deals", equalTo(2)).body("pipelines[1].won", equalTo(1))
                .body("pipelines[1].lost", equalTo(0)).body("pipelines[1].open", equalTo(1))
                // pitch: Q1 and Q2; intro: Q1 (reached it, and won) → 1/2, then won / reached = 1/1
                .body(stage(1, 0, "reached"), equalTo(2)).body(stage(1, 1, "reached"), equalTo(1))
                .body(stage(1, 0, "conversionToNext"), closeTo(0.5, 1e-9))
                .body(stage(1, 1, "conversionToNext"), closeTo(1.0, 1e-9))
                .body(stage(1, 1, "conversionFromStart"), closeTo(0.5, 1e-9))
                // pitch: Q1 03-09 → won 03-11 = 2; intro: Q1 03-08 → 03-09 = 1
                .body(stage(1, 0, "medianDaysInStage"), closeTo(2.0, 1e-9))
                .body(stage(1, 1, "medianDaysInStage"), closeTo(1.0, 1e-9))
                // Q2 in pitch since 03-07: 25 days
                .body(stage(1, 0, "stuck"), equalTo(1));
    }

    @Test
    void aWindowWithoutDealsHasNullConversions() {
        // as of 2025-07-01 nothing was seen in small-crm: no pipeline at all
        given().auth().oauth2(small.read()).queryParam("from", "2025-06-01").queryParam("to", "2025-07-01")
                .when().get("/api/v1/funnel").then().statusCode(200).body("pipelines", empty());
        // February: sales and b2b are known, but no deal was created → reached 0, conversions null
        given().auth().oauth2(small.read()).queryParam("from", "2026-02-01").queryParam("to", "2026-03-01")
                .when().get("/api/v1/funnel").then().statusCode(200)
                .body("pipelines.pipeline", contains("b2b", "sales"))
                .body("pipelines[1].deals", equalTo(0)).body(stage(1, 0, "reached"), equalTo(0))
                .body(stage(1, 0, "conversionToNext"), nullValue())
                .body(stage(1, 0, "conversionFromStart"), nullValue())
                .body(stage(1, 2, "conversionToNext"), nullValue());
    }

    @Test
    void filtersNarrow() {
        // channel Referral: E4..E7 (leads LE4..LE7); q's deals have no lead ('unknown') → 0 but listed
        march(edges).queryParam("channel", "Referral").when().get("/api/v1/funnel").then().statusCode(200)
                .body("pipelines.pipeline", contains("p", "q"))
                .body("pipelines[0].deals", equalTo(4)).body("pipelines[0].won", equalTo(0))
                .body("pipelines[0].lost", equalTo(1)).body("pipelines[0].open", equalTo(3))
                // a: 4; b: E5 (x), E6 = 2; c: E5 = 1; x: E5 = 1; lost in a: E7
                .body("pipelines[0].stages.reached", contains(4, 2, 1, 1))
                .body(stage(0, 0, "lostHere"), equalTo(1))
                // days in a: E7 1 and E5 3 (E5 has events after 'to': its stays come from the events) → 2;
                // b: E6 2; c: none of them
                .body(stage(0, 0, "medianDaysInStage"), closeTo(2.0, 1e-9))
                .body(stage(0, 1, "medianDaysInStage"), closeTo(2.0, 1e-9))
                .body(stage(0, 2, "medianDaysInStage"), nullValue())
                .body("pipelines[1].deals", equalTo(0));
        // owner at 'to' M2: E3 (reassigned 03-06), E4, E5, E7 (reassigned 03-24, after it was lost)
        march(edges).queryParam("managerId", "M2").when().get("/api/v1/funnel").then().statusCode(200)
                .body("pipelines[0].deals", equalTo(4)).body("pipelines[0].lost", equalTo(2))
                .body("pipelines[0].open", equalTo(2)).body("pipelines[1].deals", equalTo(0))
                // days in a: E3 1, E7 1, E5 3 → 1; b: E3 3
                .body(stage(0, 0, "medianDaysInStage"), closeTo(1.0, 1e-9))
                .body(stage(0, 1, "medianDaysInStage"), closeTo(3.0, 1e-9));
        // pipeline: only the pipelines asked for appear
        march(edges).queryParam("pipeline", "q").when().get("/api/v1/funnel").then().statusCode(200)
                .body("pipelines.pipeline", contains("q")).body("pipelines[0].deals", equalTo(2));
        january().queryParam("pipeline", "sales").queryParam("pipeline", "b2b").when().get("/api/v1/funnel")
                .then().statusCode(200).body("pipelines.pipeline", contains("b2b", "sales"));
    }

    @Test
    void comparePrevious() {
        // previous window [2025-12-01, 2026-01-01) as seen on 01-01: sales had only 'new' (qualified and
        // proposal are first seen in January) and b2b did not exist; cohort D4, open then (won 01-15)
        january().queryParam("compare", "previous").when().get("/api/v1/funnel").then().statusCode(200)
                .body("pipelines[1].previous.deals", equalTo(1)).body("pipelines[1].change.deals", equalTo(1))
                .body("pipelines[1].previous.won", equalTo(0)).body("pipelines[1].change.won", equalTo(1))
                .body("pipelines[1].changeRate.won", nullValue())
                // new: reached 1 → 2; conversionToNext (the last stage then) won 0 / 1 = 0 → 1
                .body(stage(1, 0, "previous.reached"), equalTo(1)).body(stage(1, 0, "change.reached"), equalTo(1))
                .body(stage(1, 0, "changeRate.reached"), closeTo(1.0, 1e-9))
                .body(stage(1, 0, "previous.conversionToNext"), closeTo(0.0, 1e-9))
                .body(stage(1, 0, "changeRate.conversionToNext"), nullValue())
                // D4 in new since 12-21 10:00, 10 days 14 h at 01-01: not stuck; it never left new by then
                .body(stage(1, 0, "previous.stuck"), equalTo(0))
                .body(stage(1, 0, "previous.medianDaysInStage"), nullValue())
                // stages and pipelines the previous window lacks compare with zero counts
                .body(stage(1, 1, "previous.reached"), equalTo(0)).body(stage(1, 1, "changeRate.reached"), nullValue())
                .body("pipelines[0].previous.deals", equalTo(0)).body("pipelines[0].change.deals", equalTo(1));
        // edges: previous window [01-29, 03-01): cohort EF (lost in a 02-10, 'price') and E0 (open in a)
        march(edges).queryParam("compare", "previous").when().get("/api/v1/funnel").then().statusCode(200)
                .body("pipelines[0].previous.deals", equalTo(2))
                .body("pipelines[0].changeRate.deals", closeTo(2.5, 1e-9))
                .body(stage(0, 0, "previous.lostHere"), equalTo(1))
                // EF in a 02-01 → 02-10 = 9 days → 2 now
                .body(stage(0, 0, "previous.medianDaysInStage"), closeTo(9.0, 1e-9))
                .body(stage(0, 0, "change.medianDaysInStage"), closeTo(-7.0, 1e-9))
                .body(stage(0, 0, "lostReasons[0].previous.count"), equalTo(0));
    }

    @Test
    void csvHasOneRowPerPipelineAndStage() {
        String json = january().when().get("/api/v1/funnel").then().statusCode(200).extract().asString();
        String csv = january().queryParam("format", "csv").when().get("/api/v1/funnel").then().statusCode(200)
                .contentType("text/csv").extract().asString();
        var lines = csv.split("\r\n");
        // b2b intro; sales new, qualified, proposal
        assertEquals(1 + 4, lines.length);
        var header = List.of(lines[0].split(","));
        var body = JsonPath.from(json);
        int row = 1;
        for (int p = 0; p < 2; p++) {
            List<Map<String, Object>> stages = body.getList("pipelines[" + p + "].stages");
            for (int s = 0; s < stages.size(); s++, row++) {
                var cells = Arrays.asList(lines[row].split(",", -1));
                assertEquals("2026-01-01T00:00Z", cells.get(header.indexOf("from")));
                assertEquals(body.getString("pipelines[" + p + "].pipeline"), cells.get(header.indexOf("pipeline")));
                assertEquals(body.getString("pipelines[" + p + "].deals"), cells.get(header.indexOf("deals")));
                assertEquals(stages.get(s).get("stage"), cells.get(header.indexOf("stage")));
                assertEquals(String.valueOf(stages.get(s).get("reached")), cells.get(header.indexOf("reached")));
                assertEquals(String.valueOf(stages.get(s).get("stuck")), cells.get(header.indexOf("stuck")));
            }
        }
        // sales, qualified: reached 2, lost 1 for 'price', median 2.5 days
        var qualified = Arrays.asList(lines[3].split(",", -1));
        assertEquals("sales", qualified.get(header.indexOf("pipeline")));
        assertEquals("qualified", qualified.get(header.indexOf("stage")));
        assertEquals("2", qualified.get(header.indexOf("reached")));
        assertEquals("price", qualified.get(header.indexOf("lostReasons.0.reason")));
        assertEquals("2.5", qualified.get(header.indexOf("medianDaysInStage")));
        // with compare=previous the pipeline's comparison columns keep their own names
        String compared = january().queryParam("format", "csv").queryParam("compare", "previous")
                .when().get("/api/v1/funnel").then().statusCode(200).extract().asString();
        var comparedHeader = List.of(compared.split("\r\n")[0].split(","));
        assertTrue(comparedHeader.contains("pipelinePrevious.deals"));
        assertTrue(comparedHeader.contains("previous.reached"));
    }

    @Test
    void shuffledDuplicatedArrivalGivesIdenticalAnswers() {
        var smallShuffled = Fixtures.smallCrm(true);
        var edgesShuffled = FunnelFixture.load(true);
        assertEquals(january().when().get("/api/v1/funnel").then().statusCode(200).extract().asString(),
                given().auth().oauth2(smallShuffled.read()).queryParam("from", "2026-01-01")
                        .queryParam("to", "2026-02-01").when().get("/api/v1/funnel").then().statusCode(200)
                        .extract().asString());
        assertEquals(march(edges).when().get("/api/v1/funnel").then().statusCode(200).extract().asString(),
                march(edgesShuffled).when().get("/api/v1/funnel").then().statusCode(200).extract().asString());
    }

    @Test
    void badStallDaysIs400() {
        for (String bad : new String[]{"-1", "abc", "1.5", "99999999999"}) {
            january().queryParam("stallDays", bad).when().get("/api/v1/funnel").then().statusCode(400)
                    .contentType("application/problem+json").body("errors[0]", startsWith("stallDays:"));
        }
    }
}
