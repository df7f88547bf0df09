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

    private static void send(TestApi.Keys ws, List<JsonNode> events) {
        for (int i = 0; i < events.size(); i += 300) {
            var batch = MAPPER.createArrayNode();
            events.subList(i, Math.min(i + 300, events.size())).forEach(batch::add);
            TestApi.ingest(ws, batch.toString()).statusCode(200);
        }
    }
}
