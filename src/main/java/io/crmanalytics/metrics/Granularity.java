package io.crmanalytics.metrics;

import io.crmanalytics.common.ProblemException;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Buckets of a time series: local days, ISO weeks (from Monday) or months in the window's zone. */
public enum Granularity {
    DAY, WEEK, MONTH;

    /** A bucket labelled by the local date it starts on, clipped to the window. */
    public record Bucket(LocalDate start, TimeWindow window) {
    }

    public static Granularity parse(String value) {
        if (value == null || value.isBlank()) {
            return DAY;
        }
        try {
            return valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ProblemException.badParameter("granularity", "must be day, week or month");
        }
    }

    public List<Bucket> buckets(TimeWindow window, int limit) {
        var zone = window.zone();
        LocalDate start = first(window.from().atZone(zone).toLocalDate());
        var buckets = new ArrayList<Bucket>();
        while (true) {
            Instant begin = start.atStartOfDay(zone).toInstant();
            if (!begin.isBefore(window.to())) {
                return buckets;
            }
            LocalDate next = next(start);
            Instant end = next.atStartOfDay(zone).toInstant();
            Instant from = begin.isBefore(window.from()) ? window.from() : begin;
            Instant to = end.isAfter(window.to()) ? window.to() : end;
            buckets.add(new Bucket(start, new TimeWindow(from, to, zone)));
            if (buckets.size() > limit) {
                throw ProblemException.badParameter("granularity",
                        "gives more than " + limit + " buckets for this window; choose a coarser one");
            }
            start = next;
        }
    }

    private LocalDate first(LocalDate date) {
        return switch (this) {
            case DAY -> date;
            case WEEK -> date.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
            case MONTH -> date.withDayOfMonth(1);
        };
    }

    private LocalDate next(LocalDate start) {
        return switch (this) {
            case DAY -> start.plusDays(1);
            case WEEK -> start.plusWeeks(1);
            case MONTH -> start.plusMonths(1);
        };
    }
}
