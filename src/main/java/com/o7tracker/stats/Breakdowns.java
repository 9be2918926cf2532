package com.o7tracker.stats;

import com.o7tracker.counting.Buckets;
import com.o7tracker.dimension.Dimension;
import com.o7tracker.dimension.Values;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.UseRowMapper;

/**
 * The breakdowns' reads ({@link StatsDao} is the one way to them): a dimension's values over a
 * range, of one campaign from its day rows ({@code click_dimension_days}) and hour rows, of all
 * campaigns from the totals PostgreSQL keeps ({@code click_dimension_total_days}, {@code _hours}).
 */
interface Breakdowns extends ReadPlans {

    /**
     * The values of {@code dimension} over [{@code from}, {@code to}) (whole hours) of one campaign,
     * or of all with a null id: the {@code limit} values with the most human clicks, then bots,
     * then by value, and one {@link Values#OTHER} row with the rest and the clicks recorded as
     * {@link Values#OTHER}; all ordered by human clicks, then bots, then value, the
     * {@link Values#OTHER} row among them. The rows sum to the range's clicks. Whole days are
     * read from day rows, the hours around them from hour rows; all campaigns' from their totals.
     */
    default List<ValueClicks> breakdown(Long campaignId, Dimension dimension, Instant from, Instant to, int limit) {
        planForTheValues();
        Timestamp start = Timestamp.from(from);
        Timestamp end = Timestamp.from(to);
        Timestamp[] days = StatsDao.wholeDays(from, to);
        return campaignId == null ? breakdownOfAll(dimension.wireName(), start, end, days[0], days[1], limit, Values.OTHER)
                : breakdownOf(campaignId, dimension.wireName(), start, end, days[0], days[1], limit, Values.OTHER);
    }


    /**
     * A breakdown's values {@code m}, summed per value, ranked with {@code :other} last, the rows
     * past {@code :limit} summed into it.
     */
    String BREAKDOWN = "WITH v AS (SELECT m.value, " + StatsDao.SUMS + " FROM (";

    String BREAKDOWN_RANKED = """
                ) AS m
                GROUP BY m.value),
            ranked AS (
                SELECT v.*, row_number() OVER (ORDER BY v.value = :other, v.clicks DESC, v.bot DESC, v.value COLLATE "C") AS rank
                FROM v),
            folded AS (
                SELECT CASE WHEN rank <= :limit AND value <> :other THEN value ELSE :other END AS value,
                       sum(clicks) AS clicks, sum(android) AS android, sum(iphone) AS iphone,
                       sum(windowsphone) AS windowsphone, sum(other) AS other, sum(bot) AS bot
                FROM ranked
                GROUP BY 1)
            SELECT * FROM folded ORDER BY clicks DESC, bot DESC, value COLLATE "C"
            """;

    @SqlQuery(BREAKDOWN + "SELECT value, " + Buckets.COLUMNS + " FROM click_dimension_total_days"
            + " WHERE dimension = :dimension AND day >= :dayFrom AND day < :dayTo"
            + " UNION ALL SELECT value, " + Buckets.COLUMNS + " FROM click_dimension_total_hours"
            + " WHERE dimension = :dimension AND" + StatsDao.EDGES + BREAKDOWN_RANKED)
    @UseRowMapper(ValueClicks.Mapper.class)
    List<ValueClicks> breakdownOfAll(@Bind("dimension") String dimension, @Bind("from") Timestamp from,
                                     @Bind("to") Timestamp to, @Bind("dayFrom") Timestamp dayFrom,
                                     @Bind("dayTo") Timestamp dayTo, @Bind("limit") int limit, @Bind("other") String other);

    @SqlQuery(BREAKDOWN + "SELECT value, " + Buckets.COLUMNS + " FROM click_dimension_days"
            + " WHERE campaign_id = :id AND dimension = :dimension AND day >= :dayFrom AND day < :dayTo"
            + " UNION ALL SELECT value, " + Buckets.COLUMNS + " FROM click_dimension_hours"
            + " WHERE campaign_id = :id AND dimension = :dimension AND" + StatsDao.EDGES + BREAKDOWN_RANKED)
    @UseRowMapper(ValueClicks.Mapper.class)
    List<ValueClicks> breakdownOf(@Bind("id") long campaignId, @Bind("dimension") String dimension,
                                  @Bind("from") Timestamp from, @Bind("to") Timestamp to,
                                  @Bind("dayFrom") Timestamp dayFrom, @Bind("dayTo") Timestamp dayTo,
                                  @Bind("limit") int limit, @Bind("other") String other);

}
