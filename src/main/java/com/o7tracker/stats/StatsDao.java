package com.o7tracker.stats;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.o7tracker.counting.Buckets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;
import org.jdbi.v3.sqlobject.statement.UseRowMapper;

/**
 * Reads the minute buckets ({@code click_minutes}) and, where they have been rolled up, the hour
 * buckets ({@code click_hours}), summed into buckets of an interval, every bucket of the range
 * present (zeros where there were no clicks), oldest first; and the campaigns with the most
 * clicks in a range. The same of one dimension's value and the breakdowns by a dimension, from
 * its hours ({@code click_dimension_hours}); the breakdowns ({@link Breakdowns}). Rolls minute
 * buckets up into hours ({@link MinuteRollup}).
 *
 * <p>Each answer reads the coarsest rows that fit (migration V013): all campaigns' totals per
 * minute, hour and day, a campaign's days (and months, for top campaigns), a dimension's days, for
 * the whole days of a range, and hour rows only for the hours around them. At 10,000 campaigns and a year of hours, the series of
 * all campaigns by day read 365 rows instead of 87,600,000 (README, "Stats at scale").
 */
public interface StatsDao extends Breakdowns, MinuteRollup {

    /** A campaign's clicks over a range, in the counters' names; {@code deleted} if it is gone since. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record CampaignClicks(long campaignId, long clickCount, long androidClickCount, long iphoneClickCount,
                          long windowsphoneClickCount, long otherClickCount, long botClickCount,
                          boolean deleted) {

        /** By column name, without reflection on parameter names (which instrumented classes may lose). */
        public static final class Mapper implements RowMapper<CampaignClicks> {
            @Override
            public CampaignClicks map(ResultSet rs, StatementContext ctx) throws SQLException {
                return new CampaignClicks(rs.getLong("campaign_id"), rs.getLong("clicks"), rs.getLong("android"),
                        rs.getLong("iphone"), rs.getLong("windowsphone"), rs.getLong("other"), rs.getLong("bot"),
                        rs.getBoolean("deleted"));
            }
        }
    }

    /** A bucket of the range, by column name. */
    final class BucketMapper implements RowMapper<Bucket> {
        @Override
        public Bucket map(ResultSet rs, StatementContext ctx) throws SQLException {
            return new Bucket(rs.getTimestamp("start").toInstant(), rs.getLong("clicks"), rs.getLong("android"),
                    rs.getLong("iphone"), rs.getLong("windowsphone"), rs.getLong("other"), rs.getLong("bot"));
        }
    }

    /** The sums of rows {@code m}, in {@link Bucket}'s terms. */
    String SUMS = """
            coalesce(sum(m.android + m.iphone + m.windowsphone + m.other), 0) AS clicks,
            coalesce(sum(m.android), 0) AS android,
            coalesce(sum(m.iphone), 0) AS iphone,
            coalesce(sum(m.windowsphone), 0) AS windowsphone,
            coalesce(sum(m.other), 0) AS other,
            coalesce(sum(m.bot_android + m.bot_iphone + m.bot_windowsphone + m.bot_other), 0) AS bot
            """;

    /** Both tables as one: each row's clicks at the start of its minute or hour. */
    String ROWS = "(SELECT campaign_id, minute AS at, " + Buckets.COLUMNS + " FROM click_minutes"
            + " UNION ALL SELECT campaign_id, hour AS at, " + Buckets.COLUMNS + " FROM click_hours)";

    /** A campaign's clicks per day (its minutes', kept by the database, whether rolled up into hours or not). */
    String DAY_ROWS = "(SELECT campaign_id, day AS at, " + Buckets.COLUMNS + " FROM click_days)";

    /** All campaigns' clicks per minute, hour or day: the totals the database keeps (migration V013). */
    String TOTAL_MINUTES = "(SELECT minute AS at, " + Buckets.COLUMNS + " FROM click_total_minutes)";
    String TOTAL_HOURS = "(SELECT hour AS at, " + Buckets.COLUMNS + " FROM click_total_hours)";
    String TOTAL_DAYS = "(SELECT day AS at, " + Buckets.COLUMNS + " FROM click_total_days)";

    /** One value's hours (days) of one dimension ({@code :dimension}, {@code :value}), of each campaign or of all. */
    String VALUE_HOURS = "(SELECT campaign_id, hour AS at, " + Buckets.COLUMNS + " FROM click_dimension_hours"
            + " WHERE dimension = :dimension AND value = :value)";
    String VALUE_DAYS = "(SELECT campaign_id, day AS at, " + Buckets.COLUMNS + " FROM click_dimension_days"
            + " WHERE dimension = :dimension AND value = :value)";
    String VALUE_TOTAL_HOURS = "(SELECT hour AS at, " + Buckets.COLUMNS + " FROM click_dimension_total_hours"
            + " WHERE dimension = :dimension AND value = :value)";
    String VALUE_TOTAL_DAYS = "(SELECT day AS at, " + Buckets.COLUMNS + " FROM click_dimension_total_days"
            + " WHERE dimension = :dimension AND value = :value)";

    /**
     * The rows {@code m} of the range summed per bucket (each row's start truncated to the
     * interval's unit, UTC, as {@link Interval} floors), then every bucket of the range joined to
     * its sums: the rows are read once by their index, whatever the number of buckets.
     */
    String SERIES = """
            SELECT b.start, coalesce(s.clicks, 0) AS clicks, coalesce(s.android, 0) AS android,
                   coalesce(s.iphone, 0) AS iphone, coalesce(s.windowsphone, 0) AS windowsphone,
                   coalesce(s.other, 0) AS other, coalesce(s.bot, 0) AS bot
            FROM generate_series(CAST(:from AS timestamptz), CAST(:last AS timestamptz),
                                 make_interval(secs => :width)) AS b(start)
            LEFT JOIN (SELECT date_trunc(:unit, m.at, 'UTC') AS start,\s""" + SUMS + " FROM ";

    String IN_RANGE = " AS m WHERE m.at >= :from AND m.at < :to ";

    String SERIES_END = """
                GROUP BY 1) AS s ON s.start = b.start
            ORDER BY b.start
            """;

    String OF_CAMPAIGN = "AND m.campaign_id = :id ";

    /**
     * The buckets of [{@code from}, {@code to}) of one campaign, or of all with a null id; both
     * ends on the interval's boundaries. Of the clicks of one dimension's value with a filter
     * (hours and days only: the dimensions are kept per hour), of all clicks without (null). Read
     * from the coarsest rows the interval allows: all campaigns' totals, a campaign's days.
     */
    default List<Bucket> buckets(Long campaignId, Instant from, Instant to, Interval interval,
                                 StatsQuery.ValueFilter filter) {
        Timestamp first = Timestamp.from(from);
        Timestamp last = Timestamp.from(to.minus(interval.width()));
        Timestamp end = Timestamp.from(to);
        double width = interval.width().toSeconds();
        String unit = interval.id();
        boolean days = interval == Interval.DAY;
        if (filter != null) {
            String dimension = filter.dimension().wireName();
            String value = filter.value();
            if (campaignId == null) {
                return days ? valueDaysOfAll(dimension, value, first, last, end, width, unit)
                        : valueHoursOfAll(dimension, value, first, last, end, width, unit);
            }
            return days ? valueDaysOf(campaignId, dimension, value, first, last, end, width, unit)
                    : valueHoursOf(campaignId, dimension, value, first, last, end, width, unit);
        }
        if (campaignId == null) {
            return switch (interval) {
                case MINUTE -> totalMinutes(first, last, end, width, unit);
                case HOUR -> totalHours(first, last, end, width, unit);
                case DAY -> totalDays(first, last, end, width, unit);
            };
        }
        return days ? daysOf(campaignId, first, last, end, width, unit) : bucketsOf(campaignId, first, last, end, width, unit);
    }

    @SqlQuery(SERIES + TOTAL_MINUTES + IN_RANGE + SERIES_END)
    @UseRowMapper(BucketMapper.class)
    List<Bucket> totalMinutes(@Bind("from") Timestamp from, @Bind("last") Timestamp last, @Bind("to") Timestamp to,
                              @Bind("width") double width, @Bind("unit") String unit);

    @SqlQuery(SERIES + TOTAL_HOURS + IN_RANGE + SERIES_END)
    @UseRowMapper(BucketMapper.class)
    List<Bucket> totalHours(@Bind("from") Timestamp from, @Bind("last") Timestamp last, @Bind("to") Timestamp to,
                            @Bind("width") double width, @Bind("unit") String unit);

    @SqlQuery(SERIES + TOTAL_DAYS + IN_RANGE + SERIES_END)
    @UseRowMapper(BucketMapper.class)
    List<Bucket> totalDays(@Bind("from") Timestamp from, @Bind("last") Timestamp last, @Bind("to") Timestamp to,
                           @Bind("width") double width, @Bind("unit") String unit);

    @SqlQuery(SERIES + ROWS + IN_RANGE + OF_CAMPAIGN + SERIES_END)
    @UseRowMapper(BucketMapper.class)
    List<Bucket> bucketsOf(@Bind("id") long campaignId, @Bind("from") Timestamp from, @Bind("last") Timestamp last,
                           @Bind("to") Timestamp to, @Bind("width") double width, @Bind("unit") String unit);

    @SqlQuery(SERIES + DAY_ROWS + IN_RANGE + OF_CAMPAIGN + SERIES_END)
    @UseRowMapper(BucketMapper.class)
    List<Bucket> daysOf(@Bind("id") long campaignId, @Bind("from") Timestamp from, @Bind("last") Timestamp last,
                        @Bind("to") Timestamp to, @Bind("width") double width, @Bind("unit") String unit);

    @SqlQuery(SERIES + VALUE_TOTAL_HOURS + IN_RANGE + SERIES_END)
    @UseRowMapper(BucketMapper.class)
    List<Bucket> valueHoursOfAll(@Bind("dimension") String dimension, @Bind("value") String value,
                                 @Bind("from") Timestamp from, @Bind("last") Timestamp last, @Bind("to") Timestamp to,
                                 @Bind("width") double width, @Bind("unit") String unit);

    @SqlQuery(SERIES + VALUE_TOTAL_DAYS + IN_RANGE + SERIES_END)
    @UseRowMapper(BucketMapper.class)
    List<Bucket> valueDaysOfAll(@Bind("dimension") String dimension, @Bind("value") String value,
                                @Bind("from") Timestamp from, @Bind("last") Timestamp last, @Bind("to") Timestamp to,
                                @Bind("width") double width, @Bind("unit") String unit);

    @SqlQuery(SERIES + VALUE_HOURS + IN_RANGE + OF_CAMPAIGN + SERIES_END)
    @UseRowMapper(BucketMapper.class)
    List<Bucket> valueHoursOf(@Bind("id") long campaignId, @Bind("dimension") String dimension,
                              @Bind("value") String value, @Bind("from") Timestamp from, @Bind("last") Timestamp last,
                              @Bind("to") Timestamp to, @Bind("width") double width, @Bind("unit") String unit);

    @SqlQuery(SERIES + VALUE_DAYS + IN_RANGE + OF_CAMPAIGN + SERIES_END)
    @UseRowMapper(BucketMapper.class)
    List<Bucket> valueDaysOf(@Bind("id") long campaignId, @Bind("dimension") String dimension,
                             @Bind("value") String value, @Bind("from") Timestamp from, @Bind("last") Timestamp last,
                             @Bind("to") Timestamp to, @Bind("width") double width, @Bind("unit") String unit);

    /**
     * The whole days of [{@code from}, {@code to}) as [{@code [0]}, {@code [1]}), read from day
     * rows, the hours before and after them from hour rows; an empty range at {@code from} when
     * the range holds no whole day (every hour from hour rows).
     */
    static Timestamp[] wholeDays(Instant from, Instant to) {
        Instant first = Interval.DAY.ceiling(from);
        Instant end = Interval.DAY.floor(to);
        return first.isBefore(end) ? new Timestamp[] {Timestamp.from(first), Timestamp.from(end)}
                : new Timestamp[] {Timestamp.from(from), Timestamp.from(from)};
    }

    /**
     * The {@code n} campaigns with the most human clicks in [{@code from}, {@code to}), most first,
     * deleted ones too (their clicks are in the totals) marked as such; of one dimension's value
     * with a filter.
     */
    default List<CampaignClicks> top(Instant from, Instant to, int n, StatsQuery.ValueFilter filter) {
        planForTheValues();
        Timestamp[] days = wholeDays(from, to);
        if (filter != null) {
            return topOfValueBetween(filter.dimension().wireName(), filter.value(), Timestamp.from(from), Timestamp.from(to),
                    days[0], days[1], n);
        }
        Timestamp[] months = nearestMonths(days[0].toInstant(), days[1].toInstant());
        rankInOneProcess();
        return topBetween(Timestamp.from(from), Timestamp.from(to), days[0], days[1], months[0], months[1], n);
    }

    /**
     * The months (UTC) whose rows a range of whole days [{@code from}, {@code to}) is read from:
     * each end at the start of its month or of the next, whichever of those (or no months at all)
     * reads the fewest rows of each campaign: a month row per month, and a day row per day between
     * each end and its month start, added (the range's days outside the months) or taken away (the
     * months' days outside the range). A year from the 8th of a month reads 12 month rows and 14
     * day rows (not 11 months and 31 days); a week within a month its 7 days (not the month less 24
     * of them). An empty range at {@code from} when the days alone are fewer. Any months are exact:
     * the months' rows add every day of them, the days' rows add the range's days outside them and
     * take away the months' days outside the range.
     */
    static Timestamp[] nearestMonths(Instant from, Instant to) {
        LocalDate first = LocalDate.ofInstant(from, ZoneOffset.UTC);
        LocalDate end = LocalDate.ofInstant(to, ZoneOffset.UTC);
        long fewest = end.toEpochDay() - first.toEpochDay() + 1; // the days alone; as many: months
        Timestamp[] months = {Timestamp.from(from), Timestamp.from(from)};
        for (LocalDate start : List.of(first.withDayOfMonth(1), first.withDayOfMonth(1).plusMonths(1))) {
            for (LocalDate stop : List.of(end.withDayOfMonth(1), end.withDayOfMonth(1).plusMonths(1))) {
                long rows = ChronoUnit.MONTHS.between(start, stop)
                        + Math.abs(first.toEpochDay() - start.toEpochDay()) + Math.abs(end.toEpochDay() - stop.toEpochDay());
                if (start.isBefore(stop) && rows < fewest) {
                    fewest = rows;
                    months = new Timestamp[] {Timestamp.from(start.atStartOfDay(ZoneOffset.UTC).toInstant()),
                            Timestamp.from(stop.atStartOfDay(ZoneOffset.UTC).toInstant())};
                }
            }
        }
        return months;
    }

    /**
     * In the read's transaction, no parallel workers: ranking 10,000 campaigns' year (143,000 rows)
     * in parallel sums each campaign in every worker, then sorts the 30,000 partial sums to merge
     * them: 62 ms, where one process hash-aggregates them in 47 ms (PostgreSQL 15, 2 cores,
     * measured), and leaves the other core to the clicks. Outside a transaction it does nothing.
     */
    @SqlUpdate("SET LOCAL max_parallel_workers_per_gather = 0")
    void rankInOneProcess();

    /** The human clicks ({@code clicks}) and bot clicks ({@code bot}) of a row of click counts. */
    String HUMAN_AND_BOT = "android + iphone + windowsphone + other AS clicks, "
            + "bot_android + bot_iphone + bot_windowsphone + bot_other AS bot";

    /** The same, taken away. */
    String HUMAN_AND_BOT_TAKEN = "-(android + iphone + windowsphone + other) AS clicks, "
            + "-(bot_android + bot_iphone + bot_windowsphone + bot_other) AS bot";

    /** A row's clicks taken away, in {@link Buckets#COLUMNS}' order and names. */
    String COLUMNS_TAKEN = "-android AS android, -iphone AS iphone, -windowsphone AS windowsphone, -other AS other,"
            + " -bot_android AS bot_android, -bot_iphone AS bot_iphone, -bot_windowsphone AS bot_windowsphone,"
            + " -bot_other AS bot_other";

    /**
     * Hour rows of the range outside its whole days ({@link #wholeDays}), as two ranges of the
     * index: a plan made once for any values (PgJDBC prepares a statement on the server at its
     * fifth use) reads just them, where "within the range and not within its days" read every
     * hour of the range to keep a few (1.4 million index entries for a year of 10,000 campaigns).
     */
    String EDGES = " ((hour >= :from AND hour < :dayFrom) OR (hour >= :dayTo AND hour < :to))";

    /** Minute rows of those hours. */
    String MINUTE_EDGES = " ((minute >= :from AND minute < :dayFrom) OR (minute >= :dayTo AND minute < :to))";

    /**
     * The range's months ({@link #nearestMonths}), the range's days outside them, and the months'
     * days outside the range, each as ranges of the index like {@link #EDGES}: the months, when
     * there are any, reach at least to the range's first day and from its last.
     */
    String MONTHS = " FROM click_months WHERE month >= :monthFrom AND month < :monthTo";
    String DAYS_ADDED = " FROM click_days WHERE ((day >= :dayFrom AND day < :monthFrom) OR (day >= :monthTo AND day < :dayTo))";
    String DAYS_TAKEN = " FROM click_days WHERE ((day >= :monthFrom AND day < :dayFrom) OR (day >= :dayTo AND day < :monthTo))";
    String HOURS_ADDED = " FROM click_hours WHERE" + EDGES;
    String MINUTES_ADDED = " FROM click_minutes WHERE" + MINUTE_EDGES;

    /** Of the campaigns ranked first. */
    String RANKED_ONLY = " AND campaign_id = ANY (ARRAY(SELECT campaign_id FROM ranked))";

    /**
     * The range's whole months from month rows, the days around them from day rows, the hours
     * around those from hours and the minutes not yet rolled up into them. Two steps in one
     * statement (one snapshot): every campaign of the range ranked by its human clicks alone (two
     * sums per row, where all six columns cost 10,000 campaigns' year a third more), then the
     * columns of the first {@code :n}, read by their keys; whether each is deleted, for those alone.
     */
    @SqlQuery("WITH ranked AS (SELECT m.campaign_id, sum(m.clicks) AS clicks FROM ("
            + "SELECT campaign_id, " + HUMAN_AND_BOT + MONTHS
            + " UNION ALL SELECT campaign_id, " + HUMAN_AND_BOT + DAYS_ADDED
            + " UNION ALL SELECT campaign_id, " + HUMAN_AND_BOT_TAKEN + DAYS_TAKEN
            + " UNION ALL SELECT campaign_id, " + HUMAN_AND_BOT + HOURS_ADDED
            + " UNION ALL SELECT campaign_id, " + HUMAN_AND_BOT + MINUTES_ADDED
            + ") AS m GROUP BY m.campaign_id HAVING sum(m.clicks) <> 0 OR sum(m.bot) <> 0"
            + " ORDER BY clicks DESC, m.campaign_id LIMIT :n) "
            + TOP + "SELECT campaign_id, " + Buckets.COLUMNS + MONTHS + RANKED_ONLY
            + " UNION ALL SELECT campaign_id, " + Buckets.COLUMNS + DAYS_ADDED + RANKED_ONLY
            + " UNION ALL SELECT campaign_id, " + COLUMNS_TAKEN + DAYS_TAKEN + RANKED_ONLY
            + " UNION ALL SELECT campaign_id, " + Buckets.COLUMNS + HOURS_ADDED + RANKED_ONLY
            + " UNION ALL SELECT campaign_id, " + Buckets.COLUMNS + MINUTES_ADDED + RANKED_ONLY
            + TOP_END)
    @UseRowMapper(CampaignClicks.Mapper.class)
    List<CampaignClicks> topBetween(@Bind("from") Timestamp from, @Bind("to") Timestamp to,
                                    @Bind("dayFrom") Timestamp dayFrom, @Bind("dayTo") Timestamp dayTo,
                                    @Bind("monthFrom") Timestamp monthFrom, @Bind("monthTo") Timestamp monthTo,
                                    @Bind("n") int n);

    /** The sums per campaign, ranked; whether each of the first {@code :n} is deleted, looked up for those alone. */
    String TOP = "SELECT t.*, NOT EXISTS (SELECT 1 FROM campaigns c WHERE c.id = t.campaign_id) AS deleted FROM ("
            + "SELECT m.campaign_id, " + SUMS + " FROM (";

    String TOP_END = """
            ) AS m
            GROUP BY m.campaign_id
            ORDER BY clicks DESC, m.campaign_id
            LIMIT :n) AS t
            ORDER BY t.clicks DESC, t.campaign_id
            """;

    @SqlQuery(TOP + "SELECT campaign_id, " + Buckets.COLUMNS + " FROM click_dimension_days"
            + " WHERE dimension = :dimension AND value = :value AND day >= :dayFrom AND day < :dayTo"
            + " UNION ALL SELECT campaign_id, " + Buckets.COLUMNS + " FROM click_dimension_hours"
            + " WHERE dimension = :dimension AND value = :value AND" + EDGES
            + TOP_END)
    @UseRowMapper(CampaignClicks.Mapper.class)
    List<CampaignClicks> topOfValueBetween(@Bind("dimension") String dimension, @Bind("value") String value,
                                           @Bind("from") Timestamp from, @Bind("to") Timestamp to,
                                           @Bind("dayFrom") Timestamp dayFrom, @Bind("dayTo") Timestamp dayTo,
                                           @Bind("n") int n);

}
