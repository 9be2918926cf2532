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
     * By country, each row also has the conversions accepted in the range whose click was of that
     * country ({@link ConversionReads}), a country with conversions and no clicks among them (ranked
     * after more conversions before its value), folded into {@link Values#OTHER} as clicks are: the
     * rows sum to the range's conversions too.
     */
    default List<ValueClicks> breakdown(Long campaignId, Dimension dimension, Instant from, Instant to, int limit) {
        planForTheValues();
        Timestamp start = Timestamp.from(from);
        Timestamp end = Timestamp.from(to);
        Timestamp[] days = StatsDao.wholeDays(from, to);
        if (dimension == Dimension.COUNTRY) {
            String country = dimension.wireName();
            return campaignId == null ? countriesOfAll(country, start, end, days[0], days[1], limit, Values.OTHER)
                    : countriesOf(campaignId, country, start, end, days[0], days[1], limit, Values.OTHER);
        }
        return campaignId == null ? breakdownOfAll(dimension.wireName(), start, end, days[0], days[1], limit, Values.OTHER)
                : breakdownOf(campaignId, dimension.wireName(), start, end, days[0], days[1], limit, Values.OTHER);
    }


    /**
     * A breakdown's values {@code m}, summed per value ({@code v}), then with their conversions
     * ({@code vc}: {@link #NO_CONVERSIONS}, or a country's {@link #CONVERSIONS}), ranked with {@code :other}
     * last, the rows past {@code :limit} summed into it.
     */
    String BREAKDOWN = "WITH v AS (SELECT m.value, " + StatsDao.SUMS + " FROM (";

    /** Conversions are not told: a click id carries no other dimension than the country. */
    String NO_CONVERSIONS = """
                ) AS m
                GROUP BY m.value),
            vc AS (SELECT v.*, CAST(NULL AS bigint) AS conversions FROM v),
            """;

    /** The countries' conversions {@code c} (of all campaigns, or {@code AND campaign_id = :id}) beside their clicks. */
    String CONVERSIONS = """
                ) AS m
                GROUP BY m.value),
            c AS (SELECT country AS value, count(*) AS conversions FROM conversions
                  WHERE accepted_at >= :from AND accepted_at < :to\s""";

    /** A row for a country with clicks or conversions. */
    String CONVERSIONS_END = """
                  GROUP BY country),
            vc AS (SELECT coalesce(v.value, c.value) AS value, coalesce(v.clicks, 0) AS clicks,
                          coalesce(v.android, 0) AS android, coalesce(v.iphone, 0) AS iphone,
                          coalesce(v.windowsphone, 0) AS windowsphone, coalesce(v.other, 0) AS other,
                          coalesce(v.bot, 0) AS bot, coalesce(c.conversions, 0) AS conversions
                   FROM v FULL JOIN c ON c.value = v.value),
            """;

    String BREAKDOWN_RANKED = """
            ranked AS (
                SELECT vc.*, row_number() OVER (ORDER BY vc.value = :other, vc.clicks DESC, vc.bot DESC,
                                                         vc.conversions DESC, vc.value COLLATE "C") AS rank
                FROM vc),
            folded AS (
                SELECT CASE WHEN rank <= :limit AND value <> :other THEN value ELSE :other END AS value,
                       sum(clicks) AS clicks, sum(android) AS android, sum(iphone) AS iphone,
                       sum(windowsphone) AS windowsphone, sum(other) AS other, sum(bot) AS bot,
                       sum(conversions) AS conversions
                FROM ranked
                GROUP BY 1)
            SELECT * FROM folded ORDER BY clicks DESC, bot DESC, conversions DESC, value COLLATE "C"
            """;

    /** All campaigns' values of {@code :dimension}: whole days from day totals, the hours around them from hour totals. */
    String VALUES_OF_ALL = "SELECT value, " + Buckets.COLUMNS + " FROM click_dimension_total_days"
            + " WHERE dimension = :dimension AND day >= :dayFrom AND day < :dayTo"
            + " UNION ALL SELECT value, " + Buckets.COLUMNS + " FROM click_dimension_total_hours"
            + " WHERE dimension = :dimension AND" + StatsDao.EDGES;

    /** A campaign's values of {@code :dimension}: whole days from its day rows, the hours around them from its hour rows. */
    String VALUES_OF = "SELECT value, " + Buckets.COLUMNS + " FROM click_dimension_days"
            + " WHERE campaign_id = :id AND dimension = :dimension AND day >= :dayFrom AND day < :dayTo"
            + " UNION ALL SELECT value, " + Buckets.COLUMNS + " FROM click_dimension_hours"
            + " WHERE campaign_id = :id AND dimension = :dimension AND" + StatsDao.EDGES;

    @SqlQuery(BREAKDOWN + VALUES_OF_ALL + NO_CONVERSIONS + BREAKDOWN_RANKED)
    @UseRowMapper(ValueClicks.Mapper.class)
    List<ValueClicks> breakdownOfAll(@Bind("dimension") String dimension, @Bind("from") Timestamp from,
                                     @Bind("to") Timestamp to, @Bind("dayFrom") Timestamp dayFrom,
                                     @Bind("dayTo") Timestamp dayTo, @Bind("limit") int limit, @Bind("other") String other);

    @SqlQuery(BREAKDOWN + VALUES_OF + NO_CONVERSIONS + BREAKDOWN_RANKED)
    @UseRowMapper(ValueClicks.Mapper.class)
    List<ValueClicks> breakdownOf(@Bind("id") long campaignId, @Bind("dimension") String dimension,
                                  @Bind("from") Timestamp from, @Bind("to") Timestamp to,
                                  @Bind("dayFrom") Timestamp dayFrom, @Bind("dayTo") Timestamp dayTo,
                                  @Bind("limit") int limit, @Bind("other") String other);

    @SqlQuery(BREAKDOWN + VALUES_OF_ALL + CONVERSIONS + CONVERSIONS_END + BREAKDOWN_RANKED)
    @UseRowMapper(ValueClicks.Mapper.class)
    List<ValueClicks> countriesOfAll(@Bind("dimension") String dimension, @Bind("from") Timestamp from,
                                     @Bind("to") Timestamp to, @Bind("dayFrom") Timestamp dayFrom, @Bind("dayTo") Timestamp dayTo,
                                     @Bind("limit") int limit, @Bind("other") String other);

    @SqlQuery(BREAKDOWN + VALUES_OF + CONVERSIONS + "AND campaign_id = :id\n" + CONVERSIONS_END + BREAKDOWN_RANKED)
    @UseRowMapper(ValueClicks.Mapper.class)
    List<ValueClicks> countriesOf(@Bind("id") long campaignId, @Bind("dimension") String dimension,
                                  @Bind("from") Timestamp from, @Bind("to") Timestamp to, @Bind("dayFrom") Timestamp dayFrom, @Bind("dayTo") Timestamp dayTo,
                                  @Bind("limit") int limit, @Bind("other") String other);

}
