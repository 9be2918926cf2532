package com.o7tracker.stats;

import com.o7tracker.counting.Buckets;
import com.o7tracker.dimension.Dimension;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.UseRowMapper;

/**
 * Reads the minute buckets ({@code click_minutes}) and, where they have been rolled up, the hour
 * buckets ({@code click_hours}), summed into buckets of an interval, every bucket of the range
 * present (zeros where there were no clicks), oldest first; and the campaigns with the most
 * clicks in a range ({@link TopCampaigns}). The same of one dimension's value and the breakdowns
 * by a dimension, from its hours ({@code click_dimension_hours}); the breakdowns
 * ({@link Breakdowns}). The conversions beside them ({@link ConversionReads}). Rolls minute
 * buckets up into hours ({@link MinuteRollup}).
 *
 * <p>Each answer reads the coarsest rows that fit (migration V013): all campaigns' totals per
 * minute, hour and day, a campaign's days (and months, for top campaigns), a dimension's days, for
 * the whole days of a range, and hour rows only for the hours around them. At 10,000 campaigns and a year of hours, the series of
 * all campaigns by day read 365 rows instead of 87,600,000 (README, "Stats at scale").
 */
public interface StatsDao extends Breakdowns, TopCampaigns, MinuteRollup, ConversionReads {

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
     * from the coarsest rows the interval allows: all campaigns' totals, a campaign's days. With
     * the conversions accepted in each bucket, of the filter's country: conversions are left out
     * with a filter of another dimension, which a click id does not carry.
     */
    default List<Bucket> buckets(Long campaignId, Instant from, Instant to, Interval interval,
                                 StatsQuery.ValueFilter filter) {
        List<Bucket> clicks = clickBuckets(campaignId, from, to, interval, filter);
        if (filter != null && filter.dimension() != Dimension.COUNTRY) {
            return clicks;
        }
        List<Long> conversions = conversionCounts(campaignId, from, to, interval, filter == null ? null : filter.value());
        List<Bucket> buckets = new ArrayList<>(clicks.size());
        for (int i = 0; i < clicks.size(); i++) {
            buckets.add(clicks.get(i).withConversions(conversions.get(i)));
        }
        return buckets;
    }

    /** The clicks of {@link #buckets}. */
    default List<Bucket> clickBuckets(Long campaignId, Instant from, Instant to, Interval interval,
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
     * Hour rows of the range outside its whole days ({@link #wholeDays}), as two ranges of the
     * index: a plan made once for any values (PgJDBC prepares a statement on the server at its
     * fifth use) reads just them, where "within the range and not within its days" read every
     * hour of the range to keep a few (1.4 million index entries for a year of 10,000 campaigns).
     */
    String EDGES = " ((hour >= :from AND hour < :dayFrom) OR (hour >= :dayTo AND hour < :to))";

    /** Minute rows of those hours. */
    String MINUTE_EDGES = " ((minute >= :from AND minute < :dayFrom) OR (minute >= :dayTo AND minute < :to))";

}
