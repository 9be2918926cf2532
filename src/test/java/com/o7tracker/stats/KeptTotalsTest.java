package com.o7tracker.stats;

import static org.assertj.core.api.Assertions.assertThat;

import com.o7tracker.campaign.Platform;
import com.o7tracker.counting.ClickCounts;
import com.o7tracker.counting.CounterStore;
import com.o7tracker.db.Migrations;
import com.o7tracker.dimension.Dimension;
import com.o7tracker.dimension.Visit;
import com.o7tracker.support.TestPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The kept totals and day rows (migration V013) on a real PostgreSQL: after flushes that add to
 * rows already there, a rollup of minutes into hours and clicks flushed late into minutes already
 * rolled up, every table equals the rows it sums, and every answer over the range that holds all
 * clicks, read from days, hours and the edges around whole days, sums to the counters.
 */
class KeptTotalsTest {

    private static final long[] CAMPAIGNS = {4294967296L, 4294967297L, 4294967298L};
    private static final String[] REFERRERS = {"a.example", "b.example", "(none)"};
    private static final String[] COUNTRIES = {"DE", "FR"};
    private static final Instant FROM = Instant.parse("2026-03-01T00:00:00Z");
    private static final Instant TO = Instant.parse("2026-03-04T00:00:00Z");
    private static final String NAME = "kepttotals_" + System.nanoTime();

    private static PGSimpleDataSource dataSource;
    private static Jdbi jdbi;
    private static StatsDao stats;
    private static long seq;

    @BeforeAll
    static void countClicks() throws SQLException {
        try (Connection c = TestPostgres.shared().connect(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + NAME);
        }
        dataSource = new PGSimpleDataSource();
        dataSource.setURL(TestPostgres.shared().jdbcUrl().replace("/postgres", "/" + NAME));
        dataSource.setUser(TestPostgres.shared().user());
        dataSource.setPassword(TestPostgres.shared().password());
        Migrations.migrate(dataSource);
        jdbi = Jdbi.create(dataSource).installPlugin(new SqlObjectPlugin());
        stats = jdbi.onDemand(StatsDao.class);
        execute("INSERT INTO campaigns (id, redirect_url) VALUES (4294967296, 'https://a.example/'),"
                + " (4294967297, 'https://b.example/'), (4294967298, 'https://c.example/')");
        execute("INSERT INTO click_journals (journal_id, applied_seq, owner) VALUES ('j', 0, 'me')");

        // Three days of clicks, from 22:00 the first day to 02:00 the last, every 37 minutes, each
        // flushed twice so that the second flush adds to the rows (and totals) the first wrote.
        for (int round = 0; round < 2; round++) {
            ClickCounts clicks = new ClickCounts();
            int i = 0;
            for (Instant at = Instant.parse("2026-03-01T22:00:00Z"); at.isBefore(Instant.parse("2026-03-03T02:00:00Z"));
                 at = at.plusSeconds(37 * 60), i++) {
                add(clicks, i, at);
            }
            apply(clicks);
        }
        // The minutes before 2026-03-02T12:00 rolled up into hours, then a journal flushed late
        // into minutes and hours already rolled up (it is rolled up again at the next rollup).
        assertThat(stats.rollUp(Instant.parse("2026-03-02T12:00:00Z"))).isPositive();
        ClickCounts late = new ClickCounts();
        for (int i = 0; i < 12; i++) {
            add(late, i * 7, Instant.parse("2026-03-01T23:10:00Z").plusSeconds(i * 3600L));
        }
        apply(late);
        assertThat(stats.rollUp(Instant.parse("2026-03-02T06:00:00Z"))).isPositive();
    }

    private static void add(ClickCounts clicks, int i, Instant at) {
        Visit visit = Visit.builder().set(Dimension.REFERRER, REFERRERS[i % 3]).set(Dimension.COUNTRY, COUNTRIES[i % 2]).build();
        int kind = (i % 5 == 0 ? 0x80 : 0) | Platform.values()[i % Platform.values().length].code();
        clicks.add(CAMPAIGNS[i % CAMPAIGNS.length], kind, at.getEpochSecond() / 60, visit, 1 + i % 4);
    }

    private static void apply(ClickCounts clicks) {
        jdbi.onDemand(CounterStore.class).apply("j", "me", seq, seq + 1, clicks, transaction -> { });
        seq++;
    }

    @AfterAll
    static void dropDatabase() throws SQLException {
        try (Connection c = TestPostgres.shared().connect(); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE " + NAME + " WITH (FORCE)");
        }
    }

