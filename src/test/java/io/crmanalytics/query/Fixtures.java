package io.crmanalytics.query;

import static io.restassured.RestAssured.given;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.crmanalytics.TestApi;
import io.restassured.http.ContentType;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Random;

/**
 * The small hand-built CRM history of src/test/resources/fixtures/small-crm.json, loaded into a fresh
 * workspace with its channel mappings: in file order, or shuffled and sent in small batches.
 */
public final class Fixtures {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Fixtures() {
    }

    public static TestApi.Keys smallCrm(boolean shuffled) {
        var ws = TestApi.newWorkspace("small-crm");
        given().auth().oauth2(ws.admin()).contentType(ContentType.JSON)
                .body("""
                        {"utmSources": {"yandex": "Yandex Direct"}, "trackingNumbers": {"+74950000001": "Radio"}}""")
                .when().put("/api/v1/channel-mappings").then().statusCode(200);
        ingest(ws, "fixtures/small-crm.json", shuffled, 7);
        return ws;
    }

    /**
     * Sends a fixture file in file order, or shuffled with the first half of the shuffled events sent
     * twice, in batches of 5: duplicates and late arrivals must change nothing.
     */
    static void ingest(TestApi.Keys ws, String resource, boolean shuffled, long seed) {
        var events = events(resource);
        if (!shuffled) {
            TestApi.ingest(ws, events.toString()).statusCode(200);
            return;
        }
        var list = new ArrayList<com.fasterxml.jackson.databind.JsonNode>();
        events.forEach(list::add);
        Collections.shuffle(list, new Random(seed));
        list.addAll(list.subList(0, list.size() / 2));
        for (int i = 0; i < list.size(); i += 5) {
            var batch = MAPPER.createArrayNode();
            list.subList(i, Math.min(i + 5, list.size())).forEach(batch::add);
            TestApi.ingest(ws, batch.toString()).statusCode(200);
        }
    }

    static ArrayNode events(String resource) {
        try (InputStream in = Fixtures.class.getClassLoader().getResourceAsStream(resource)) {
            return (ArrayNode) MAPPER.readTree(in);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
