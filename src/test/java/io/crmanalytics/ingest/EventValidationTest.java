package io.crmanalytics.ingest;

import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.agroal.api.AgroalDataSource;
import io.crmanalytics.TestApi;
import io.crmanalytics.db.TestDatabase;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every event type accepted into its typed columns, and every field rule rejected with its message. */
@QuarkusTest
@QuarkusTestResource(TestDatabase.class)
class EventValidationTest {

    private static final String INSTANT_RULE = "must be an ISO-8601 instant with offset, e.g. 2026-01-31T22:30:00Z";
    private static final String MONEY_RANGE = "amount: must be at least 0 and below 10^13";

    @Inject
    AgroalDataSource dataSource;

    TestApi.Keys ws;

    @BeforeEach
    void workspace() {
        ws = TestApi.newWorkspace("validation-" + UUID.randomUUID());
    }

    /** One valid event of each type (fields after the envelope) and the non-null columns it must fill. */
    static Stream<Arguments> validEvents() {
        return Stream.of(
                Arguments.of("lead.created", """
                        "source":"amocrm","leadId":"L1","channel":"Radio","campaign":"spring",
                        "utm":{"source":"yandex","medium":"cpc","campaign":"brand"},"trackingNumber":"+74951234567",
                        "customerId":"C1","managerId":"M1\"""",
                        "source=amocrm lead_id=L1 customer_id=C1 manager_id=M1 channel=Radio campaign=spring "
                                + "utm_source=yandex utm_medium=cpc utm_campaign=brand tracking_number=+74951234567"),
                Arguments.of("lead.qualified", "\"leadId\":\"L1\",\"reason\":\"budget confirmed\"",
                        "lead_id=L1 reason=budget confirmed"),
                Arguments.of("lead.disqualified", "\"leadId\":\"L2\",\"reason\":\"spam\"", "lead_id=L2 reason=spam"),
                Arguments.of("deal.created", """
                        "dealId":"D1","pipeline":"sales","stage":"new","leadId":"L1","customerId":"C1",
                        "managerId":"M1","amount":1500.5""",
                        "lead_id=L1 deal_id=D1 customer_id=C1 manager_id=M1 pipeline=sales stage=new amount=1500.50"),
                Arguments.of("deal.stage_changed", """
                        "dealId":"D1","pipeline":"sales","toStage":"proposal","fromStage":"new","managerId":"M2\"""",
                        "deal_id=D1 manager_id=M2 pipeline=sales stage=proposal from_stage=new"),
                Arguments.of("deal.won", "\"dealId\":\"D1\",\"amount\":0", "deal_id=D1 amount=0.00"),
                Arguments.of("deal.lost", "\"dealId\":\"D2\",\"lostReason\":\"too expensive\"",
                        "deal_id=D2 reason=too expensive"),
                Arguments.of("deal.reassigned", "\"dealId\":\"D1\",\"managerId\":\"M3\"", "deal_id=D1 manager_id=M3"),
                Arguments.of("payment.received", """
                        "paymentId":"P1","amount":9999999999999.99,"customerId":"C1","dealId":"D1","currency":"RUB\"""",
                        "deal_id=D1 customer_id=C1 subject_id=P1 amount=9999999999999.99 currency=RUB"),
                Arguments.of("call.logged", """
                        "callId":"K1","direction":"out","answered":true,"durationSec":95,"managerId":"M1",
                        "leadId":"L1","dealId":"D1","trackingNumber":"+74951234567\"""",
                        "lead_id=L1 deal_id=D1 manager_id=M1 subject_id=K1 tracking_number=+74951234567 "
                                + "direction=out answered=true duration_sec=95"),
                Arguments.of("meeting.logged", "\"meetingId\":\"MT1\",\"managerId\":\"M1\",\"leadId\":\"L1\",\"dealId\":\"D1\"",
                        "lead_id=L1 deal_id=D1 manager_id=M1 subject_id=MT1"),
                Arguments.of("message.sent", """
                        "messageId":"MS1","managerId":"M1","medium":"email","leadId":"L1","dealId":"D1\"""",
                        "lead_id=L1 deal_id=D1 manager_id=M1 subject_id=MS1 medium=email"),
                Arguments.of("task.created", """
                        "taskId":"T1","managerId":"M1","dueAt":"2026-03-02T18:00:00+03:00","dealId":"D1\"""",
                        "deal_id=D1 manager_id=M1 subject_id=T1 due_at=2026-03-02T15:00:00Z"),
                Arguments.of("task.completed", "\"taskId\":\"T1\"", "subject_id=T1"),
                Arguments.of("ticket.opened", """
                        "ticketId":"TK1","customerId":"C1","category":"complaint","managerId":"M4\"""",
                        "customer_id=C1 manager_id=M4 subject_id=TK1 category=complaint"),
                Arguments.of("ticket.resolved", "\"ticketId\":\"TK1\"", "subject_id=TK1"),
                Arguments.of("ticket.rated", "\"ticketId\":\"TK1\",\"rating\":4", "subject_id=TK1 rating=4"),
                Arguments.of("marketing.spend", "\"channel\":\"Yandex Direct\",\"campaign\":\"spring\",\"amount\":1200",
                        "amount=1200.00 channel=Yandex Direct campaign=spring"),
                Arguments.of("site.visit", """
                        "visitorId":"V1","channel":"Organic","utm":{"source":"google"},"leadId":"L1","page":"/pricing\"""",
                        "lead_id=L1 subject_id=V1 channel=Organic utm_source=google extra={\"page\": \"/pricing\"}"));
    }

