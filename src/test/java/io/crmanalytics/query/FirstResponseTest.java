package io.crmanalytics.query;

import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crmanalytics.TestApi;
import io.crmanalytics.db.TestDatabase;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * firstResponseMinutes where the median and p90 are read from the response-time index and merged with
 * leads whose deal is created after 'to' (their first response as of 'to' is worked out from the
 * events). All leads are created at 10:00 UTC in January 2026, managed by m1 unless said, and answered
 * by a message naming the lead:
 * L1 +10 min (channel Web), L2 +20 (utm yandex, mapped to Radio), L3 +30, L4 +40, L5 +50 (Radio);
 * L6 +15, L7 +55 and L9 +5 (Radio, L9 by m2), each with a deal created in February; L8 (Radio) has a
 * deal created in February and only a message on that deal, in January, one hour after the lead.
 * As of 2026-02-01 the February deals do not exist: L8 is unanswered, the others keep their times.
 */
@QuarkusTest
@QuarkusTestResource(TestDatabase.class)
class FirstResponseTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static TestApi.Keys ws;

    @BeforeEach
    void load() {
        if (ws != null) {
            return;
        }
        ws = TestApi.newWorkspace("first-response");
        TestApi.given().auth().oauth2(ws.admin()).contentType(ContentType.JSON)
                .body("{\"utmSources\": {\"yandex\": \"Radio\"}}")
                .when().put("/api/v1/channel-mappings").then().statusCode(200);
        ArrayNode events = MAPPER.createArrayNode();
        lead(events, "L1", 1, 10, "m1").put("channel", "Web");
        lead(events, "L2", 2, 20, "m1").set("utm", MAPPER.createObjectNode().put("source", "Yandex"));
        lead(events, "L3", 3, 30, "m1").put("channel", "Radio");
        lead(events, "L4", 4, 40, "m1").put("channel", "Radio");
        lead(events, "L5", 5, 50, "m1").put("channel", "Radio");
        lead(events, "L6", 6, 15, "m1").put("channel", "Radio");
        lead(events, "L7", 7, 55, "m1").put("channel", "Radio");
        lead(events, "L8", 8, 0, "m1").put("channel", "Radio");
        lead(events, "L9", 9, 5, "m2").put("channel", "Radio");
        for (String id : new String[] {"6", "7", "8", "9"}) {
            events.addObject().put("eventId", "d" + id).put("type", "deal.created")
                    .put("occurredAt", "2026-02-05T10:00:00Z").put("dealId", "D" + id).put("leadId", "L" + id)
                    .put("pipeline", "sales").put("stage", "new");
        }
        events.addObject().put("eventId", "m8").put("type", "message.sent").put("occurredAt", "2026-01-08T11:00:00Z")
                .put("messageId", "M8").put("managerId", "m1").put("medium", "email").put("dealId", "D8");
        TestApi.ingest(ws, events.toString()).statusCode(200);
    }

    /** lead.created on 2026-01-day at 10:00 and, unless minutes is 0, a message on it minutes later. */
    private static ObjectNode lead(ArrayNode events, String id, int day, int minutes, String manager) {
        String date = "2026-01-%02d".formatted(day);
        if (minutes > 0) {
            events.addObject().put("eventId", "m-" + id).put("type", "message.sent")
                    .put("occurredAt", date + "T10:%02d:00Z".formatted(minutes)).put("messageId", "M-" + id)
                    .put("managerId", manager).put("medium", "email").put("leadId", id);
        }
        return events.addObject().put("eventId", "l-" + id).put("type", "lead.created")
                .put("occurredAt", date + "T10:00:00Z").put("leadId", id).put("managerId", manager);
    }

    private static void check(String to, String filter, String value, int leads, double median, double p90,
                              int unanswered) {
        var request = TestApi.given().auth().oauth2(ws.read()).queryParam("from", "2026-01-01").queryParam("to", to);
        if (filter != null) {
            request.queryParam(filter, value);
        }
        request.when().get("/api/v1/kpis").then().statusCode(200)
                .body("leads", equalTo(leads))
                .body("firstResponseMinutes.median", closeTo(median, 1e-9))
                .body("firstResponseMinutes.p90", closeTo(p90, 1e-9))
                .body("firstResponseMinutes.unanswered", equalTo(unanswered));
    }

    /**
     * Answered as of February 1: 5 (L9), 10, 15 (L6), 20, 30, 40, 50, 55 (L7); n = 8, the median
     * interpolates ranks 3 and 4 (from 0): (20 + 30) / 2 = 25; p90 is rank ceil(0.9 × 8) = 8 (from 1):
     * 55, one of the leads not in the index.
     */
    @Test
    void theLeadsWithLaterDealsMergeIntoTheRanks() {
        check("2026-02-01", null, null, 9, 25, 55, 1);
    }

    /**
     * m1 leaves out L9: 10, 15, 20, 30, 40, 50, 55; n = 7, median rank 3 = 30, p90 rank ceil(6.3) = 7: 55.
     * Radio leaves out L1 but keeps L2 (yandex is mapped to Radio): 5, 15, 20, 30, 40, 50, 55 → 30 and 55.
     * Web: only L1 → 10 and 10.
     */
    @Test
    void filtersNarrowTheRanks() {
        check("2026-02-01", "managerId", "m1", 8, 30, 55, 1);
        check("2026-02-01", "channel", "Radio", 8, 30, 55, 1);
        check("2026-02-01", "channel", "Web", 1, 10, 10, 0);
    }

    /** Per manager as of February 1: m1 (L1–L8) 10, 15, 20, 30, 40, 50, 55 → 30; m2 (L9) 5. */
    @Test
    void perManager() {
        TestApi.given().auth().oauth2(ws.read()).queryParam("from", "2026-01-01").queryParam("to", "2026-02-01")
                .when().get("/api/v1/managers").then().statusCode(200)
                .body("managers.managerId", org.hamcrest.Matchers.contains("m1", "m2"))
                .body("managers[0].medianFirstResponseMinutes", closeTo(30, 1e-9))
                .body("managers[1].medianFirstResponseMinutes", closeTo(5, 1e-9));
    }

    /**
     * As of March 1 every deal exists and L8 is answered by the message on D8 at 60 minutes: 5, 10, 15,
     * 20, 30, 40, 50, 55, 60; n = 9, median rank 4 = 30, p90 rank ceil(8.1) = 9: 60.
     */
    @Test
    void laterAllAreSettled() {
        check("2026-03-01", null, null, 9, 30, 60, 0);
    }
}
