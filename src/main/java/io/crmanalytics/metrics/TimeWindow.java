package io.crmanalytics.metrics;

import io.crmanalytics.common.ProblemException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;

/** The report window [from, to) and the zone that local dates and buckets are read in. */
public record TimeWindow(Instant from, Instant to, ZoneId zone) {

    static final int DEFAULT_DAYS = 30;

    public TimeWindow {
        if (!from.isBefore(to)) {
            throw ProblemException.badParameter("from", "must be before 'to'");
        }
    }

    /**
     * Parses the request's from/to/tz. A date is local midnight in tz; an instant needs an offset.
     * Default: the 30 local days ending with today, i.e. to = the coming local midnight.
     */
    public static TimeWindow parse(String from, String to, String tz, Clock clock) {
        ZoneId zone = zone(tz);
        Instant end = to == null || to.isBlank()
                ? LocalDate.now(clock.withZone(zone)).plusDays(1).atStartOfDay(zone).toInstant()
                : instant("to", to, zone);
        Instant start = from == null || from.isBlank()
                ? end.atZone(zone).minusDays(DEFAULT_DAYS).toInstant()
                : instant("from", from, zone);
        return new TimeWindow(start, end, zone);
    }

    /** The window of the same length just before this one. */
    public TimeWindow previous() {
        return new TimeWindow(from.minus(Duration.between(from, to)), from, zone);
    }

    /** An instant of this window as ISO-8601 with the zone's offset at that instant. */
    public String format(Instant instant) {
        return instant.atZone(zone).toOffsetDateTime().toString();
    }

    static ZoneId zone(String tz) {
        if (tz == null || tz.isBlank()) {
            return ZoneId.of("UTC");
        }
        try {
            return ZoneId.of(tz);
        } catch (RuntimeException e) {
            throw ProblemException.badParameter("tz", "must be an IANA time zone such as Europe/Moscow");
        }
    }

    private static Instant instant(String name, String value, ZoneId zone) {
        try {
            if (value.length() == 10) {
                return LocalDate.parse(value).atStartOfDay(zone).toInstant();
            }
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            throw ProblemException.badParameter(name,
                    "must be a date (2026-01-01) or an instant with offset (2026-01-01T00:00:00+03:00)");
        }
    }
}
