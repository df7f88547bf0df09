package io.crmanalytics.query;

import static io.crmanalytics.TestApi.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.crmanalytics.TestApi;
import io.crmanalytics.db.TestDatabase;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import java.math.BigDecimal;
import java.util.List;
import org.hamcrest.CustomTypeSafeMatcher;
import org.hamcrest.Matcher;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * GET /api/v1/managers on fixtures/small-crm.json (managers M1, M2) and on fixtures/manager-edges.json
 * (MA, MB, MD; MC appears only after January): window January 2026 in UTC unless said. The arithmetic
 * is written beside each figure.
 */
@QuarkusTest
@QuarkusTestResource(TestDatabase.class)
class ManagerLoadQueryTest {

    static TestApi.Keys crm;
    static TestApi.Keys edges;

    @BeforeEach
    void load() {
        if (crm == null) {
            crm = Fixtures.smallCrm(false);
            edges = TestApi.newWorkspace("manager-edges");
            TestApi.ingest(edges, Fixtures.events("fixtures/manager-edges.json").toString()).statusCode(200)
                    .body("accepted", equalTo(32)).body("rejected", empty());
        }
    }

    private static RequestSpecification managers(TestApi.Keys ws, String from, String to) {
        return given().auth().oauth2(ws.read()).queryParam("from", from).queryParam("to", to);
    }

    private static RequestSpecification january(TestApi.Keys ws) {
        return managers(ws, "2026-01-01", "2026-02-01");
    }

    /** A JSON number within 1e-9 of the expected value: exact decimals such as 2 or 1000.00 read as integers. */
    private static Matcher<Number> number(double expected) {
        return new CustomTypeSafeMatcher<>("a number within 1e-9 of " + expected) {
            @Override
            protected boolean matchesSafely(Number actual) {
                return Math.abs(actual.doubleValue() - expected) < 1e-9;
            }
        };
    }

    @Test
    void everyFigureOfBothManagers() {
        january(crm).when().get("/api/v1/managers").then().statusCode(200)
                .body("from", equalTo("2026-01-01T00:00Z")).body("to", equalTo("2026-02-01T00:00Z"))
                .body("tz", equalTo("UTC"))
                // the team: every managerId on an event before 'to'
                .body("managers.managerId", contains("M1", "M2"))
                // M1: D1 won, D3 reassigned to M2 → 0 open deals
                .body("managers[0].openDeals", equalTo(0))
                // TK1, due 01-06, never completed → open and overdue at 02-01
                .body("managers[0].openTasks", equalTo(1)).body("managers[0].overdueTasks", equalTo(1))
                .body("managers[0].tasksCompleted", equalTo(0))
                // CL0 in, answered, 120 s; CL1 out, unanswered, 0 s → 2 calls, talk (120 + 0) / 60 = 2 min
                .body("managers[0].calls.total", equalTo(2)).body("managers[0].calls.in", equalTo(1))
                .body("managers[0].calls.out", equalTo(1)).body("managers[0].calls.answered", equalTo(1))
                .body("managers[0].calls.talkMinutes", number(2.0))
                // MT3; MS3 (sent before L3 existed, still a message of the window)
                .body("managers[0].meetings", equalTo(1)).body("managers[0].messages", equalTo(1))
                // D1 won for 1000 with M1 the owner; nothing lost → 1 / 1
                .body("managers[0].dealsWon", equalTo(1)).body("managers[0].revenue", number(1000.0))
                .body("managers[0].winRate", number(1.0))
                // L1 answered by CL1 after 30 min, L3 by MT3 after 1440 min → (30 + 1440) / 2
                .body("managers[0].medianFirstResponseMinutes", number(735.0))
                // loads: M1 0 + 1, M2 1 + 0 → team mean 1 → 1 / 1
                .body("managers[0].loadIndex", number(1.0))
                // M2: D3, reassigned to M2 on 01-08 and still open
                .body("managers[1].openDeals", equalTo(1))
                // TK2 completed 01-07 → none open, 1 completed in the window
                .body("managers[1].openTasks", equalTo(0)).body("managers[1].overdueTasks", equalTo(0))
                .body("managers[1].tasksCompleted", equalTo(1))
                .body("managers[1].calls.total", equalTo(0)).body("managers[1].calls.in", equalTo(0))
                .body("managers[1].calls.out", equalTo(0)).body("managers[1].calls.answered", equalTo(0))
                .body("managers[1].calls.talkMinutes", number(0.0))
                // MS2 on D2
                .body("managers[1].meetings", equalTo(0)).body("managers[1].messages", equalTo(1))
                // D4 won for 500, D2 lost → 1 / (1 + 1)
                .body("managers[1].dealsWon", equalTo(1)).body("managers[1].revenue", number(500.0))
                .body("managers[1].winRate", number(0.5))
                // L2 answered by MS2 on its deal D2 after 120 min; L5 unanswered; L4 is December's
                .body("managers[1].medianFirstResponseMinutes", number(120.0))
                .body("managers[1].loadIndex", number(1.0));
    }