    private static final String COLUMNS = "sum(android), sum(iphone), sum(windowsphone), sum(other),"
            + " sum(bot_android), sum(bot_iphone), sum(bot_windowsphone), sum(bot_other)";
    private static final String BOTH = "(SELECT campaign_id, minute AS at, android, iphone, windowsphone, other,"
            + " bot_android, bot_iphone, bot_windowsphone, bot_other FROM click_minutes UNION ALL"
            + " SELECT campaign_id, hour, android, iphone, windowsphone, other, bot_android, bot_iphone, bot_windowsphone,"
            + " bot_other FROM click_hours) AS m";

    @Test
    void everyKeptTableEqualsTheRowsItSums() throws SQLException {
        // each pair: the table's rows, and the same summed from the rows they are kept from
        String[][] pairs = {
            {"SELECT minute, " + COLUMNS + " FROM click_total_minutes GROUP BY 1",
             "SELECT minute, " + COLUMNS + " FROM click_minutes GROUP BY 1"},
            {"SELECT hour, " + COLUMNS + " FROM click_total_hours GROUP BY 1",
             "SELECT date_trunc('hour', at, 'UTC'), " + COLUMNS + " FROM " + BOTH + " GROUP BY 1"},
            {"SELECT day, " + COLUMNS + " FROM click_total_days GROUP BY 1",
             "SELECT date_trunc('day', at, 'UTC'), " + COLUMNS + " FROM " + BOTH + " GROUP BY 1"},
            {"SELECT campaign_id, day, " + COLUMNS + " FROM click_days GROUP BY 1, 2",
             "SELECT campaign_id, date_trunc('day', at, 'UTC'), " + COLUMNS + " FROM " + BOTH + " GROUP BY 1, 2"},
            {"SELECT campaign_id, month, " + COLUMNS + " FROM click_months GROUP BY 1, 2",
             "SELECT campaign_id, date_trunc('month', at, 'UTC'), " + COLUMNS + " FROM " + BOTH + " GROUP BY 1, 2"},
            {"SELECT campaign_id, dimension, day, value, " + COLUMNS + " FROM click_dimension_days GROUP BY 1, 2, 3, 4",
             "SELECT campaign_id, dimension, date_trunc('day', hour, 'UTC'), value, " + COLUMNS
                     + " FROM click_dimension_hours GROUP BY 1, 2, 3, 4"},
            {"SELECT dimension, hour, value, " + COLUMNS + " FROM click_dimension_total_hours GROUP BY 1, 2, 3",
             "SELECT dimension, hour, value, " + COLUMNS + " FROM click_dimension_hours GROUP BY 1, 2, 3"},
            {"SELECT dimension, day, value, " + COLUMNS + " FROM click_dimension_total_days GROUP BY 1, 2, 3",
             "SELECT dimension, date_trunc('day', hour, 'UTC'), value, " + COLUMNS
                     + " FROM click_dimension_hours GROUP BY 1, 2, 3"},
        };
        for (String[] pair : pairs) {
            assertThat(rows(pair[0])).as(pair[0]).isNotEmpty().containsExactlyInAnyOrderElementsOf(rows(pair[1]));
        }
        assertThat(rows("SELECT count(*) FROM click_minutes WHERE minute < '2026-03-02T06:00:00Z'"))
                .as("the late clicks rolled up again").containsExactly(List.of("0"));
        assertThat(rows("SELECT count(*) FROM click_total_minutes WHERE minute < '2026-03-02T06:00:00Z'"))
                .as("all campaigns' minutes are kept as long as the minutes").containsExactly(List.of("0"));
    }

    @Test
    void everySeriesOfAllCampaignsAndOfEachSumsToTheCountersByHourAndDayAndByMinuteWhileMinutesAreKept() throws SQLException {
        long[] all = new long[6];
        for (long id : CAMPAIGNS) {
            long[] counters = counters(id);
            for (int c = 0; c < 6; c++) {
                all[c] += counters[c];
            }
            for (Interval interval : Interval.values()) {
                assertThat(sum(stats.buckets(id, FROM, TO, interval, null))).as(interval + " of " + id).containsExactly(counters);
            }
        }
        assertThat(all[0]).isPositive();
        // All campaigns by the minute only as far back as minutes are kept (StatsQuery refuses earlier ranges).
        Instant kept = Instant.parse("2026-03-02T12:00:00Z"); // the latest rollup's cutoff
        assertThat(sum(stats.buckets(null, kept, TO, Interval.MINUTE, null)))
                .isEqualTo(sum(stats.buckets(null, kept, TO, Interval.HOUR, null)));
        for (Interval interval : List.of(Interval.HOUR, Interval.DAY)) {
            List<Bucket> buckets = stats.buckets(null, FROM, TO, interval, null);
            assertThat(buckets).hasSize((int) (java.time.Duration.between(FROM, TO).dividedBy(interval.width())));
            assertThat(sum(buckets)).as(interval + " of all").containsExactly(all);
        }
        // A day's bucket from the day rows holds what its hours do.
        List<Bucket> days = stats.buckets(CAMPAIGNS[1], FROM, TO, Interval.DAY, null);
        for (Bucket day : days) {
            assertThat(sum(stats.buckets(CAMPAIGNS[1], day.start(), day.start().plusSeconds(86_400), Interval.HOUR, null)))
                    .as(day.start().toString()).containsExactly(day.counters());
        }
    }

