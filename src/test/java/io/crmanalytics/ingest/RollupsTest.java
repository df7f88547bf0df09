package io.crmanalytics.ingest;

import static io.crmanalytics.TestApi.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agroal.api.AgroalDataSource;
import io.crmanalytics.TestApi;
import io.crmanalytics.db.TestDatabase;
import io.crmanalytics.demo.DemoGenerator;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The daily rollups change no figure: reports read with every day dirty (all from the facts), with
 * every day summed (whole UTC days and months from the rollups) and with some days dirty again after late
 * events (their months read by day) must be byte-identical, for windows in several zones, aligned to UTC
 * days or not, and inside one day.
 */
@QuarkusTest
@QuarkusTestResource(TestDatabase.class)
class RollupsTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String[] PATHS = {"/api/v1/kpis", "/api/v1/managers", "/api/v1/kpis?compare=previous",
        "/api/v1/channels", "/api/v1/channels?groupBy=campaign&managerId=Иван Петров",
        "/api/v1/kpis?channel=Yandex Direct&channel=Radio", "/api/v1/kpis?managerId=Мария Смирнова",
        "/api/v1/lost-reasons", "/api/v1/lost-reasons?pipeline=b2b", "/api/v1/managers?channel=Yandex Direct",
        "/api/v1/service", "/api/v1/funnel", "/api/v1/funnel?pipeline=b2b&stallDays=3",
        "/api/v1/funnel?managerId=Мария Смирнова", "/api/v1/timeseries?metric=leads&granularity=week",
        "/api/v1/timeseries?metric=costPerLead&granularity=month&channel=Yandex Direct",
        "/api/v1/timeseries?metric=visitToLeadRate&granularity=day&managerId=Иван Петров"};
    // from, to, tz: UTC-aligned; Moscow (from at 21:00Z); Kolkata (+05:30); from mid-day; within one day
    private static final String[][] WINDOWS = {{"2025-09-01", "2026-03-01", "UTC"},
        {"2025-12-01", "2026-01-01", "Europe/Moscow"}, {"2025-11-03", "2026-02-17", "Asia/Kolkata"},
        {"2025-10-10T13:45:00Z", "2026-01-20T06:00:00Z", "UTC"}, {"2026-01-05T10:00:00Z", "2026-01-05T20:00:00Z", "UTC"}};

    @Inject
    RollupCompactor compactor;

    @Inject
    AgroalDataSource dataSource;

    @Test
    void rollupsGiveTheFiguresOfTheFacts() throws Exception {
        List<JsonNode> history = history();
        ArrayNode late = lateEvents(history);

        // all from the facts: a workspace whose days are never summed
        var facts = TestApi.newWorkspace("rollups-facts");
        ingest(facts, history);
        ingest(facts, late);
        Map<String, String> expected = reports(facts);

        var rolled = TestApi.newWorkspace("rollups-summed");
        ingest(rolled, history);
        int days = compactor.compact(UUID.fromString(rolled.id()));
        assertTrue(days > 150, "days summed: " + days);
        ingest(rolled, late);
        // the days the late events changed are dirty again, the others read from the rollups
        assertEquals(expected, reports(rolled));
        assertTrue(compactor.compact(UUID.fromString(rolled.id())) > 0);
        assertEquals(expected, reports(rolled));
        assertEquals(0, compactor.compact(UUID.fromString(rolled.id())));
    }

    /**
     * The day-marking triggers let a workspace with facts of every rollup go (deleted by hand: there is
     * no endpoint for it).
     */
    @Test
    void aWorkspaceWithFactsCanBeDeleted() throws Exception {
        var ws = TestApi.newWorkspace("rollups-deleted");
        TestApi.ingest(ws, """
                [{"eventId": "c1", "type": "call.logged", "occurredAt": "2026-01-05T10:00:00Z", "callId": "C1",
                  "managerId": "m1", "direction": "out", "answered": true, "durationSec": 60},
                 {"eventId": "v1", "type": "site.visit", "occurredAt": "2026-01-05T11:00:00Z", "visitorId": "V1"},
                 {"eventId": "l1", "type": "lead.created", "occurredAt": "2026-01-05T09:00:00Z", "leadId": "L1"},
                 {"eventId": "d1", "type": "deal.created", "occurredAt": "2026-01-05T09:30:00Z", "dealId": "D1",
                  "leadId": "L1", "pipeline": "sales", "stage": "new"},
                 {"eventId": "d2", "type": "deal.won", "occurredAt": "2026-01-06T09:30:00Z", "dealId": "D1",
                  "amount": 100},
                 {"eventId": "t1", "type": "task.created", "occurredAt": "2026-01-05T09:00:00Z", "taskId": "T1",
                  "managerId": "m1"},
                 {"eventId": "t2", "type": "task.completed", "occurredAt": "2026-01-05T10:00:00Z", "taskId": "T1"},
                 {"eventId": "k1", "type": "ticket.opened", "occurredAt": "2026-01-05T09:00:00Z", "ticketId": "K1",
                  "category": "question"},
                 {"eventId": "k2", "type": "ticket.rated", "occurredAt": "2026-01-06T09:00:00Z", "ticketId": "K1",
                  "rating": 5}]
                """).statusCode(200);
        try (var c = dataSource.getConnection();
             var delete = c.prepareStatement("delete from workspaces where id = ?");
             var dirty = c.prepareStatement("select count(*) from rollup_dirty where workspace_id = ?")) {
            delete.setObject(1, UUID.fromString(ws.id()));
            assertEquals(1, delete.executeUpdate());
            dirty.setObject(1, UUID.fromString(ws.id()));
            try (var rs = dirty.executeQuery()) {
                rs.next();
                assertEquals(0, rs.getLong(1));
            }
        }
    }

    /** Demo history (seed 5, ~5,000 events of every type), shuffled. */
    private static List<JsonNode> history() {
        var list = new ArrayList<JsonNode>();
        new DemoGenerator(5, 0.1, LocalDate.parse("2026-03-01")).forEachRemaining(list::add);
        Collections.shuffle(list, new Random(5));
        return list;
    }

    /**
     * Changes of facts on days already summed, each an event again under a new eventId at another time:
     * every 10th call two days earlier (its earlier copy replaces it, moving it to another day), every
     * 10th lead.created one day earlier (the lead moves to another day) and task.completed one day
     * earlier (the task too), every 10th lead.qualified three days later (the lead's status changes
     * later, so more windows read it as of their end), every 10th deal.won and deal.lost two days and 30
     * hours later (the outcome moves to another day, and across some windows' ends), and for every 10th
     * visit a visit of the same
     * visitor one hour earlier (which changes the previous visit of the next one).
     */
    private static ArrayNode lateEvents(List<JsonNode> history) {
        var late = MAPPER.createArrayNode();
        var seen = new LinkedHashMap<String, Integer>();
        Map<String, Long> shift = Map.of("call.logged", -48L, "site.visit", -1L, "lead.created", -24L,
                "task.completed", -24L, "lead.qualified", 72L, "deal.won", 48L, "deal.lost", 30L);
        for (var event : history) {
            String type = event.get("type").asText();
            if (shift.containsKey(type) && seen.merge(type, 1, Integer::sum) % 10 == 1) {
                Instant at = Instant.parse(event.get("occurredAt").asText());
                ((ObjectNode) late.add(event.deepCopy()).get(late.size() - 1))
                        .put("eventId", "late-" + event.get("eventId").asText())
                        .put("occurredAt", at.plus(shift.get(type), ChronoUnit.HOURS).toString());
            }
        }
        // every deal with an outcome is reassigned ten days after it: a window ending in between reads it
        // from its events, not from its rollup share
        for (var event : history) {
            String type = event.get("type").asText();
            if (type.equals("deal.won") || type.equals("deal.lost")) {
                Instant at = Instant.parse(event.get("occurredAt").asText());
                late.addObject().put("eventId", "reassigned-" + event.get("eventId").asText())
                        .put("type", "deal.reassigned").put("occurredAt", at.plus(10, ChronoUnit.DAYS).toString())
                        .put("dealId", event.get("dealId").asText()).put("managerId", "Анна Морозова");
            }
        }
        // every 3rd rating again for a ticket resolved a day after it and opened (as a complaint) five days
        // after it: a window ending in between counts that rating only overall, and not the resolution
        int ratings = 0;
        for (var event : history) {
            if (event.get("type").asText().equals("ticket.rated") && ratings++ % 3 == 0) {
                Instant at = Instant.parse(event.get("occurredAt").asText());
                String ticket = "late-" + event.get("ticketId").asText();
                ((ObjectNode) late.add(event.deepCopy()).get(late.size() - 1))
                        .put("eventId", "late-" + event.get("eventId").asText()).put("ticketId", ticket);
                late.addObject().put("eventId", "opened-" + event.get("eventId").asText()).put("type", "ticket.opened")
                        .put("occurredAt", at.plus(5, ChronoUnit.DAYS).toString()).put("ticketId", ticket)
                        .put("category", "complaint");
                late.addObject().put("eventId", "resolved-" + event.get("eventId").asText())
                        .put("type", "ticket.resolved").put("occurredAt", at.plus(1, ChronoUnit.DAYS).toString())
                        .put("ticketId", ticket);
            }
        }
        assertTrue(ratings > 30, "ratings: " + ratings);
        // every 5th payment again, without its deal, by a new customer whose first lead (VK Ads) is created
        // three days after it: a window ending in between attributes it to 'unknown'
        int payments = 0;
        for (var event : history) {
            if (event.get("type").asText().equals("payment.received") && payments++ % 5 == 0) {
                Instant at = Instant.parse(event.get("occurredAt").asText());
                String customer = "late-" + event.get("eventId").asText();
                ObjectNode copy = ((ObjectNode) late.add(event.deepCopy()).get(late.size() - 1))
                        .put("eventId", "late-" + event.get("eventId").asText())
                        .put("paymentId", "late-" + event.get("paymentId").asText()).put("customerId", customer);
                copy.remove("dealId");
                late.addObject().put("eventId", "lead-" + event.get("eventId").asText()).put("type", "lead.created")
                        .put("occurredAt", at.plus(3, ChronoUnit.DAYS).toString()).put("leadId", customer)
                        .put("customerId", customer).put("channel", "VK Ads");
            }
        }
        assertTrue(payments > 30, "payments: " + payments);
        for (String type : shift.keySet()) {
            assertTrue(seen.getOrDefault(type, 0) > 20, type + ": " + seen.get(type));
        }
        return late;
    }

    private static void ingest(TestApi.Keys ws, Iterable<JsonNode> events) {
        var batch = MAPPER.createArrayNode();
        for (var event : events) {
            batch.add(event);
            if (batch.size() == 500) {
                TestApi.ingest(ws, batch.toString()).statusCode(200);
                batch = MAPPER.createArrayNode();
            }
        }
        if (!batch.isEmpty()) {
            TestApi.ingest(ws, batch.toString()).statusCode(200);
        }
    }

    private static Map<String, String> reports(TestApi.Keys ws) {
        var reports = new LinkedHashMap<String, String>();
        for (String[] window : WINDOWS) {
            for (String path : PATHS) {
                reports.put(path + " " + String.join(" ", window), given().auth().oauth2(ws.read())
                        .queryParam("from", window[0]).queryParam("to", window[1]).queryParam("tz", window[2])
                        .when().get(path).then().statusCode(200).extract().asString());
            }
        }
        return reports;
    }
}
