package io.crmanalytics.query;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.crmanalytics.TestApi;
import io.crmanalytics.db.TestDatabase;
import io.crmanalytics.demo.DemoGenerator;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * "The numbers depend only on the events, never on their arrival order": a demo history (about 7,000
 * events of every type) sent in order, and sent shuffled with a third of it sent twice, in batches of
 * 300, gives identical reports on every endpoint.
 */
@QuarkusTest
@QuarkusTestResource(TestDatabase.class)
class ArrivalOrderTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void shuffledAndDuplicatedDemoHistoryReadsTheSame() {
        var events = new ArrayList<JsonNode>();
        new DemoGenerator(5, 0.1, LocalDate.parse("2026-03-01")).forEachRemaining(events::add);
        var inOrder = TestApi.newWorkspace("in-order");
        send(inOrder, events);
        var shuffled = new ArrayList<>(events);
        Collections.shuffle(shuffled, new Random(5));
        shuffled.addAll(shuffled.subList(0, shuffled.size() / 3));
        Collections.shuffle(shuffled, new Random(6));
        var late = TestApi.newWorkspace("shuffled");
        send(late, shuffled);
        String[][] windows = {{"2025-11-01", "2025-12-01"}, {"2025-09-15", "2026-03-01"}};
        Map<String, String> expected = LaterEventsTest.reports(inOrder, windows);
        Map<String, String> actual = LaterEventsTest.reports(late, windows);
        expected.forEach((report, body) -> assertEquals(body, actual.get(report), report));
    }

    /**
     * A message naming only the lead's deal answers the lead, whichever of lead, deal and message arrives
     * last: L1 created 10:00, its deal D1 10:10, the message on D1 10:30 → 30 minutes, none unanswered.
     */
    @Test
    void aResponseOnTheDealAnswersTheLeadWhateverArrivesLast() {
        var lead = MAPPER.createObjectNode().put("eventId", "r-lead").put("type", "lead.created")
                .put("occurredAt", "2026-01-05T10:00:00Z").put("leadId", "L1");
        var deal = MAPPER.createObjectNode().put("eventId", "r-deal").put("type", "deal.created")
                .put("occurredAt", "2026-01-05T10:10:00Z").put("dealId", "D1").put("pipeline", "sales")
                .put("stage", "new").put("leadId", "L1");
        var message = MAPPER.createObjectNode().put("eventId", "r-message").put("type", "message.sent")
                .put("occurredAt", "2026-01-05T10:30:00Z").put("messageId", "M1").put("managerId", "m1")
                .put("medium", "email").put("dealId", "D1");
        for (var order : List.of(List.<JsonNode>of(lead, deal, message), List.<JsonNode>of(message, deal, lead),
                List.<JsonNode>of(deal, message, lead), List.<JsonNode>of(lead, message, deal))) {
            var ws = TestApi.newWorkspace("response-order");
            order.forEach(event -> TestApi.ingest(ws, event.toString()).statusCode(200));
            io.crmanalytics.TestApi.given().auth().oauth2(ws.read()).queryParam("from", "2026-01-01")
                    .queryParam("to", "2026-02-01").when().get("/api/v1/kpis").then().statusCode(200)
                    .body("firstResponseMinutes.median", org.hamcrest.Matchers.equalTo(30.0))
                    .body("firstResponseMinutes.unanswered", org.hamcrest.Matchers.equalTo(0));
        }
    }

    private static void send(TestApi.Keys ws, List<JsonNode> events) {
        for (int i = 0; i < events.size(); i += 300) {
            var batch = MAPPER.createArrayNode();
            events.subList(i, Math.min(i + 300, events.size())).forEach(batch::add);
            TestApi.ingest(ws, batch.toString()).statusCode(200);
        }
    }
}
