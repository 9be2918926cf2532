package com.o7tracker.stats;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.o7tracker.counting.Buckets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.UseRowMapper;

/**
 * Reads the minute buckets ({@code click_minutes}) and, where they have been rolled up, the hour
 * buckets ({@code click_hours}), summed into buckets of an interval, every bucket of the range
 * present (zeros where there were no clicks), oldest first; and the campaigns with the most
 * clicks in a range. Rolls minute buckets up into hours.
 */
public interface StatsDao {

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

    /** The buckets of the range joined to the rows {@code m} they hold, up to the condition on the campaign. */
    String BUCKETS = "SELECT b.start, " + SUMS + """
            FROM generate_series(CAST(:from AS timestamptz), CAST(:last AS timestamptz),
                                 make_interval(secs => :width)) AS b(start)
            LEFT JOIN\s""" + ROWS + " AS m ON ";

    String IN_BUCKET = """
            m.at >= b.start AND m.at < b.start + make_interval(secs => :width)
            GROUP BY b.start
            ORDER BY b.start
            """;

    /**
     * The buckets of [{@code from}, {@code to}) of one campaign, or of all with a null id; both
     * ends on the interval's boundaries.
     */
    default List<Bucket> buckets(Long campaignId, Instant from, Instant to, Interval interval) {
        Timestamp last = Timestamp.from(to.minus(interval.width()));
        double width = interval.width().toSeconds();
        return campaignId == null ? bucketsOfAll(Timestamp.from(from), last, width)
                : bucketsOf(campaignId, Timestamp.from(from), last, width);
    }

    @SqlQuery(BUCKETS + IN_BUCKET)
    @UseRowMapper(BucketMapper.class)
    List<Bucket> bucketsOfAll(@Bind("from") Timestamp from, @Bind("last") Timestamp last, @Bind("width") double width);

    @SqlQuery(BUCKETS + "m.campaign_id = :id AND " + IN_BUCKET)
    @UseRowMapper(BucketMapper.class)
    List<Bucket> bucketsOf(@Bind("id") long campaignId, @Bind("from") Timestamp from, @Bind("last") Timestamp last,
                           @Bind("width") double width);

    /**
     * The {@code n} campaigns with the most human clicks in [{@code from}, {@code to}), most first,
     * deleted ones too (their clicks are in the totals) marked as such.
     */
    default List<CampaignClicks> top(Instant from, Instant to, int n) {
        return topBetween(Timestamp.from(from), Timestamp.from(to), n);
    }

    @SqlQuery("SELECT m.campaign_id, " + SUMS + """
            , NOT EXISTS (SELECT 1 FROM campaigns c WHERE c.id = m.campaign_id) AS deleted
            FROM\s""" + ROWS + """
             AS m
            WHERE m.at >= :from AND m.at < :to
            GROUP BY m.campaign_id
            ORDER BY clicks DESC, m.campaign_id
            LIMIT :n
            """)
    @UseRowMapper(CampaignClicks.Mapper.class)
    List<CampaignClicks> topBetween(@Bind("from") Timestamp from, @Bind("to") Timestamp to, @Bind("n") int n);

    /** PostgreSQL's clock: the one every instance's rollup reads. */
    @SqlQuery("SELECT now()")
    Instant now();

    /**
     * Moves every minute bucket before {@code cutoff} (an hour's start) into its hour bucket, one
     * hour by one statement (a short transaction each, however far behind: no {@code @Transaction}
     * here): each click is in exactly one of the two tables at any time, so every sum stays the
     * same. Returns how many minute buckets were moved.
     */
    default int rollUp(Instant cutoff) {
        int moved = 0;
        while (true) {
            Optional<Instant> oldest = oldestMinuteBefore(Timestamp.from(cutoff));
            if (oldest.isEmpty()) {
                return moved;
            }
            Instant hourEnd = oldest.get().truncatedTo(ChronoUnit.HOURS).plus(1, ChronoUnit.HOURS);
            moved += rollUpBefore(Timestamp.from(hourEnd.isBefore(cutoff) ? hourEnd : cutoff));
        }
    }

    @SqlQuery("SELECT minute FROM click_minutes WHERE minute < :cutoff ORDER BY minute LIMIT 1")
    Optional<Instant> oldestMinuteBefore(@Bind("cutoff") Timestamp cutoff);

    /** Moves the minute buckets before {@code cutoff} into their hours, in one statement; returns how many. */
    @SqlQuery("""
            WITH moved AS (DELETE FROM click_minutes WHERE minute < :cutoff RETURNING *),
                 added AS (
                     INSERT INTO click_hours AS b (campaign_id, hour,\s""" + Buckets.COLUMNS + """
            )
                     SELECT campaign_id, date_trunc('hour', minute, 'UTC'), sum(android), sum(iphone),
                            sum(windowsphone), sum(other), sum(bot_android), sum(bot_iphone),
                            sum(bot_windowsphone), sum(bot_other)
                     FROM moved GROUP BY campaign_id, date_trunc('hour', minute, 'UTC')
                     ON CONFLICT (campaign_id, hour)\s""" + Buckets.ADD_ON_CONFLICT + """
                     RETURNING 1)
            SELECT count(*) FROM moved
            """)
    int rollUpBefore(@Bind("cutoff") Timestamp cutoff);
}