    @Test
    void edgeCasesOfTasksDealsAndCalls() {
        january(edges).when().get("/api/v1/managers").then().statusCode(200)
                // MD is only on a ticket.opened; MC's first event (TG) is on 02-03, after 'to'
                .body("managers.managerId", contains("MA", "MB", "MD"))
                // MA: DA won, then reassigned to MB after the outcome: still closed, still MA's win
                .body("managers[0].openDeals", equalTo(0))
                // TE (completed only on 02-03, after 'to') and TF (its first task.created is MA's, due 01-20)
                // are open and overdue; TA and TB are done
                .body("managers[0].openTasks", equalTo(2)).body("managers[0].overdueTasks", equalTo(2))
                // TA completed twice in January counts once; TB's first completion was in December
                .body("managers[0].tasksCompleted", equalTo(1))
                // CA1 re-sent under a second eventId is one call; CA2 is after 'to' → 1 call, 90 s = 1.5 min
                .body("managers[0].calls.total", equalTo(1)).body("managers[0].calls.in", equalTo(0))
                .body("managers[0].calls.out", equalTo(1)).body("managers[0].calls.answered", equalTo(1))
                .body("managers[0].calls.talkMinutes", number(1.5))
                .body("managers[0].meetings", equalTo(1)).body("managers[0].messages", equalTo(0))
                .body("managers[0].dealsWon", equalTo(1)).body("managers[0].revenue", number(700.0))
                .body("managers[0].winRate", number(1.0))
                // LA 09:00 → CA1 09:20
                .body("managers[0].medianFirstResponseMinutes", number(20.0))
                // loads: MA 0 + 2, MB 2 + 2, MD 0 → mean 6 / 3 = 2 → 2 / 2
                .body("managers[0].loadIndex", number(1.0))
                // MB: DB (lost, then reopened by a stage change) and DC (won only on 02-05, after 'to')
                .body("managers[1].openDeals", equalTo(2))
                // TC without dueAt is never overdue; TD is due 02-10, after 'to'
                .body("managers[1].openTasks", equalTo(2)).body("managers[1].overdueTasks", equalTo(0))
                .body("managers[1].tasksCompleted", equalTo(0))
                // CB in, answered, 240 s; CX has no managerId, so it is in no row
                .body("managers[1].calls.total", equalTo(1)).body("managers[1].calls.in", equalTo(1))
                .body("managers[1].calls.out", equalTo(0)).body("managers[1].calls.answered", equalTo(1))
                .body("managers[1].calls.talkMinutes", number(4.0))
                .body("managers[1].meetings", equalTo(0)).body("managers[1].messages", equalTo(1))
                // DB's loss was undone by the reopening → 0 won, 0 lost
                .body("managers[1].dealsWon", equalTo(0)).body("managers[1].revenue", number(0.0))
                .body("managers[1].winRate", nullValue())
                // LB 09:00 → CX 09:45: an outgoing call without managerId still answers the lead
                .body("managers[1].medianFirstResponseMinutes", number(45.0))
                .body("managers[1].loadIndex", number(4 / 2.0))
                // MD: nothing but the ticket; its zero load still counts in the team mean
                .body("managers[2].openDeals", equalTo(0)).body("managers[2].openTasks", equalTo(0))
                .body("managers[2].calls.total", equalTo(0)).body("managers[2].dealsWon", equalTo(0))
                .body("managers[2].winRate", nullValue()).body("managers[2].medianFirstResponseMinutes", nullValue())
                .body("managers[2].loadIndex", number(0.0));
    }

