package com.o7tracker.stats;

import com.o7tracker.campaign.AppliedPositions;
import com.o7tracker.campaign.Counters;
import com.o7tracker.dimension.Dimension;
import com.o7tracker.dimension.Values;
import com.o7tracker.web.ApiException;
import com.o7tracker.web.IntQueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.LongFunction;
import java.util.stream.Collectors;

/**
 * What a stats request asks for, read from its query parameters the same way on every stats
 * path (the series and the breakdowns): a range of whole buckets [{@code from}, {@code to}) of
 * one interval (default: the last 24 hours by hour), the one dimension value a series is narrowed
 * to ({@code filter}, null for none), and JSON or CSV.
 */
record StatsQuery(Instant from, Instant to, Interval interval, ValueFilter filter, boolean csv) {

    static final String CSV = "text/csv";
    /** The column of conversions, after the counters, where they are told. */
    static final String CONVERSIONS = "conversion_count";
    static final int MAX_BUCKETS = 10_000;
    /** The longest value click_dimension_hours holds: a host's bound, the longest of any dimension's. */
    static final int MAX_VALUE = Values.MAX_HOST;
    /** How many values a breakdown names; the rest are summed into one (other) row. */
    static final IntQueryParam LIMIT = new IntQueryParam("limit", 1, 1000, 100);
    /** Every dimension's wire name, as the messages list them. */
    static final String DIMENSIONS = Arrays.stream(Dimension.values()).map(Dimension::wireName)
            .collect(Collectors.joining(", "));
    private static final Duration DEFAULT_RANGE = Duration.ofHours(24);
    /** The instants a range may name: no click is older, and PostgreSQL's timestamps end long after. */
    private static final Instant EARLIEST = Instant.parse("1970-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("9999-01-01T00:00:00Z");

    /**
     * Reads the queries of every stats path against one clock; minute buckets are answered only as
     * far back as they are kept ({@code minutesKept}), as older ones have been rolled up into hours.
     */
    record Reader(Duration minutesKept, Clock clock) {
        /** A series' query: {@code query} is the request's, for the filters ({@code country=DE}, …). */
        StatsQuery read(String from, String to, String interval, String format, String accept,
                        MultivaluedMap<String, String> query) {
            boolean csv = csv(format, accept);
            Interval width = interval == null ? Interval.HOUR : Interval.parse(interval).orElseThrow(() ->
                    ApiException.badRequest("Query parameter interval must be minute, hour or day."));
            ValueFilter filter = ValueFilter.of(query);
            if (filter != null && width == Interval.MINUTE) {
                throw ApiException.badRequest("Clicks are broken down by " + filter.dimension().wireName()
                        + " per hour, not per minute: ask for interval=hour or day.");
            }
            Instant[] range = range(from, to, width, n -> "The range holds " + n + " " + width.id() + "s; at most "
                    + MAX_BUCKETS + " buckets are answered at once.");
            Instant minutesSince = Interval.MINUTE.ceiling(clock.instant().minus(minutesKept));
            if (width == Interval.MINUTE && range[0].isBefore(minutesSince)) {
                throw ApiException.badRequest("Clicks are kept per minute for the last " + minutesKept.toHours()
                        + " hours (minute ranges may begin at " + minutesSince + " or later), then per hour: ask for"
                        + " interval=hour or day over an earlier range.");
            }
            return new StatsQuery(range[0], range[1], width, filter, csv);
        }

        /**
         * The conversions series' query: a series' range and interval, and no filter (conversions
         * are told by country in the stats and the breakdown, not here).
         */
        StatsQuery conversions(String from, String to, String interval, String format, String accept,
                               MultivaluedMap<String, String> query) {
            for (Dimension filter : Dimension.values()) {
                if (query.containsKey(filter.wireName())) {
                    throw ApiException.badRequest("The conversions series takes no filter (" + filter.wireName() + "=):"
                            + " the conversions of one country are the stats API's ?country=.");
                }
            }
            return read(from, to, interval, format, accept, query);
        }

        /**
         * A breakdown's query: its dimension, how many values, its range in whole hours (as a
         * series by the hour has it). {@code query}: the request's, which may give {@code by} once
         * and no filter (a click's dimensions are counted one by one, so none can narrow another's).
         */
        Breakdown breakdown(String by, String limit, String from, String to, String format, String accept,
                            MultivaluedMap<String, String> query) {
            if (query.getOrDefault("by", List.of()).size() > 1) {
                throw ApiException.badRequest("Query parameter by must be given once.");
            }
            for (Dimension filter : Dimension.values()) {
                if (query.containsKey(filter.wireName())) {
                    throw ApiException.badRequest("A breakdown takes no filter (" + filter.wireName() + "=): a click's"
                            + " dimensions are counted one by one, not together. The series of one value is the stats"
                            + " API's ?" + filter.wireName() + "=.");
                }
            }
            Dimension dimension = Dimension.parse(by == null ? "" : by.trim()).orElseThrow(() -> ApiException.badRequest(
                    "Query parameter by must be one of " + DIMENSIONS + "."));
            int values = LIMIT.read(limit);
            boolean csv = csv(format, accept);
            Instant[] range = range(from, to, Interval.HOUR, n -> "The range holds " + n + " hours; a breakdown covers at most "
                    + MAX_BUCKETS + " hours.");
            return new Breakdown(dimension, values, new StatsQuery(range[0], range[1], Interval.HOUR, null, csv));
        }

        /** [from, to) rounded out to {@code width}, default the 24 hours up to now; {@code tooMany}: the 400 past the bound. */
        private Instant[] range(String from, String to, Interval width, LongFunction<String> tooMany) {
            Instant end = width.ceiling(to == null ? clock.instant() : instant("to", to));
            Instant start = width.floor(from == null ? end.minus(DEFAULT_RANGE) : instant("from", from));
            if (!start.isBefore(end)) {
                throw ApiException.badRequest("Query parameter from must be before to.");
            }
            long buckets = Duration.between(start, end).dividedBy(width.width());
            if (buckets > MAX_BUCKETS) {
                throw ApiException.badRequest(tooMany.apply(buckets));
            }
            if (start.isBefore(EARLIEST)) {
                throw ApiException.badRequest("The range must begin at " + EARLIEST + " or later.");
            }
            return new Instant[] {start, end};
        }
    }

    /** What a breakdown asks for: by which dimension, at most how many values, over what range, as what. */
    record Breakdown(Dimension by, int limit, StatsQuery query) {
    }

    /**
     * The one value of one dimension a series is narrowed to: {@code ?country=DE}, as the breakdown
     * answers the value (case and all). At most one, since a click's dimensions are counted one
     * by one, not together.
     */
    record ValueFilter(Dimension dimension, String value) {

        /** The filter among the request's query parameters, or null when there is none. */
        static ValueFilter of(MultivaluedMap<String, String> query) {
            List<String> given = new ArrayList<>();
            ValueFilter filter = null;
            for (Dimension dimension : Dimension.values()) {
                List<String> values = query.get(dimension.wireName());
                if (values == null) {
                    continue;
                }
                for (String value : values) {
                    given.add(dimension.wireName());
                    // A country is two upper-case letters (or ZZ) whatever the case asked for.
                    boolean code = dimension == Dimension.COUNTRY && value.length() == 2 && value.chars().allMatch(
                            c -> (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'));
                    filter = new ValueFilter(dimension, code ? value.toUpperCase(Locale.ROOT) : value);
                }
            }
            if (given.size() > 1) {
                throw ApiException.badRequest("At most one of the filters " + DIMENSIONS + " may be given; the request gives "
                        + String.join(", ", given) + ".");
            }
            if (filter != null) {
                String value = filter.value();
                int length = value.codePointCount(0, value.length());
                // No value is empty, longer or holds control characters (dimension/Values), and PostgreSQL text holds no NUL.
                if (length < 1 || length > MAX_VALUE || value.chars().anyMatch(Character::isISOControl)) {
                    throw ApiException.badRequest("Query parameter " + filter.dimension().wireName() + " must be 1 to "
                            + MAX_VALUE + " characters, without control characters.");
                }
            }
            return filter;
        }
    }

    /**
     * The answer: {@code body} as JSON, or {@code rows} alone as CSV, each row its {@code first}
     * column then the counters (and {@link #CONVERSIONS} when {@code conversions} tells it), in a
     * file {@code fileName}.csv.
     */
    <T> Response answer(Map<String, Object> body, List<T> rows, String firstColumn, Function<T, String> first,
                        Function<T, long[]> counters, Function<T, Long> conversions, String fileName, String positions) {
        if (csv) {
            // A range holds a bucket at least; a breakdown's rows all tell conversions, or none does.
            boolean told = !rows.isEmpty() && conversions.apply(rows.get(0)) != null;
            List<String> columns = new ArrayList<>(Counters.NAMES);
            if (told) {
                columns.add(CONVERSIONS);
            }
            return csvAnswer(table(firstColumn, columns, rows, row -> {
                List<String> cells = new ArrayList<>();
                cells.add(cell(first.apply(row)));
                for (long counter : counters.apply(row)) {
                    cells.add(Long.toString(counter));
                }
                if (told) {
                    cells.add(Long.toString(conversions.apply(row)));
                }
                return cells;
            }), fileName, positions);
        }
        return json(body, positions);
    }

    /** A series' answer: its buckets, by their start. */
    Response answer(Map<String, Object> body, List<Bucket> buckets, String fileName, String positions) {
        return answer(body, buckets, "start", b -> b.start().toString(), Bucket::counters, Bucket::conversionCount,
                fileName + "-" + interval.id(), positions);
    }

    Response json(Map<String, Object> body, String positions) {
        return Response.ok(body, MediaType.APPLICATION_JSON_TYPE).header(AppliedPositions.HEADER, positions).build();
    }

    /** {@code table} as a CSV file {@code fileName}.csv. */
    static Response csvAnswer(String table, String fileName, String positions) {
        return Response.ok(table, CSV + "; charset=utf-8")
                .header("Content-Disposition", "attachment; filename=\"" + fileName + ".csv\"")
                .header(AppliedPositions.HEADER, positions)
                .build();
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

    /** A CSV table: the header {@code firstColumn} and {@code columns}, then each row's cells, as they are. */
    static <T> String table(String firstColumn, List<String> columns, List<T> rows, Function<T, List<String>> cells) {
        StringBuilder out = new StringBuilder(firstColumn);
        columns.forEach(column -> out.append(',').append(column));
        out.append("\r\n");
        for (T row : rows) {
            out.append(String.join(",", cells.apply(row))).append("\r\n");
        }
        return out.toString();
    }

    /**
     * Text from visitors as one CSV cell (RFC 4180): in quotes when it holds a quote, a comma or a
     * line break, its quotes doubled; and led by {@code '} when it begins as a formula would
     * ({@code = + - @}, a tab or a carriage return), which spreadsheets then show as text instead of
     * running it (OWASP, "CSV Injection").
     */
    static String cell(String text) {
        String cell = !text.isEmpty() && "=+-@\t\r".indexOf(text.charAt(0)) >= 0 ? "'" + text : text;
        if (cell.chars().anyMatch(c -> c == '"' || c == ',' || c == '\r' || c == '\n')) {
            return '"' + cell.replace("\"", "\"\"") + '"';
        }
        return cell;
    }
}
