package io.crmanalytics.query;

import static io.restassured.RestAssured.given;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.crmanalytics.TestApi;
import io.restassured.http.ContentType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Random;

/**
 * The funnel edge cases of src/test/resources/fixtures/funnel-edges.json (window March 2026): pipeline
 * p configured as a, b, c (first seen: a, c, b, then x), pipeline q never configured (first seen:
 * pitch, intro). Loaded in file order, or shuffled with half of the events sent twice, in batches of 5.
 */
final class FunnelFixture {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private FunnelFixture() {
    }

    static TestApi.Keys load(boolean shuffled) {
        var ws = TestApi.newWorkspace("funnel-edges");
        given().auth().oauth2(ws.admin()).contentType(ContentType.JSON).body("{\"stages\": [\"a\", \"b\", \"c\"]}")
                .when().put("/api/v1/pipelines/p").then().statusCode(200);
        var events = Fixtures.events("fixtures/funnel-edges.json");
        if (!shuffled) {
            TestApi.ingest(ws, events.toString()).statusCode(200);
            return ws;
        }
        var list = new ArrayList<JsonNode>();
        events.forEach(list::add);
        Collections.shuffle(list, new Random(11));
        list.addAll(list.subList(0, list.size() / 2));
        for (int i = 0; i < list.size(); i += 5) {
            var batch = MAPPER.createArrayNode();
            list.subList(i, Math.min(i + 5, list.size())).forEach(batch::add);
            TestApi.ingest(ws, batch.toString()).statusCode(200);
        }
        return ws;
    }
}