    @Test
    void eventsAfterToCountInTheLaterWindow() {
        managers(edges, "2026-02-01", "2026-03-01").when().get("/api/v1/managers").then().statusCode(200)
                .body("managers.managerId", contains("MA", "MB", "MC", "MD"))
                // DC reassigned to MA on 02-02, won on 02-05 → MA's win of 900
                .body("managers[0].dealsWon", equalTo(1)).body("managers[0].revenue", number(900.0))
                .body("managers[0].openDeals", equalTo(0))
                // TE completed 02-03; TF still open, due 01-20
                .body("managers[0].tasksCompleted", equalTo(1)).body("managers[0].openTasks", equalTo(1))
                .body("managers[0].overdueTasks", equalTo(1))
                // CA2: 600 s
                .body("managers[0].calls.total", equalTo(1)).body("managers[0].calls.talkMinutes", number(10.0))
                .body("managers[0].medianFirstResponseMinutes", nullValue())
                // loads: MA 0 + 1, MB 1 (DB) + 2 (TC, TD), MC 0 + 1 (TG), MD 0 → mean 5 / 4 = 1.25
                .body("managers[0].loadIndex", number(1 / 1.25))
                // TD is due 02-10, before this 'to'
                .body("managers[1].openDeals", equalTo(1)).body("managers[1].overdueTasks", equalTo(1))
                .body("managers[1].loadIndex", number(3 / 1.25))
                .body("managers[2].openTasks", equalTo(1)).body("managers[2].overdueTasks", equalTo(0))
                .body("managers[2].loadIndex", number(1 / 1.25))
                .body("managers[3].loadIndex", number(0.0));
        // December: TB completed 12-20 (its second completion, in January, never counts)
        managers(edges, "2025-12-01", "2026-01-01").when().get("/api/v1/managers").then().statusCode(200)
                .body("managers.managerId", contains("MA"))
                .body("managers[0].tasksCompleted", equalTo(1)).body("managers[0].openTasks", equalTo(0));
    }

    @Test
    void aRatioWithAZeroDenominatorIsNull() {
        // before 12-21 10:00 only L4 exists: team M2 with no open deal or task → team mean 0; no outcome;
        // L4 unanswered
        managers(crm, "2025-12-01", "2025-12-21").when().get("/api/v1/managers").then().statusCode(200)
                .body("managers.managerId", contains("M2"))
                .body("managers[0].openDeals", equalTo(0)).body("managers[0].openTasks", equalTo(0))
                .body("managers[0].loadIndex", nullValue()).body("managers[0].winRate", nullValue())
                .body("managers[0].medianFirstResponseMinutes", nullValue())
                .body("managers[0].revenue", number(0.0))
                .body("managers[0].calls.talkMinutes", number(0.0));
        // no event at all before 'to': no team
        managers(crm, "2025-06-01", "2025-07-01").when().get("/api/v1/managers").then().statusCode(200)
                .body("managers", empty());
    }

    @Test
    void filtersNarrow() {
        // managerId narrows the rows only: MB's index stays 4 / mean(2, 4, 0) = 2 (over MB alone it would be 1)
        january(edges).queryParam("managerId", "MB").when().get("/api/v1/managers").then().statusCode(200)
                .body("managers.managerId", contains("MB")).body("managers[0].openDeals", equalTo(2))
                .body("managers[0].loadIndex", number(2.0));
        january(edges).queryParam("managerId", "MD").queryParam("managerId", "MA").when().get("/api/v1/managers")
                .then().statusCode(200).body("managers.managerId", contains("MA", "MD"));
        // sales: D3 (b2b) drops out → M2 0 open deals; wins unchanged; tasks and leads are not deals.
        // loads M1 0 + 1, M2 0 + 0 → mean 0.5
        january(crm).queryParam("pipeline", "sales").when().get("/api/v1/managers").then().statusCode(200)
                .body("managers[1].openDeals", equalTo(0)).body("managers[1].dealsWon", equalTo(1))
                .body("managers[1].winRate", number(0.5)).body("managers[0].openTasks", equalTo(1))
                .body("managers[0].medianFirstResponseMinutes", number(735.0))
                .body("managers[0].loadIndex", number(1 / 0.5))
                .body("managers[1].loadIndex", number(0.0));
        // b2b: only the open D3 → no outcome for anyone
        january(crm).queryParam("pipeline", "b2b").when().get("/api/v1/managers").then().statusCode(200)
                .body("managers[0].dealsWon", equalTo(0)).body("managers[0].winRate", nullValue())
                .body("managers[1].dealsWon", equalTo(0)).body("managers[1].winRate", nullValue())
                .body("managers[1].openDeals", equalTo(1));
        // Google Ads: deals D1 (L1) and D4 (L4) only, leads L1 and L5 only; calls are not narrowed
        january(crm).queryParam("channel", "Google Ads").when().get("/api/v1/managers").then().statusCode(200)
                .body("managers[0].dealsWon", equalTo(1)).body("managers[0].calls.total", equalTo(2))
                // L1 after 30 min
                .body("managers[0].medianFirstResponseMinutes", number(30.0))
                // D4 won, D2 (Yandex Direct) out → 1 / 1; D3 (Radio) out → 0 open deals
                .body("managers[1].dealsWon", equalTo(1)).body("managers[1].winRate", number(1.0))
                .body("managers[1].revenue", number(500.0)).body("managers[1].openDeals", equalTo(0))
                // L5 is unanswered
                .body("managers[1].medianFirstResponseMinutes", nullValue())
                // loads M1 0 + 1, M2 0 → mean 0.5
                .body("managers[0].loadIndex", number(2.0));
        // Radio: L3 (tracking number) and its deal D3
        january(crm).queryParam("channel", "Radio").when().get("/api/v1/managers").then().statusCode(200)
                .body("managers[0].medianFirstResponseMinutes", number(1440.0))
                .body("managers[0].dealsWon", equalTo(0)).body("managers[1].openDeals", equalTo(1));
    }

