package io.crmanalytics.ingest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.crmanalytics.TestApi;
import io.crmanalytics.db.TestDatabase;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import io.agroal.api.AgroalDataSource;
import java.util.ArrayList;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(TestDatabase.class)
class EventIngestTest {

    @Inject
    AgroalDataSource dataSource;

    TestApi.Keys ws;

    @BeforeEach
    void workspace() {
        ws = TestApi.newWorkspace("ingest-" + UUID.randomUUID());
    }

    @Test
    void storesOneEventWithItsFields() throws Exception {
        TestApi.ingest(ws, """
                {"eventId":"e1","type":"lead.created","occurredAt":"2026-01-31T22:30:00+03:00","source":"amocrm",
                 "leadId":"L1","channel":"Radio","utm":{"source":"yandex","medium":"cpc","campaign":"winter"},
                 "trackingNumber":"+74951234567","customerId":"C1","managerId":"M1","note":"kept"}""")
                .statusCode(200).body("accepted", equalTo(1)).body("duplicates", equalTo(0))
                .body("rejected", empty());
        assertEquals("e1|lead.created|2026-01-31 19:30:00+00|amocrm|L1|Radio|yandex|cpc|winter|+74951234567|C1|M1|"
                        + "{\"note\": \"kept\"}",
                row("""
                        select event_id||'|'||type||'|'||to_char(occurred_at at time zone 'UTC','YYYY-MM-DD HH24:MI:SS')||'+00|'
                          ||source||'|'||lead_id||'|'||channel||'|'||utm_source||'|'||utm_medium||'|'||utm_campaign||'|'
                          ||tracking_number||'|'||customer_id||'|'||manager_id||'|'||extra::text
                        from events where workspace_id = ?::uuid"""));
    }

    @Test
    void duplicatesWithinAndAcrossBatchesCountOnce() throws Exception {
        String event = """
                {"eventId":"dup","type":"payment.received","occurredAt":"2026-02-01T10:00:00Z",
                 "paymentId":"P1","amount":100.50,"customerId":"C1"}""";
        TestApi.ingest(ws, "[" + event + "," + event + "]")
                .statusCode(200).body("accepted", equalTo(1)).body("duplicates", equalTo(1));
        TestApi.ingest(ws, event).statusCode(200).body("accepted", equalTo(0)).body("duplicates", equalTo(1));
        assertEquals("1|100.50", row("select count(*)||'|'||max(amount) from events where workspace_id = ?::uuid"));
    }

    @Test
    void concurrentRequestsWithTheSameEventsStoreThemOnce() throws Exception {
        var batch = new StringBuilder("[");
        for (int i = 0; i < 200; i++) {
            batch.append(i == 0 ? "" : ",").append("""
                    {"eventId":"c%d","type":"site.visit","occurredAt":"2026-02-01T10:00:00Z","visitorId":"v%d"}"""
                    .formatted(i, i));
        }
        String body = batch.append("]").toString();
        var pool = Executors.newFixedThreadPool(8);
        var calls = new ArrayList<Callable<int[]>>();
        for (int i = 0; i < 8; i++) {
            calls.add(() -> {
                var response = given().auth().oauth2(ws.ingest()).contentType(ContentType.JSON).body(body)
                        .post("/api/v1/events").then().statusCode(200).extract();
                return new int[]{response.path("accepted"), response.path("duplicates")};
            });
        }
        int accepted = 0;
        int duplicates = 0;
        for (var f : pool.invokeAll(calls)) {
            accepted += f.get()[0];
            duplicates += f.get()[1];
        }
        pool.shutdown();
        // 8 requests × 200 events: each event stored by exactly one request, a duplicate in the 7 others
        assertEquals(200, accepted);
        assertEquals(1400, duplicates);
        assertEquals("200", row("select count(*) from events where workspace_id = ?::uuid"));
    }

    @Test
    void concurrentBatchesNamingTheSameManagersAndLeadsInAnyOrderAllCommit() throws Exception {
        var pool = Executors.newFixedThreadPool(8);
        var calls = new ArrayList<Callable<Integer>>();
        for (int r = 0; r < 8; r++) {
            var batch = new StringBuilder("[");
            for (int i = 0; i < 50; i++) {
                // request r names manager (i + 7r) mod 50 and lead (i + 3r) mod 50: every request locks the
                // same derived-state rows, each in its own order
                batch.append(i == 0 ? "" : ",").append("""
                        {"eventId":"r%d-%d","type":"lead.created","occurredAt":"2026-02-01T10:%02d:00Z",
                         "leadId":"L%d","managerId":"M%d"}""".formatted(r, i, r, (i + 3 * r) % 50, (i + 7 * r) % 50));
            }
            String body = batch.append("]").toString();
            calls.add(() -> given().auth().oauth2(ws.ingest()).contentType(ContentType.JSON).body(body)
                    .post("/api/v1/events").then().statusCode(200).extract().path("accepted"));
        }
        int accepted = 0;
        for (var f : pool.invokeAll(calls)) {
            accepted += f.get();
        }
        pool.shutdown();
        // 8 × 50 distinct eventIds; 50 leads, each created first by request 0 (minute :00), 50 managers
        assertEquals(400, accepted);
        assertEquals("50|50", row("""
                with w as (select ?::uuid as id)
                select (select count(*) from lead_facts, w where workspace_id = w.id)
                       || '|' || (select count(*) from manager_facts, w where workspace_id = w.id)"""));
    }

