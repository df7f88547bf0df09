package io.crmanalytics.query;

import static io.crmanalytics.TestApi.given;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.crmanalytics.TestApi;
import io.crmanalytics.db.TestDatabase;
import io.crmanalytics.ingest.RollupCompactor;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Distinct visitors behind visitToLeadRate (leads / distinct visitorIds of the window's visits), with
 * visitors who came before the window, twice at the same instant, and visits arriving out of order.
 * Six leads on 2026-01-15 make the rate 6 / visitors.
 *
 * <pre>
 * A: 2025-12-31T23:00Z (1 January in Moscow), 2026-01-02T10:00Z, 2026-01-03T10:00Z
 * B: 2026-01-05T10:00Z twice (two eventIds)
 * C: 2026-01-10T10:00Z, 2026-02-01T00:00Z (the end of January: outside it)
 * D: 2026-02-05T10:00Z
 * </pre>
 */
@QuarkusTest
@QuarkusTestResource(TestDatabase.class)
class VisitorsTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static final String[][] VISITS = {
        {"v-a3", "A", "2026-01-03T10:00:00Z"}, {"v-c1", "C", "2026-01-10T10:00:00Z"},
        {"v-a1", "A", "2025-12-31T23:00:00Z"}, {"v-b1", "B", "2026-01-05T10:00:00Z"},
        {"v-d1", "D", "2026-02-05T10:00:00Z"}, {"v-a2", "A", "2026-01-02T10:00:00Z"},
        {"v-c2", "C", "2026-02-01T00:00:00Z"}, {"v-b2", "B", "2026-01-05T10:00:00Z"}};

    @Inject
    RollupCompactor compactor;

    @Test
    void visitorsCountOnceAtTheirFirstVisitInTheWindow() throws Exception {
        for (boolean oneByOne : new boolean[]{false, true}) {
            var ws = TestApi.newWorkspace("visitors");
            ArrayNode events = events();
            if (oneByOne) {
                // each visit alone and in the listed order: A's earlier visits arrive after its latest
                events.forEach(e -> TestApi.ingest(ws, e.toString()).statusCode(200));
            } else {
                TestApi.ingest(ws, events.toString()).statusCode(200);
            }
            checkFigures(ws);
            // the same with the whole UTC days summed into the daily rollup (then read from it)
            compactor.compact(UUID.fromString(ws.id()));
            checkFigures(ws);
        }
    }

    private static void checkFigures(TestApi.Keys ws) {
        // January UTC: A (01-02, 01-03), B twice, C (01-10) → 5 visits by A, B, C
        rate(ws, "2026-01-01", "2026-02-01", "UTC").body("visits", equalTo(5))
                .body("visitToLeadRate", closeTo(6 / 3.0, 1e-9));
        // from just after A's last visit: B twice, C → 3 visits by B, C
        rate(ws, "2026-01-03T10:00:01Z", "2026-02-01", "UTC").body("visits", equalTo(3))
                .body("visitToLeadRate", closeTo(6 / 2.0, 1e-9));
        // January in Moscow (from 2025-12-31T21:00Z): A's visit at 23:00Z counts too → 6 visits, still 3 visitors
        rate(ws, "2026-01-01", "2026-02-01", "Europe/Moscow").body("visits", equalTo(6))
                .body("visitToLeadRate", closeTo(6 / 3.0, 1e-9));
        // from 2026-01-02T12:00Z: A's 01-03 visit (previous on 01-02 at 10:00, before from: summed, a first
        // visit the rollup's previous-visit day cannot tell), B twice, C → 4 visits by A, B, C
        rate(ws, "2026-01-02T12:00:00Z", "2026-02-01", "UTC").body("visits", equalTo(4))
                .body("visitToLeadRate", closeTo(6 / 3.0, 1e-9));
    }

    private static io.restassured.response.ValidatableResponse rate(TestApi.Keys ws, String from, String to, String tz) {
        return given().auth().oauth2(ws.read()).queryParam("from", from).queryParam("to", to).queryParam("tz", tz)
                .when().get("/api/v1/kpis").then().statusCode(200).body("leads", equalTo(6));
    }

    private static ArrayNode events() {
        var events = MAPPER.createArrayNode();
        for (String[] visit : VISITS) {
            events.addObject().put("eventId", visit[0]).put("type", "site.visit").put("occurredAt", visit[2])
                    .put("visitorId", visit[1]);
        }
        for (int i = 1; i <= 6; i++) {
            events.addObject().put("eventId", "lead-" + i).put("type", "lead.created")
                    .put("occurredAt", "2026-01-15T12:00:00Z").put("leadId", "L" + i);
        }
        return events;
    }
}
