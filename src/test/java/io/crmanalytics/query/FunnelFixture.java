package io.crmanalytics.query;

import static io.restassured.RestAssured.given;

import io.crmanalytics.TestApi;
import io.restassured.http.ContentType;

/**
 * The funnel edge cases of src/test/resources/fixtures/funnel-edges.json (window March 2026): pipeline
 * p configured as a, b, c (first seen: a, c, b, then x), pipeline q never configured (first seen:
 * pitch, intro). Loaded in file order, or shuffled with half of the events sent twice, in batches of 5.
 */
final class FunnelFixture {

    private FunnelFixture() {
    }

    static TestApi.Keys load(boolean shuffled) {
        var ws = TestApi.newWorkspace("funnel-edges");
        given().auth().oauth2(ws.admin()).contentType(ContentType.JSON).body("{\"stages\": [\"a\", \"b\", \"c\"]}")
                .when().put("/api/v1/pipelines/p").then().statusCode(200);
        Fixtures.ingest(ws, "fixtures/funnel-edges.json", shuffled, 11);
        return ws;
    }
}