    @Test
    void mixedBatchStoresTheValidAndListsTheRest() {
        TestApi.ingest(ws, """
                [{"eventId":"ok1","type":"ticket.opened","occurredAt":"2026-02-01T10:00:00Z","ticketId":"T1","category":"complaint"},
                 {"eventId":"bad1","type":"ticket.rated","occurredAt":"2026-02-01T10:00:00Z","ticketId":"T1","rating":6},
                 {"eventId":"ok2","type":"ticket.rated","occurredAt":"2026-02-01T11:00:00Z","ticketId":"T1","rating":5},
                 42]""")
                .statusCode(200).body("accepted", equalTo(2)).body("duplicates", equalTo(0))
                .body("rejected.index", contains(1, 3))
                .body("rejected[0].eventId", equalTo("bad1"))
                .body("rejected[0].errors", contains("rating: must be an integer from 1 to 5"))
                .body("rejected[1].errors", contains("event: must be a JSON object"));
    }

    @Test
    void emptyArrayIsAcceptedAsNothing() {
        TestApi.ingest(ws, "[]").statusCode(200).body("accepted", equalTo(0)).body("rejected", empty());
    }

    @Test
    void notJsonIs400AndStoresNothing() throws Exception {
        TestApi.ingest(ws, "[{\"eventId\":\"x\",").statusCode(400)
                .contentType("application/problem+json").body("status", equalTo(400));
        assertEquals("0", row("select count(*) from events where workspace_id = ?::uuid"));
    }

    @Test
    void wrongContentTypeIs415() {
        given().auth().oauth2(ws.ingest()).contentType(ContentType.TEXT).body("{}")
                .when().post("/api/v1/events")
                .then().statusCode(415).contentType("application/problem+json").body("status", equalTo(415));
    }

    @Test
    void tooManyEventsIs413() {
        var batch = new StringBuilder("[");
        for (int i = 0; i <= 5000; i++) {
            batch.append(i == 0 ? "" : ",").append("{}");
        }
        TestApi.ingest(ws, batch.append("]").toString()).statusCode(413)
                .contentType("application/problem+json").body("detail", equalTo("The batch has 5001 events; the limit is 5000"));
    }

    @Test
    void tooManyBytesIs413() {
        String padding = "x".repeat(5 * 1024 * 1024);
        TestApi.ingest(ws, "{\"eventId\":\"big\",\"pad\":\"" + padding + "\"}").statusCode(413)
                .contentType("application/problem+json");
    }

    @Test
    void eventsAreWrittenOnlyIntoTheKeysWorkspace() throws Exception {
        var other = TestApi.newWorkspace("other-" + UUID.randomUUID());
        String event = """
                {"eventId":"same-id","type":"site.visit","occurredAt":"2026-02-01T10:00:00Z","visitorId":"v1"}""";
        TestApi.ingest(ws, event).body("accepted", equalTo(1));
        // the same eventId in another workspace is a different event, not a duplicate
        TestApi.ingest(other, event).body("accepted", equalTo(1));
        assertEquals("1", row("select count(*) from events where workspace_id = ?::uuid"));
    }

    @Test
    void aMoneyEventInAnotherCurrencyThanTheWorkspacesIsRejected() {
        TestApi.ingest(ws, """
                [{"eventId":"m1","type":"marketing.spend","occurredAt":"2026-02-01T00:00:00Z","channel":"Ads","amount":10,"currency":"RUB"},
                 {"eventId":"m2","type":"marketing.spend","occurredAt":"2026-02-01T00:00:00Z","channel":"Ads","amount":10,"currency":"USD"}]""")
                .statusCode(200).body("accepted", equalTo(1))
                .body("rejected[0].eventId", equalTo("m2"))
                .body("rejected[0].errors", hasItem("currency: must be the workspace currency RUB; conversion is not supported yet"));
    }

    private String row(String sql) throws Exception {
        try (var c = dataSource.getConnection(); var st = c.prepareStatement(sql)) {
            st.setString(1, ws.id());
            try (var rs = st.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }
}
