package io.crmanalytics.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.crmanalytics.ingest.EventType;
import io.crmanalytics.ingest.EventValidator;
import java.security.MessageDigest;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class DemoGeneratorTest {

    private static final LocalDate END = LocalDate.of(2026, 3, 1);
    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    void theSameSeedGivesTheSameEventsAndAnotherSeedOthers() throws Exception {
        String first = hashOfFirst(20_000, 42);
        assertEquals(first, hashOfFirst(20_000, 42));
        assertNotEquals(first, hashOfFirst(20_000, 43));
    }

    @Test
    void everyEventAtScaleOnePassesValidationAndLiesBeforeTheEnd() throws Exception {
        var generator = new DemoGenerator(42, 1, END);
        var problems = new ArrayList<String>();
        var seen = EnumSet.noneOf(EventType.class);
        var end = END.atStartOfDay(ZoneOffset.UTC).toInstant();
        long n = 0;
        while (generator.hasNext()) {
            // through JSON text, as the events reach the service over HTTP
            var node = mapper.readTree(mapper.writeValueAsBytes(generator.next()));
            n++;
            var result = EventValidator.validate(node);
            if (!result.errors().isEmpty() || !("demo-" + n).equals(result.eventId())) {
                problems.add(node + " " + result.errors());
            } else if (!result.event().occurredAt().isBefore(end)) {
                problems.add(node + " is not before " + end);
            } else {
                seen.add(result.event().type());
            }
        }
        assertEquals(List.of(), problems.subList(0, Math.min(5, problems.size())));
        assertEquals(EnumSet.allOf(EventType.class), seen);
    }

    @Test
    void volumeGrowsLinearlyWithScale() {
        // ~50,000 events per unit of scale
        assertWithin(50_000, count(1), 0.05);
        for (double scale : new double[]{0.2, 1, 3}) {
            assertWithin(DemoGenerator.approximateEvents(scale), count(scale), 0.05);
        }
    }

    private static void assertWithin(double expected, long actual, double tolerance) {
        assertTrue(Math.abs(actual - expected) <= tolerance * expected,
                actual + " events, expected " + expected + " ± " + (int) (tolerance * 100) + "%");
    }

    private static long count(double scale) {
        var generator = new DemoGenerator(42, scale, END);
        long n = 0;
        for (; generator.hasNext(); generator.next()) {
            n++;
        }
        return n;
    }

    private String hashOfFirst(int events, long seed) throws Exception {
        var digest = MessageDigest.getInstance("SHA-256");
        var generator = new DemoGenerator(seed, 1, END);
        for (int i = 0; i < events && generator.hasNext(); i++) {
            digest.update(mapper.writeValueAsBytes(generator.next()));
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
