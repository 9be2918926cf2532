package com.o7tracker.stats;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

/**
 * The conversions' reads ({@link StatsDao} is the one way to them): the conversions counted
 * (migration V016's {@code conversions}, a row per conversion) by the minute they were accepted,
 * of one campaign or of all, for the stats' buckets, the country breakdown ({@link Breakdowns})
 * and a campaign's series per event and currency. A click id carries its campaign and country
 * and no other dimension, so those are the only ways conversions can be narrowed.
 *
 * <p>Read from the conversions' rows themselves, by their indexes ({@code (campaign_id,
 * accepted_at)} for a campaign, {@code (accepted_at)} for all): there are far fewer conversions than
 * clicks, but a read costs a row per conversion in its range, unlike the clicks' answers, which read
 * the coarsest kept totals (V013). Measured on PostgreSQL 14 (the tests' server, a shared 2-core
 * machine), 1,000,000 conversions of one campaign, 10,000 a day for 100 days, 209 bytes a row with
 * its indexes: its series by the day over the 100 days about 1 s (all campaigns' 0.8 s, the
 * conversions per event and currency 1.3 s), the last 24 hours by the hour 60 ms, the breakdown by
 * country over 30 days 90 ms. A year of such a campaign is 3.65 million rows, and all campaigns'
 * series read every campaign's. When that shows, the next step is the clicks': totals kept by
 * PostgreSQL per campaign and minute, hour and day, and for all campaigns and per country, added to
 * by a trigger on {@code conversions} in the postback's transaction (exact as the buckets are), and
 * read as the clicks' are.
 */
interface ConversionReads {

    /** The conversions of one event and currency (null for those sent without revenue) within a bucket. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record EventConversions(String event, String currency, long conversionCount, String revenue) {
    }

    /** A bucket of the conversions series: every event and currency of its conversions, and their count. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record ConversionBucket(Instant start, long conversionCount, List<EventConversions> conversions) {
    }

    /** A row of the series as PostgreSQL sums it. */
    record SeriesRow(Instant start, String event, String currency, long conversions, BigDecimal revenue) {
    }

    /**
     * The count of conversions in each bucket of [{@code from}, {@code to}) (both on the interval's
     * boundaries), oldest first, every bucket present: of one campaign, or of all with a null id;
     * of one country's clicks, or of all with a null country.
     */
    default List<Long> conversionCounts(Long campaignId, Instant from, Instant to, Interval interval, String country) {
        Timestamp first = Timestamp.from(from);
        Timestamp last = Timestamp.from(to.minus(interval.width()));
        Timestamp end = Timestamp.from(to);
        double width = interval.width().toSeconds();
        return campaignId == null ? conversionCountsOfAll(country, first, last, end, width, interval.id())
                : conversionCountsOf(campaignId, country, first, last, end, width, interval.id());
    }

    /**
     * A campaign's conversions in each bucket of [{@code from}, {@code to}), oldest first, every
     * bucket present: per event and currency (in that order, those without revenue first), with
     * their count and their revenue summed exactly (a decimal string as PostgreSQL's numeric sum
     * writes it, as the campaign's revenue is).
     */
    default List<ConversionBucket> conversionSeries(long campaignId, Instant from, Instant to, Interval interval) {
        List<SeriesRow> rows = conversionRows(campaignId, Timestamp.from(from), Timestamp.from(to), interval.id());
        List<ConversionBucket> buckets = new ArrayList<>();
        int next = 0;
        for (Instant start = from; start.isBefore(to); start = start.plus(interval.width())) {
            List<EventConversions> conversions = new ArrayList<>();
            long count = 0;
            while (next < rows.size() && rows.get(next).start().equals(start)) {
                SeriesRow row = rows.get(next++);
                conversions.add(new EventConversions(row.event(), row.currency(), row.conversions(),
                        row.revenue() == null ? null : row.revenue().toPlainString()));
                count += row.conversions();
            }
            buckets.add(new ConversionBucket(start, count, conversions));
        }
        return buckets;
    }

    /** Every bucket of the range joined to the count of its conversions {@code c}, read once by their index. */
    String COUNTS = """
            SELECT coalesce(s.n, 0)
            FROM generate_series(CAST(:from AS timestamptz), CAST(:last AS timestamptz),
                                 make_interval(secs => :width)) AS b(start)
            LEFT JOIN (SELECT date_trunc(:unit, c.accepted_at, 'UTC') AS start, count(*) AS n
                       FROM conversions AS c
                       WHERE c.accepted_at >= :from AND c.accepted_at < :to
                         AND (CAST(:country AS text) IS NULL OR c.country = :country)
            """;

    String COUNTS_END = """
                       GROUP BY 1) AS s ON s.start = b.start
            ORDER BY b.start
            """;

    @SqlQuery(COUNTS + COUNTS_END)
    List<Long> conversionCountsOfAll(@Bind("country") String country, @Bind("from") Timestamp from,
                                     @Bind("last") Timestamp last, @Bind("to") Timestamp to,
                                     @Bind("width") double width, @Bind("unit") String unit);

    @SqlQuery(COUNTS + " AND c.campaign_id = :id " + COUNTS_END)
    List<Long> conversionCountsOf(@Bind("id") long campaignId, @Bind("country") String country,
                                  @Bind("from") Timestamp from, @Bind("last") Timestamp last, @Bind("to") Timestamp to,
                                  @Bind("width") double width, @Bind("unit") String unit);

    @SqlQuery("""
            SELECT date_trunc(:unit, accepted_at, 'UTC') AS start, event, currency, count(*) AS conversions,
                   sum(revenue) AS revenue
            FROM conversions
            WHERE campaign_id = :id AND accepted_at >= :from AND accepted_at < :to
            GROUP BY 1, 2, 3
            ORDER BY 1, event COLLATE "C", currency COLLATE "C" NULLS FIRST
            """)
    @RegisterConstructorMapper(SeriesRow.class)
    List<SeriesRow> conversionRows(@Bind("id") long campaignId, @Bind("from") Timestamp from, @Bind("to") Timestamp to,
                                   @Bind("unit") String unit);
}
