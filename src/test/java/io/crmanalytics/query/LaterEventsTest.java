package io.crmanalytics.query;

import static io.crmanalytics.TestApi.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.crmanalytics.TestApi;
import io.crmanalytics.db.TestDatabase;
import io.crmanalytics.demo.DemoGenerator;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * "Events after to never change a report". A report reads a deal's or lead's derived state only when
 * none of its events is at or after to, and works the others out from the event log. Giving every deal
 * and lead of a fixture an event in 2030 moves all of them onto the event-log path: every report over
 * an earlier window must read byte for byte as before, while the exact figures asserted in the other
 * query tests hold on the derived path.
 */
@QuarkusTest
@QuarkusTestResource(TestDatabase.class)
class LaterEventsTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String[] PATHS = {"/api/v1/kpis", "/api/v1/funnel", "/api/v1/channels",
        "/api/v1/channels?groupBy=campaign", "/api/v1/managers", "/api/v1/lost-reasons", "/api/v1/service",
        "/api/v1/timeseries?metric=qualifiedShare&granularity=week"};

    @Test
    void smallCrm() {
        check(Fixtures.smallCrm(false), Fixtures.events("fixtures/small-crm.json"),
                new String[][]{{"2026-01-01", "2026-02-01"}, {"2025-12-01", "2026-01-10"}, {"2025-06-01", "2026-03-01"}});
    }

    @Test
    void funnelEdges() {
        check(FunnelFixture.load(false), Fixtures.events("fixtures/funnel-edges.json"),
                new String[][]{{"2026-03-01", "2026-04-01"}, {"2026-03-01", "2026-03-15"}});
    }

    @Test
    void managerEdges() {
        var ws = TestApi.newWorkspace("manager-edges");
        TestApi.ingest(ws, Fixtures.events("fixtures/manager-edges.json").toString()).statusCode(200);
        check(ws, Fixtures.events("fixtures/manager-edges.json"), new String[][]{{"2026-01-01", "2026-02-01"}});
    }

    /** Demo history (about 5,000 events of every type), sent shuffled in batches of 500. */
    @Test
    void demoHistory() {
        var generator = new DemoGenerator(3, 0.1, LocalDate.parse("2026-03-01"));
        var list = new ArrayList<JsonNode>();
        generator.forEachRemaining(list::add);
        Collections.shuffle(list, new Random(3));
        var ws = TestApi.newWorkspace("demo-history");
        var events = MAPPER.createArrayNode();
        for (int i = 0; i < list.size(); i += 500) {
            var batch = MAPPER.createArrayNode();
            list.subList(i, Math.min(i + 500, list.size())).forEach(batch::add);
            TestApi.ingest(ws, batch.toString()).statusCode(200);
            events.addAll(batch);
        }
        check(ws, events, new String[][]{{"2025-12-01", "2026-01-01"}, {"2025-10-01", "2026-02-15"}});
    }

    private static void check(TestApi.Keys ws, ArrayNode events, String[][] windows) {
        Map<String, String> before = reports(ws, windows);
        String reaching = get(ws, "/api/v1/kpis", "2026-01-01", "2031-01-01");
        TestApi.ingest(ws, laterEvents(events).toString()).statusCode(200);
        Map<String, String> after = reports(ws, windows);
        before.forEach((report, body) -> assertEquals(body, after.get(report), report));
        // the later events do count in a window that reaches them
        assertNotEquals(reaching, get(ws, "/api/v1/kpis", "2026-01-01", "2031-01-01"));
    }

    static Map<String, String> reports(TestApi.Keys ws, String[][] windows) {
        var reports = new LinkedHashMap<String, String>();
        for (String[] window : windows) {
            for (String path : PATHS) {
                reports.put(path + " " + window[0] + ".." + window[1], get(ws, path, window[0], window[1]));
            }
        }
        return reports;
    }

    private static String get(TestApi.Keys ws, String path, String from, String to) {
        return given().auth().oauth2(ws.read()).queryParam("from", from).queryParam("to", to)
                .queryParam("tz", "Europe/Moscow").when().get(path).then().statusCode(200).extract().asString();
    }

    /**
     * For every deal a reassignment, a stage change and a loss; for every lead a qualification and a new
     * deal naming it (which also answers it); all in 2030.
     */
    private static ArrayNode laterEvents(ArrayNode events) {
        var deals = new TreeSet<String>();
        var leads = new TreeSet<String>();
        events.forEach(e -> {
            if (e.hasNonNull("dealId")) {
                deals.add(e.get("dealId").asText());
            }
            if (e.hasNonNull("leadId")) {
                leads.add(e.get("leadId").asText());
            }
        });
        var later = MAPPER.createArrayNode();
        int n = 0;
        for (String deal : deals) {
            later.addObject().put("eventId", "later-" + n++).put("type", "deal.reassigned")
                    .put("occurredAt", "2030-01-01T00:00:00Z").put("dealId", deal).put("managerId", "later-manager");
            later.addObject().put("eventId", "later-" + n++).put("type", "deal.stage_changed")
                    .put("occurredAt", "2030-01-02T00:00:00Z").put("dealId", deal).put("toStage", "later-stage");
            later.addObject().put("eventId", "later-" + n++).put("type", "deal.lost")
                    .put("occurredAt", "2030-01-03T00:00:00Z").put("dealId", deal).put("lostReason", "later");
        }
        for (String lead : leads) {
            later.addObject().put("eventId", "later-" + n++).put("type", "lead.qualified")
                    .put("occurredAt", "2030-01-01T00:00:00Z").put("leadId", lead);
            later.addObject().put("eventId", "later-" + n++).put("type", "deal.created")
                    .put("occurredAt", "2030-01-01T00:00:00Z").put("dealId", "later-deal-" + lead)
                    .put("pipeline", "later").put("stage", "new").put("leadId", lead);
            later.addObject().put("eventId", "later-" + n++).put("type", "message.sent")
                    .put("occurredAt", "2030-01-02T00:00:00Z").put("messageId", "later-message-" + lead)
                    .put("managerId", "later-manager").put("medium", "email").put("dealId", "later-deal-" + lead);
        }
        return later;
    }
}