    @Test
    void topCampaignsBreakdownsAndValueSeriesOverDaysAndTheirEdgesAreTheSumsOfTheirHours() throws SQLException {
        // Whole days with hours on either side, hours within one day, whole days only, a whole
        // month (March) with days and hours on either side, and most of March, read as March with
        // the days outside the range taken away (the 1st with clicks, whose last hour is added back).
        Instant[][] ranges = {
            {Instant.parse("2026-02-27T05:00:00Z"), Instant.parse("2026-04-02T03:00:00Z")},
            {Instant.parse("2026-03-02T00:00:00Z"), Instant.parse("2026-03-28T00:00:00Z")},
            {Instant.parse("2026-03-01T23:00:00Z"), Instant.parse("2026-03-31T00:00:00Z")},
            {Instant.parse("2026-03-01T23:00:00Z"), Instant.parse("2026-03-03T01:00:00Z")},
            {Instant.parse("2026-03-02T03:00:00Z"), Instant.parse("2026-03-02T19:00:00Z")},
            {FROM, TO},
        };
        for (Instant[] range : ranges) {
            String where = " WHERE hour >= '" + range[0] + "' AND hour < '" + range[1] + "'";
            Map<Long, Long> top = new HashMap<>();
            stats.top(range[0], range[1], 10, null).forEach(c -> top.put(c.campaignId(), c.clickCount()));
            Map<Long, Long> expected = new HashMap<>();
            for (List<String> row : rows("SELECT campaign_id, sum(android + iphone + windowsphone + other) FROM " + BOTH
                    + where.replace("hour", "at") + " GROUP BY 1")) {
                expected.put(Long.parseLong(row.get(0)), Long.parseLong(row.get(1)));
            }
            assertThat(top).as("top " + range[0]).isNotEmpty().isEqualTo(expected);
            List<Long> firstTwo = expected.entrySet().stream()
                    .sorted(Map.Entry.<Long, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                    .limit(2).map(Map.Entry::getKey).toList();
            assertThat(stats.top(range[0], range[1], 2, null)).as("the first two " + range[0])
                    .extracting(StatsDao.CampaignClicks::campaignId).isEqualTo(firstTwo);

            for (Dimension dimension : List.of(Dimension.COUNTRY, Dimension.REFERRER)) {
                String byValue = " AND dimension = '" + dimension.wireName() + "' GROUP BY value";
                assertThat(values(stats.breakdown(null, dimension, range[0], range[1], 100)))
                        .as("all by " + dimension + " " + range[0])
                        .isEqualTo(values(rows("SELECT value, sum(android + iphone + windowsphone + other)"
                                + " FROM click_dimension_hours" + where + byValue)));
                assertThat(values(stats.breakdown(CAMPAIGNS[0], dimension, range[0], range[1], 100)))
                        .as(CAMPAIGNS[0] + " by " + dimension + " " + range[0])
                        .isEqualTo(values(rows("SELECT value, sum(android + iphone + windowsphone + other)"
                                + " FROM click_dimension_hours" + where + " AND campaign_id = " + CAMPAIGNS[0] + byValue)));
            }
            Map<Long, Long> topOfA = new HashMap<>();
            StatsQuery.ValueFilter a = new StatsQuery.ValueFilter(Dimension.REFERRER, "a.example");
            stats.top(range[0], range[1], 10, a).forEach(c -> topOfA.put(c.campaignId(), c.clickCount()));
            Map<Long, Long> expectedOfA = new HashMap<>();
            for (List<String> row : rows("SELECT campaign_id, sum(android + iphone + windowsphone + other)"
                    + " FROM click_dimension_hours" + where + " AND dimension = 'referrer' AND value = 'a.example' GROUP BY 1")) {
                expectedOfA.put(Long.parseLong(row.get(0)), Long.parseLong(row.get(1)));
            }
            assertThat(topOfA).as("top of a.example " + range[0]).isEqualTo(expectedOfA);
        }
        StatsQuery.ValueFilter de = new StatsQuery.ValueFilter(Dimension.COUNTRY, "DE");
        for (Interval interval : List.of(Interval.HOUR, Interval.DAY)) {
            assertThat(sum(stats.buckets(null, FROM, TO, interval, de))[0]).as("DE of all by " + interval)
                    .isEqualTo(Long.parseLong(rows("SELECT sum(android + iphone + windowsphone + other) FROM click_dimension_hours"
                            + " WHERE dimension = 'country' AND value = 'DE'").get(0).get(0)));
            assertThat(sum(stats.buckets(CAMPAIGNS[2], FROM, TO, interval, de))[0]).as("DE of one by " + interval)
                    .isEqualTo(Long.parseLong(rows("SELECT sum(android + iphone + windowsphone + other) FROM click_dimension_hours"
                            + " WHERE dimension = 'country' AND value = 'DE' AND campaign_id = " + CAMPAIGNS[2]).get(0).get(0)));
        }
    }

    @Test
    void topCampaignsOverAnyRangeAreTheSumsOfItsMinutesAndHoursInEveryColumn() throws SQLException {
        // Ends on either side of the clicks' days and months, of the year and of the months nearest
        // them (read whole with days taken away, or not), at days' starts and within days.
        String[] froms = {"2025-12-01T00", "2025-12-31T23", "2026-01-16T00", "2026-02-01T00", "2026-02-14T05",
            "2026-02-15T00", "2026-02-28T23", "2026-03-01T00", "2026-03-01T22", "2026-03-02T00", "2026-03-02T03",
            "2026-03-03T00"};
        String[] tos = {"2026-03-01T23", "2026-03-02T00", "2026-03-02T19", "2026-03-03T00", "2026-03-03T01",
            "2026-03-04T00", "2026-03-14T00", "2026-03-17T05", "2026-03-20T00", "2026-04-01T00", "2026-04-16T00",
            "2026-04-17T23", "2027-01-01T00", "2028-03-01T00"};
        int ranges = 0;
        for (String f : froms) {
            for (String t : tos) {
                Instant from = Instant.parse(f + ":00:00Z");
                Instant to = Instant.parse(t + ":00:00Z");
                if (!from.isBefore(to)) {
                    continue;
                }
                List<List<String>> expected = rows("SELECT campaign_id, sum(android + iphone + windowsphone + other),"
                        + " sum(android), sum(iphone), sum(windowsphone), sum(other),"
                        + " sum(bot_android + bot_iphone + bot_windowsphone + bot_other) FROM " + BOTH
                        + " WHERE at >= '" + from + "' AND at < '" + to + "' GROUP BY 1 ORDER BY 2 DESC, 1");
                List<List<String>> top = stats.top(from, to, 10, null).stream()
                        .map(c -> List.of(c.campaignId(), c.clickCount(), c.androidClickCount(), c.iphoneClickCount(),
                                c.windowsphoneClickCount(), c.otherClickCount(), c.botClickCount()).stream()
                                .map(String::valueOf).toList())
                        .toList();
                assertThat(top).as("top from " + from + " to " + to).isEqualTo(expected);
                ranges++;
            }
        }
        assertThat(ranges).isGreaterThan(100);
    }

    private static Map<String, Long> values(List<?> rows) {
        Map<String, Long> values = new HashMap<>();
        for (Object row : rows) {
            if (row instanceof ValueClicks v) {
                values.put(v.value(), v.clickCount());
            } else if (row instanceof List<?> r) {
                values.put((String) r.get(0), Long.parseLong((String) r.get(1)));
            }
        }
        return values;
    }

    private static long[] sum(List<Bucket> buckets) {
        long[] sum = new long[6];
        for (Bucket bucket : buckets) {
            long[] counters = bucket.counters();
            for (int c = 0; c < 6; c++) {
                sum[c] += counters[c];
            }
        }
        return sum;
    }

    private static long[] counters(long id) throws SQLException {
        List<String> row = rows("SELECT click_count, android_click_count, iphone_click_count, windowsphone_click_count,"
                + " other_click_count, bot_click_count FROM campaigns WHERE id = " + id).get(0);
        return row.stream().mapToLong(Long::parseLong).toArray();
    }

    private static void execute(String sql) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static List<List<String>> rows(String sql) throws SQLException {
        List<List<String>> rows = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= n; i++) {
                    row.add(rs.getString(i));
                }
                rows.add(row);
            }
        }
        return rows;
    }
}