    @Test
    void everyTypeHasAValidExample() {
        var covered = validEvents().map(a -> a.get()[0]).collect(Collectors.toSet());
        assertEquals(Arrays.stream(EventType.values()).map(t -> t.wireName).collect(Collectors.toSet()), covered);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validEvents")
    void validEventIsStoredInItsColumns(String type, String fields, String columns) throws Exception {
        TestApi.ingest(ws, "{\"eventId\":\"ok\",\"type\":\"" + type
                        + "\",\"occurredAt\":\"2026-03-01T10:00:00+03:00\"," + fields + "}")
                .statusCode(200).body("accepted", equalTo(1)).body("rejected", empty());
        assertEquals("type=" + type + " occurred_at=2026-03-01T07:00:00Z " + columns, storedColumns("ok"));
    }

    static Stream<Arguments> invalidEvents() {
        String visit = "\"type\":\"site.visit\",\"occurredAt\":\"2026-02-01T10:00:00Z\",\"visitorId\":\"v1\"";
        String spend = "\"eventId\":\"e\",\"type\":\"marketing.spend\",\"occurredAt\":\"2026-02-01T00:00:00Z\","
                + "\"channel\":\"Ads\",\"amount\":";
        String call = "\"eventId\":\"e\",\"type\":\"call.logged\",\"occurredAt\":\"2026-02-01T10:00:00Z\","
                + "\"callId\":\"K1\",";
        return Stream.of(
                Arguments.of("missing eventId", "{" + visit + "}", "eventId: is required"),
                Arguments.of("empty eventId", "{\"eventId\":\"\"," + visit + "}", "eventId: must be a non-empty string"),
                Arguments.of("eventId over 128 characters", "{\"eventId\":\"" + "x".repeat(129) + "\"," + visit + "}",
                        "eventId: must be at most 128 characters"),
                Arguments.of("missing type", "{\"eventId\":\"e\",\"occurredAt\":\"2026-02-01T10:00:00Z\"}",
                        "type: is required"),
                Arguments.of("unknown type", "{\"eventId\":\"e\",\"type\":\"lead.deleted\",\"occurredAt\":\"2026-02-01T10:00:00Z\"}",
                        "type: must be one of " + EventType.wireNames()),
                Arguments.of("missing occurredAt", "{\"eventId\":\"e\",\"type\":\"task.completed\",\"taskId\":\"T1\"}",
                        "occurredAt: is required"),
                Arguments.of("occurredAt without offset",
                        "{\"eventId\":\"e\",\"type\":\"task.completed\",\"occurredAt\":\"2026-01-01T10:00:00\",\"taskId\":\"T1\"}",
                        "occurredAt: " + INSTANT_RULE),
                Arguments.of("occurredAt a date only",
                        "{\"eventId\":\"e\",\"type\":\"task.completed\",\"occurredAt\":\"2026-01-01\",\"taskId\":\"T1\"}",
                        "occurredAt: " + INSTANT_RULE),
                Arguments.of("occurredAt a number",
                        "{\"eventId\":\"e\",\"type\":\"task.completed\",\"occurredAt\":1767261600,\"taskId\":\"T1\"}",
                        "occurredAt: " + INSTANT_RULE),
                Arguments.of("negative amount", "{" + spend + "-1}", MONEY_RANGE),
                Arguments.of("amount with 3 decimals", "{" + spend + "10.005}", "amount: must have at most 2 decimals"),
                Arguments.of("amount of 10^13", "{" + spend + "10000000000000}", MONEY_RANGE),
                Arguments.of("amount far beyond a double", "{" + spend + "1e400}", MONEY_RANGE),
                Arguments.of("amount with decimals beyond a double's precision", "{" + spend + "5.0000000000000001}",
                        "amount: must have at most 2 decimals"),
                Arguments.of("amount as a string", "{" + spend + "\"100\"}", "amount: must be a number"),
                Arguments.of("missing required amount", "{\"eventId\":\"e\",\"type\":\"deal.won\","
                        + "\"occurredAt\":\"2026-02-01T10:00:00Z\",\"dealId\":\"D1\"}", "amount: is required"),
                Arguments.of("negative durationSec", "{" + call + "\"direction\":\"in\",\"answered\":true,\"durationSec\":-1}",
                        "durationSec: must be a non-negative integer"),
                Arguments.of("fractional durationSec", "{" + call + "\"direction\":\"in\",\"answered\":true,\"durationSec\":1.5}",
                        "durationSec: must be a non-negative integer"),
                Arguments.of("durationSec beyond an integer", "{" + call + "\"direction\":\"in\",\"answered\":true,"
                        + "\"durationSec\":1e400}", "durationSec: must be a non-negative integer"),
                Arguments.of("answered not a boolean", "{" + call + "\"direction\":\"in\",\"answered\":\"yes\",\"durationSec\":5}",
                        "answered: must be true or false"),
                Arguments.of("direction sideways", "{" + call + "\"direction\":\"sideways\",\"answered\":true,\"durationSec\":5}",
                        "direction: must be one of in, out"),
                Arguments.of("rating 0", rated(0), "rating: must be an integer from 1 to 5"),
                Arguments.of("rating 6", rated(6), "rating: must be an integer from 1 to 5"),
                Arguments.of("medium fax", "{\"eventId\":\"e\",\"type\":\"message.sent\",\"occurredAt\":\"2026-02-01T10:00:00Z\","
                        + "\"messageId\":\"MS1\",\"managerId\":\"M1\",\"medium\":\"fax\"}",
                        "medium: must be one of email, messenger, sms"),
                Arguments.of("dueAt without offset", "{\"eventId\":\"e\",\"type\":\"task.created\",\"occurredAt\":\"2026-02-01T10:00:00Z\","
                        + "\"taskId\":\"T1\",\"managerId\":\"M1\",\"dueAt\":\"2026-02-03T18:00:00\"}", "dueAt: " + INSTANT_RULE),
                Arguments.of("utm not an object", "{\"eventId\":\"e\",\"type\":\"lead.created\",\"occurredAt\":\"2026-02-01T10:00:00Z\","
                        + "\"leadId\":\"L1\",\"utm\":\"google/cpc\"}", "utm: must be an object with source, medium, campaign"),
                Arguments.of("utm source not a string", "{\"eventId\":\"e\",\"type\":\"lead.created\",\"occurredAt\":\"2026-02-01T10:00:00Z\","
                        + "\"leadId\":\"L1\",\"utm\":{\"source\":7}}", "utm.source: must be a string"),
                Arguments.of("empty leadId", "{\"eventId\":\"e\",\"type\":\"lead.created\",\"occurredAt\":\"2026-02-01T10:00:00Z\","
                        + "\"leadId\":\"\"}", "leadId: must be a non-empty string"),
                Arguments.of("empty managerId", "{\"eventId\":\"e\",\"type\":\"deal.reassigned\",\"occurredAt\":\"2026-02-01T10:00:00Z\","
                        + "\"dealId\":\"D1\",\"managerId\":\"\"}", "managerId: must be a non-empty string"),
                Arguments.of("missing required identifier", "{\"eventId\":\"e\",\"type\":\"payment.received\","
                        + "\"occurredAt\":\"2026-02-01T10:00:00Z\",\"paymentId\":\"P1\",\"amount\":5}", "customerId: is required"),
                Arguments.of("identifier over 128 characters", "{\"eventId\":\"e\",\"type\":\"task.completed\","
                        + "\"occurredAt\":\"2026-02-01T10:00:00Z\",\"taskId\":\"" + "t".repeat(129) + "\"}",
                        "taskId: must be at most 128 characters"),
                Arguments.of("currency not ISO 4217", "{\"eventId\":\"e\",\"currency\":\"rub\"," + visit + "}",
                        "currency: must be an ISO 4217 code such as USD"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidEvents")
    void invalidEventIsRejectedWithItsFieldMessage(String rule, String event, String message) throws Exception {
        TestApi.ingest(ws, event)
                .statusCode(200).body("accepted", equalTo(0))
                .body("rejected.index", contains(0))
                .body("rejected[0].errors", contains(message));
        assertEquals("0", count());
    }

    @Test
    void boundariesAreAccepted() throws Exception {
        String id = "i".repeat(128);
        TestApi.ingest(ws, """
                [{"eventId":"%s","type":"call.logged","occurredAt":"2026-02-01T10:00:00Z","callId":"K1",
                  "direction":"in","answered":false,"durationSec":0},
                 {"eventId":"b2","type":"ticket.rated","occurredAt":"2026-02-01T10:00:00Z","ticketId":"T","rating":1},
                 {"eventId":"b3","type":"ticket.rated","occurredAt":"2026-02-01T10:00:00Z","ticketId":"T","rating":5},
                 {"eventId":"b4","type":"marketing.spend","occurredAt":"2026-02-01T00:00:00Z","channel":"Ads","amount":0.01},
                 {"eventId":"b5","type":"call.logged","occurredAt":"2026-02-01T10:00:00Z","callId":"K2",
                  "direction":"in","answered":true,"durationSec":30.0}]""".formatted(id))
                .statusCode(200).body("accepted", equalTo(5)).body("rejected", empty());
        assertEquals("type=call.logged occurred_at=2026-02-01T10:00:00Z subject_id=K2 direction=in answered=true "
                + "duration_sec=30", storedColumns("b5"));
    }

    @Test
    void allProblemsOfOneEventAreListed() {
        TestApi.ingest(ws, """
                {"eventId":"e","type":"call.logged","occurredAt":"yesterday","callId":"","direction":"up",
                 "answered":1,"durationSec":-5}""")
                .statusCode(200)
                .body("rejected[0].eventId", equalTo("e"))
                .body("rejected[0].errors", contains("occurredAt: " + INSTANT_RULE, "callId: must be a non-empty string",
                        "direction: must be one of in, out", "answered: must be true or false",
                        "durationSec: must be a non-negative integer"));
    }

    /** The event's stored non-null columns as "name=value", in table order, past the key and arrival time. */
    private String storedColumns(String eventId) throws Exception {
        var skipped = Set.of("workspace_id", "event_id", "received_at");
        try (var c = dataSource.getConnection();
             var st = c.prepareStatement("select * from events where workspace_id = ?::uuid and event_id = ?")) {
            st.setString(1, ws.id());
            st.setString(2, eventId);
            try (var rs = st.executeQuery()) {
                rs.next();
                var meta = rs.getMetaData();
                var out = new ArrayList<String>();
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    String name = meta.getColumnName(i);
                    if (skipped.contains(name) || rs.getObject(i) == null) {
                        continue;
                    }
                    String value = "timestamptz".equals(meta.getColumnTypeName(i))
                            ? rs.getObject(i, OffsetDateTime.class).toInstant().toString()
                            : rs.getObject(i).toString();
                    out.add(name + "=" + value);
                }
                return String.join(" ", out);
            }
        }
    }

    private String count() throws Exception {
        try (var c = dataSource.getConnection();
             var st = c.prepareStatement("select count(*) from events where workspace_id = ?::uuid")) {
            st.setString(1, ws.id());
            try (var rs = st.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    private static String rated(int rating) {
        return "{\"eventId\":\"e\",\"type\":\"ticket.rated\",\"occurredAt\":\"2026-02-01T10:00:00Z\",\"ticketId\":\"T1\","
                + "\"rating\":" + rating + "}";
    }
}