    @Test
    void comparePreviousMatchesRowsByManager() {
        // previous window [2025-12-01, 2026-01-01): the team is M2 alone (L4, D4)
        january(crm).queryParam("compare", "previous").when().get("/api/v1/managers").then().statusCode(200)
                .body("previous.from", equalTo("2025-12-01T00:00Z"))
                .body("managers.managerId", contains("M1", "M2"))
                // M1 was in no event yet: compared with zero counts and undefined ratios
                .body("managers[0].previous.openTasks", equalTo(0)).body("managers[0].change.openTasks", equalTo(1))
                .body("managers[0].previous.dealsWon", equalTo(0)).body("managers[0].change.dealsWon", equalTo(1))
                .body("managers[0].previous.winRate", nullValue()).body("managers[0].change.winRate", nullValue())
                // 2 min now, 0 before
                .body("managers[0].previous.calls.talkMinutes", number(0.0))
                .body("managers[0].change.calls.talkMinutes", number(2.0))
                // M2 on 01-01: D4 open (won only on 01-15) → load 1, team mean 1 → index 1
                .body("managers[1].previous.openDeals", equalTo(1)).body("managers[1].change.openDeals", equalTo(0))
                .body("managers[1].changeRate.openDeals", number(0.0))
                .body("managers[1].previous.loadIndex", number(1.0))
                // 1 win for 500 now, none before
                .body("managers[1].previous.dealsWon", equalTo(0)).body("managers[1].change.dealsWon", equalTo(1))
                .body("managers[1].changeRate.dealsWon", nullValue())
                .body("managers[1].change.revenue", number(500.0))
                // L4 (December) was still unanswered on 01-01
                .body("managers[1].previous.medianFirstResponseMinutes", nullValue())
                .body("managers[1].change.medianFirstResponseMinutes", nullValue());
    }

    @Test
    void csvHasTheSameFigures() throws Exception {
        String csv = january(crm).queryParam("format", "csv").when().get("/api/v1/managers").then().statusCode(200)
                .contentType("text/csv").extract().asString();
        JsonNode json = new ObjectMapper().readTree(
                january(crm).when().get("/api/v1/managers").then().statusCode(200).extract().asString());
        var lines = csv.split("\r\n");
        // a header and one line per manager
        assertEquals(3, lines.length);
        var header = List.of(lines[0].split(","));
        for (int row = 0; row < 2; row++) {
            var values = lines[row + 1].split(",", -1);
            assertEquals(header.size(), values.length);
            for (int i = 0; i < header.size(); i++) {
                String column = header.get(i);
                JsonNode expected = column.equals("from") || column.equals("to") ? json.get(column)
                        : json.get("managers").get(row).at("/" + column.replace('.', '/'));
                if (expected.isNumber()) {
                    assertEquals(0, expected.decimalValue().compareTo(new BigDecimal(values[i])), column);
                } else {
                    assertEquals(expected.isNull() ? "" : expected.asText(), values[i], column);
                }
            }
        }
        // spot checks by hand: M1 talk (120 + 0) / 60 min, M2 won 1 of 2 closed, M2 L2 answered after 120 min
        assertEquals("M1", lines[1].split(",", -1)[header.indexOf("managerId")]);
        assertEquals(2.0, Double.parseDouble(lines[1].split(",", -1)[header.indexOf("calls.talkMinutes")]), 1e-9);
        assertEquals(0.5, Double.parseDouble(lines[2].split(",", -1)[header.indexOf("winRate")]), 1e-9);
        assertEquals(120.0, Double.parseDouble(
                lines[2].split(",", -1)[header.indexOf("medianFirstResponseMinutes")]), 1e-9);
    }

    @Test
    void shuffledDuplicatedArrivalGivesIdenticalAnswers() {
        var shuffled = Fixtures.smallCrm(true);
        for (String compare : new String[]{"", "previous"}) {
            String inOrder = january(crm).queryParam("compare", compare).when().get("/api/v1/managers").then()
                    .statusCode(200).extract().asString();
            String other = january(shuffled).queryParam("compare", compare).when().get("/api/v1/managers").then()
                    .statusCode(200).extract().asString();
            assertEquals(inOrder, other, "compare=" + compare);
        }
    }
}
