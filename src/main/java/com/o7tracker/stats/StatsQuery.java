package com.o7tracker.stats;

import com.o7tracker.campaign.AppliedPositions;
import com.o7tracker.campaign.Counters;
import com.o7tracker.web.ApiException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;

/**
 * What a stats request asks for, read from its query parameters the same way on every stats
 * path: a range of whole buckets [{@code from}, {@code to}) of one interval (default: the last 24
 * hours by hour), and JSON or CSV.
 */
record StatsQuery(Instant from, Instant to, Interval interval, boolean csv) {

    static final String CSV = "text/csv";
    static final int MAX_BUCKETS = 10_000;
    private static final Duration DEFAULT_RANGE = Duration.ofHours(24);
    /** The instants a range may name: no click is older, and PostgreSQL's timestamps end long after. */
    private static final Instant EARLIEST = Instant.parse("1970-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("9999-01-01T00:00:00Z");

    /**
     * Reads the queries of every stats path against one clock; minute buckets are answered only as
     * far back as they are kept ({@code minutesKept}), as older ones have been rolled up into hours.
     */
    record Reader(Duration minutesKept, Clock clock) {
        StatsQuery read(String from, String to, String interval, String format, String accept) {
            boolean csv = csv(format, accept);
            Interval width = interval == null ? Interval.HOUR : Interval.parse(interval).orElseThrow(() ->
                    ApiException.badRequest("Query parameter interval must be minute, hour or day."));
            Instant end = width.ceiling(to == null ? clock.instant() : instant("to", to));
            Instant start = width.floor(from == null ? end.minus(DEFAULT_RANGE) : instant("from", from));
            if (!start.isBefore(end)) {
                throw ApiException.badRequest("Query parameter from must be before to.");
            }
            long buckets = Duration.between(start, end).dividedBy(width.width());
            if (buckets > MAX_BUCKETS) {
                throw ApiException.badRequest("The range holds " + buckets + " " + width.id() + "s; at most " + MAX_BUCKETS
                        + " buckets are answered at once.");
            }
            if (start.isBefore(EARLIEST)) {
                throw ApiException.badRequest("The range must begin at " + EARLIEST + " or later.");
            }
            Instant minutesSince = Interval.MINUTE.ceiling(clock.instant().minus(minutesKept));
            if (width == Interval.MINUTE && start.isBefore(minutesSince)) {
                throw ApiException.badRequest("Clicks are kept per minute for the last " + minutesKept.toHours()
                        + " hours (minute ranges may begin at " + minutesSince + " or later), then per hour: ask for"
                        + " interval=hour or day over an earlier range.");
            }
            return new StatsQuery(start, end, width, csv);
        }
    }

    /** The answer: {@code body} as JSON (its "buckets" among its fields), or the buckets alone as CSV. */
    Response answer(Map<String, Object> body, List<Bucket> buckets, String fileName, String positions) {
        if (csv) {
            return Response.ok(csv(buckets), CSV + "; charset=utf-8")
                    .header("Content-Disposition", "attachment; filename=\"" + fileName + "-" + interval.id() + ".csv\"")
                    .header(AppliedPositions.HEADER, positions)
                    .build();
        }
        return Response.ok(body, MediaType.APPLICATION_JSON_TYPE).header(AppliedPositions.HEADER, positions).build();
    }

    private static boolean csv(String format, String accept) {
        if (format != null) {
            if (!format.equals("csv") && !format.equals("json")) {
                throw ApiException.badRequest("Query parameter format must be json or csv.");
            }
            return format.equals("csv");
        }
        return accept != null && accept.contains(CSV) && !accept.contains(MediaType.APPLICATION_JSON);
    }

    private static Instant instant(String name, String value) {
        Instant instant;
        try {
            instant = Instant.parse(value.trim());
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest("Query parameter " + name + " is not an ISO-8601 instant such as"
                    + " 2026-11-29T10:00:00Z.");
        }
        if (instant.isBefore(EARLIEST) || instant.isAfter(LATEST)) {
            throw ApiException.badRequest("Query parameter " + name + " must be between " + EARLIEST + " and " + LATEST + ".");
        }
        return instant;
    }

    static String csv(List<Bucket> rows) {
        StringBuilder out = new StringBuilder("start,").append(String.join(",", Counters.NAMES)).append("\r\n");
        for (Bucket b : rows) {
            out.append(b.start());
            for (long counter : b.counters()) {
                out.append(',').append(counter);
            }
            out.append("\r\n");
        }
        return out.toString();
    }
}
