package io.crmanalytics.query;

import static io.crmanalytics.TestApi.given;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.crmanalytics.TestApi;
import io.crmanalytics.db.TestDatabase;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Time series on fixtures/small-crm.json. */
@QuarkusTest
@QuarkusTestResource(TestDatabase.class)
class TimeseriesQueryTest {

    static TestApi.Keys ws;

    @BeforeEach
    void load() {
        if (ws == null) {
            ws = Fixtures.smallCrm(false);
        }
    }

    @Test
    void weeksStartOnMondayAndAreClippedToTheWindow() {
        // 2026-01-01 is a Thursday: the first bucket is the week of Monday 2025-12-29, clipped to Jan 1–5.
        // L1, L2, L3 on Jan 5, 6, 7; L5 on Jan 31 22:30 UTC
        given().auth().oauth2(ws.read()).queryParam("from", "2026-01-01").queryParam("to", "2026-02-01")
                .queryParam("metric", "leads").queryParam("granularity", "week")
                .when().get("/api/v1/timeseries").then().statusCode(200)
                .body("metric", equalTo("leads")).body("granularity", equalTo("week"))
                .body("points.start", contains("2025-12-29", "2026-01-05", "2026-01-12", "2026-01-19", "2026-01-26"))
                .body("points.value", contains(0, 3, 0, 0, 1));
    }

    @Test
    void eachPointIsSeenAtItsBucketEnd() {
        // backlog at each week's end: T3 (opened Jan 20) is the only open ticket from then on;
        // T2 opens at Jan 12 00:00, the end of the second bucket, and is resolved by the third's end
        given().auth().oauth2(ws.read()).queryParam("from", "2026-01-01").queryParam("to", "2026-02-01")
                .queryParam("metric", "backlog").queryParam("granularity", "week")
                .when().get("/api/v1/timeseries").then().statusCode(200)
                .body("points.value", contains(0, 0, 0, 1, 1));
    }

    @Test
    void monthsAndRatiosWithNothingToDivideAreNull() {
        // December: no deal closed → null; January: D1, D4 won, D2 lost → 2/3
        given().auth().oauth2(ws.read()).queryParam("from", "2025-12-01").queryParam("to", "2026-02-01")
                .queryParam("metric", "winRate").queryParam("granularity", "month")
                .when().get("/api/v1/timeseries").then().statusCode(200)
                .body("points.start", contains("2025-12-01", "2026-01-01"))
                .body("points[0].value", nullValue()).body("points[1].value", closeTo(2 / 3.0, 1e-9));
        given().auth().oauth2(ws.read()).queryParam("from", "2026-01-01").queryParam("to", "2026-02-01")
                .queryParam("metric", "cycleTimeDays.median").queryParam("granularity", "month")
                .when().get("/api/v1/timeseries").then().statusCode(200)
                .body("points[0].value", closeTo((5 + 25 + 14 / 24.0) / 2, 1e-9));
    }

    @Test
    void daysAreLocalToTheZone() {
        // the spend of 30 at 2025-12-31T23:00Z is on 1 January in Moscow
        given().auth().oauth2(ws.read()).queryParam("from", "2025-12-31").queryParam("to", "2026-01-02")
                .queryParam("tz", "Europe/Moscow").queryParam("metric", "spend")
                .when().get("/api/v1/timeseries").then().statusCode(200)
                .body("points.start", contains("2025-12-31", "2026-01-01"))
                .body("points.value", contains(0, 30.0));
    }

    @Test
    void comparePreviousMatchesPointsByPosition() {
        // previous window [Dec 1, Jan 1): weeks of Dec 1, 8, 15 (L4 on Dec 20), 22, 29 → 0, 0, 1, 0, 0
        given().auth().oauth2(ws.read()).queryParam("from", "2026-01-01").queryParam("to", "2026-02-01")
                .queryParam("metric", "leads").queryParam("granularity", "week").queryParam("compare", "previous")
                .when().get("/api/v1/timeseries").then().statusCode(200)
                .body("points[2].previous.value", equalTo(1)).body("points[2].change.value", equalTo(-1))
                .body("points[1].change.value", equalTo(3));
    }

    @Test
    void badParameters() {
        given().auth().oauth2(ws.read()).queryParam("metric", "happiness")
                .when().get("/api/v1/timeseries").then().statusCode(400).body("errors[0]", startsWith("metric:"));
        given().auth().oauth2(ws.read()).queryParam("metric", "leads").queryParam("granularity", "hour")
                .when().get("/api/v1/timeseries").then().statusCode(400).body("errors[0]", startsWith("granularity:"));
        given().auth().oauth2(ws.read())
                .when().get("/api/v1/timeseries").then().statusCode(400).body("errors[0]", startsWith("metric:"));
    }

    /**
     * leads, spend, visits, payments and their ratios come from one grouped query, the others from a
     * partial report per bucket; every point must still be the kpis report over its bucket: days in
     * Moscow, unfiltered and by channel.
     */
    @Test
    void groupedFiguresEqualTheReportOverEachBucket() {
        // the spend of 2026-01-01T02:00+03:00, the visits of January 4–7 and the leads of January 5–7
        checkGrouped("2025-12-30", "2026-01-09", "leads", "spend", "costPerLead", "visits", "visitToLeadRate");
        // payments P0 (12-15), P1 (01-10), P2 (01-16), P3 (01-20): P0 has no deal and its customer's first lead
        // L4 is created on 12-20, so P0 is 'unknown' in its own day and Google Ads in a report reaching 12-20
        checkGrouped("2025-12-14", "2026-01-22", "revenue", "payments", "averageCheck", "newCustomers", "cac");
        // the others are a report per bucket, of the lead figures or the rest alone when that is all they need
        checkGrouped("2026-01-04", "2026-01-17", "dealsWon", "winRate", "conversionRate", "cycleTimeDays.mean",
                "qualifiedShare", "firstResponseMinutes.median");
    }

    private static void checkGrouped(String from, String to, String... metrics) {
        for (String channel : new String[]{null, "Google Ads"}) {
            for (String metric : metrics) {
                var series = request(from, to, channel).queryParam("metric", metric).queryParam("granularity", "day")
                        .when().get("/api/v1/timeseries").then().statusCode(200).extract().jsonPath();
                java.util.List<String> starts = series.getList("points.start");
                assertEquals(java.time.LocalDate.parse(from).datesUntil(java.time.LocalDate.parse(to)).count(),
                        starts.size());
                for (int i = 0; i < starts.size(); i++) {
                    String end = i + 1 < starts.size() ? starts.get(i + 1) : to;
                    Object report = request(starts.get(i), end, channel).when().get("/api/v1/kpis").then()
                            .statusCode(200).extract().jsonPath().get(metric);
                    assertEquals(String.valueOf(report), String.valueOf((Object) series.get("points[" + i + "].value")),
                            metric + " " + channel + " " + starts.get(i));
                }
            }
        }
    }

    private static io.restassured.specification.RequestSpecification request(String from, String to, String channel) {
        var request = given().auth().oauth2(ws.read()).queryParam("from", from).queryParam("to", to)
                .queryParam("tz", "Europe/Moscow");
        return channel == null ? request : request.queryParam("channel", channel);
    }
}
