package io.crmanalytics.ingest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crmanalytics.TestApi;
import io.crmanalytics.db.TestDatabase;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(TestDatabase.class)
class IngestMetricsTest {

    private static final String ACCEPTED = "crm_events_ingested_total{outcome=\"accepted\",type=\"lead.created\"}";
    private static final String DUPLICATE = "crm_events_ingested_total{outcome=\"duplicate\",type=\"lead.created\"}";
    private static final String REJECTED = "crm_events_ingested_total{outcome=\"rejected\",type=\"deal.won\"}";

    @Test
    void ingestedEventsShowInPrometheusMetrics() {
        var ws = TestApi.newWorkspace("metrics-" + UUID.randomUUID());
        String before = metrics();
        // 3 new leads, one of them sent twice, and a deal.won without its required amount
        TestApi.ingest(ws, """
                [{"eventId":"m1","type":"lead.created","occurredAt":"2026-02-01T10:00:00Z","leadId":"L1"},
                 {"eventId":"m2","type":"lead.created","occurredAt":"2026-02-01T10:00:00Z","leadId":"L2"},
                 {"eventId":"m3","type":"lead.created","occurredAt":"2026-02-01T10:00:00Z","leadId":"L3"},
                 {"eventId":"m3","type":"lead.created","occurredAt":"2026-02-01T10:00:00Z","leadId":"L3"},
                 {"eventId":"m4","type":"deal.won","occurredAt":"2026-02-01T10:00:00Z","dealId":"D1"}]""")
                .statusCode(200).body("accepted", equalTo(3)).body("duplicates", equalTo(1));
        String after = metrics();
        assertEquals(3.0, value(after, ACCEPTED) - value(before, ACCEPTED));
        assertEquals(1.0, value(after, DUPLICATE) - value(before, DUPLICATE));
        assertEquals(1.0, value(after, REJECTED) - value(before, REJECTED));
        assertTrue(after.contains("crm_ingest_latency_seconds_bucket{"), "the latency histogram has buckets");
        assertTrue(value(after, "crm_ingest_latency_seconds_count{") >= 1.0, "the request was timed");
    }

    private static String metrics() {
        return given().when().get("/q/metrics").then().statusCode(200).extract().asString();
    }

    /** The sum of the samples whose line starts with {@code series}; 0 when there is none yet. */
    private static double value(String exposition, String series) {
        // the Prometheus 0.0.4 text format ends label sets with ",}", OpenMetrics with "}"
        return exposition.lines().map(line -> line.replace(",}", "}")).filter(line -> line.startsWith(series))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }
}
