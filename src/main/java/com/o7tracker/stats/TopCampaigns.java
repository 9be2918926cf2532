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
import org.jdbi.v3.sqlobject.statement.UseRowMapper;

/**
 * The top campaigns' reads ({@link StatsDao} is the one way to them): the campaigns with the most
 * human clicks in a range, over all clicks from the months, days, hours and minutes that fit the
 * range (migration V013), or over one dimension's value from its days and hours.
 */
interface TopCampaigns extends ReadPlans {

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

    /**
     * The {@code n} campaigns with the most human clicks in [{@code from}, {@code to}), most first,
     * deleted ones too (their clicks are in the totals) marked as such; of one dimension's value
     * with a filter.
     */
    default List<CampaignClicks> top(Instant from, Instant to, int n, StatsQuery.ValueFilter filter) {
        planForTheValues();
        Timestamp[] days = StatsDao.wholeDays(from, to);
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
     * The range's months ({@link #nearestMonths}), the range's days outside them, and the months'
     * days outside the range, each as ranges of the index like {@link StatsDao#StatsDao.EDGES}: the months, when
     * there are any, reach at least to the range's first day and from its last.
     */
    String MONTHS = " FROM click_months WHERE month >= :monthFrom AND month < :monthTo";
    String DAYS_ADDED = " FROM click_days WHERE ((day >= :dayFrom AND day < :monthFrom) OR (day >= :monthTo AND day < :dayTo))";
    String DAYS_TAKEN = " FROM click_days WHERE ((day >= :monthFrom AND day < :dayFrom) OR (day >= :dayTo AND day < :monthTo))";
    String HOURS_ADDED = " FROM click_hours WHERE" + StatsDao.EDGES;
    String MINUTES_ADDED = " FROM click_minutes WHERE" + StatsDao.MINUTE_EDGES;

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
            + "SELECT m.campaign_id, " + StatsDao.SUMS + " FROM (";

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
            + " WHERE dimension = :dimension AND value = :value AND" + StatsDao.EDGES
            + TOP_END)
    @UseRowMapper(CampaignClicks.Mapper.class)
    List<CampaignClicks> topOfValueBetween(@Bind("dimension") String dimension, @Bind("value") String value,
                                           @Bind("from") Timestamp from, @Bind("to") Timestamp to,
                                           @Bind("dayFrom") Timestamp dayFrom, @Bind("dayTo") Timestamp dayTo,
                                           @Bind("n") int n);
}
