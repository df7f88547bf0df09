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

    /**
     * A payment's channel and whether it is its customer's first follow leads, deals and earlier payments
     * that arrive after it. C1: leads L0 (01-03, Web) and L1 (01-05, Radio), payments P1 (01-10, 100, no
     * deal) and P3 (01-20, 50, no deal), both attributed to C1's first lead L0 → Web 150. C2: leads L3
     * (01-02, Radio) and L2 (01-04, TV), deal D2 of L2, payment P2 (01-11, 200) on D2 → its deal's lead,
     * TV 200, not C2's first lead. First payments: P1 (C1) and P2 (C2) → 2 new customers, revenue 350.
     * Then an earlier copy of P1 (01-09, customer C3, no lead) arrives: P1 becomes C3's, unknown 100, and
     * P3 becomes C1's first payment → Web 50, TV 200, unknown 100, 3 new customers.
     */
    @Test
    void aPaymentFollowsTheLeadsDealsAndPaymentsThatArriveAfterIt() {
        var l0 = event("p-l0", "lead.created", "2026-01-03T09:00:00Z").put("leadId", "L0").put("customerId", "C1")
                .put("channel", "Web");
        var l1 = event("p-l1", "lead.created", "2026-01-05T09:00:00Z").put("leadId", "L1").put("customerId", "C1")
                .put("channel", "Radio");
        var l3 = event("p-l3", "lead.created", "2026-01-02T09:00:00Z").put("leadId", "L3").put("customerId", "C2")
                .put("channel", "Radio");
        var l2 = event("p-l2", "lead.created", "2026-01-04T09:00:00Z").put("leadId", "L2").put("customerId", "C2")
                .put("channel", "TV");
        var d2 = event("p-d2", "deal.created", "2026-01-06T09:00:00Z").put("dealId", "D2").put("pipeline", "sales")
                .put("stage", "new").put("leadId", "L2").put("customerId", "C2");
        var p1 = payment("p-p1", "2026-01-10T09:00:00Z", "P1", "C1", "100.00");
        var p2 = payment("p-p2", "2026-01-11T09:00:00Z", "P2", "C2", "200.00").put("dealId", "D2");
        var p3 = payment("p-p3", "2026-01-20T09:00:00Z", "P3", "C1", "50.00");
        var p1Earlier = payment("p-p1-earlier", "2026-01-09T09:00:00Z", "P1", "C3", "100.00");
        var inOrder = List.<JsonNode>of(l3, l0, l2, l1, d2, p1, p2, p3);
        var paymentsFirst = List.<JsonNode>of(p3, p2, p1, d2, l1, l2, l0, l3);
        var firstLeadLast = List.<JsonNode>of(l1, p1, p3, p2, l2, d2, l3, l0);
        var dealLast = List.<JsonNode>of(l3, l0, l1, l2, p1, p3, p2, d2);
        for (var order : List.of(inOrder, paymentsFirst, firstLeadLast, dealLast)) {
            var ws = TestApi.newWorkspace("payment-order");
            order.forEach(event -> TestApi.ingest(ws, event.toString()).statusCode(200));
            checkPayments(ws, Map.of("Web", 150.0, "TV", 200.0), 2);
            TestApi.ingest(ws, p1Earlier.toString()).statusCode(200);
            checkPayments(ws, Map.of("Web", 50.0, "TV", 200.0, "unknown", 100.0), 3);
        }
    }

    private static void checkPayments(TestApi.Keys ws, Map<String, Double> revenueByChannel, int newCustomers) {
        double revenue = revenueByChannel.values().stream().mapToDouble(Double::doubleValue).sum();
        TestApi.given().auth().oauth2(ws.read()).queryParam("from", "2026-01-01").queryParam("to", "2026-02-01")
                .when().get("/api/v1/kpis").then().statusCode(200)
                .body("revenue", org.hamcrest.Matchers.closeTo(revenue, 1e-9))
                .body("newCustomers", org.hamcrest.Matchers.equalTo(newCustomers));
        List<Map<String, Object>> channels = TestApi.given().auth().oauth2(ws.read())
                .queryParam("from", "2026-01-01").queryParam("to", "2026-02-01")
                .when().get("/api/v1/channels").then().statusCode(200).extract().jsonPath().getList("channels");
        var actual = new java.util.TreeMap<String, Double>();
        channels.stream().filter(c -> ((Number) c.get("revenue")).doubleValue() != 0)
                .forEach(c -> actual.put((String) c.get("channel"), ((Number) c.get("revenue")).doubleValue()));
        assertEquals(new java.util.TreeMap<>(revenueByChannel), actual);
    }

    private static com.fasterxml.jackson.databind.node.ObjectNode event(String id, String type, String at) {
        return MAPPER.createObjectNode().put("eventId", id).put("type", type).put("occurredAt", at);
    }

    private static com.fasterxml.jackson.databind.node.ObjectNode payment(String id, String at, String paymentId,
                                                                          String customer, String amount) {
        return event(id, "payment.received", at).put("paymentId", paymentId).put("customerId", customer)
                .put("amount", new java.math.BigDecimal(amount));
    }

    private static void send(TestApi.Keys ws, List<JsonNode> events) {
        for (int i = 0; i < events.size(); i += 300) {
            var batch = MAPPER.createArrayNode();
            events.subList(i, Math.min(i + 300, events.size())).forEach(batch::add);
            TestApi.ingest(ws, batch.toString()).statusCode(200);
        }
    }
}
