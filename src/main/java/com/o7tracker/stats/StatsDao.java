package com.o7tracker.stats;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * Reads the minute buckets ({@code click_minutes}) and, where they have been rolled up, the hour
 * buckets ({@code click_hours}), summed into buckets of an interval, every bucket of the range
 * present (zeros where there were no clicks), oldest first; and the campaigns with the most
 * clicks in a range. Rolls minute buckets up into hours.
 */
public class StatsDao {

    /** A campaign's clicks over a range, in the counters' names; {@code deleted} if it is gone since. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record CampaignClicks(long campaignId, long clickCount, long androidClickCount, long iphoneClickCount,
                                 long windowsphoneClickCount, long otherClickCount, long botClickCount,
                                 boolean deleted) {
    }

    private static final String SUMS = """
            coalesce(sum(m.android + m.iphone + m.windowsphone + m.other), 0) AS clicks,
            coalesce(sum(m.android), 0) AS android,
            coalesce(sum(m.iphone), 0) AS iphone,
            coalesce(sum(m.windowsphone), 0) AS windowsphone,
            coalesce(sum(m.other), 0) AS other,
            coalesce(sum(m.bot_android + m.bot_iphone + m.bot_windowsphone + m.bot_other), 0) AS bot
            """;

    /** Both tables as one: each row's clicks at the start of its minute or hour. */
    private static final String ROWS = """
            (SELECT campaign_id, minute AS at, android, iphone, windowsphone, other,
                    bot_android, bot_iphone, bot_windowsphone, bot_other FROM click_minutes
             UNION ALL
             SELECT campaign_id, hour AS at, android, iphone, windowsphone, other,
                    bot_android, bot_iphone, bot_windowsphone, bot_other FROM click_hours)""";
    private static final String COLUMNS = "android, iphone, windowsphone, other, bot_android, bot_iphone, "
            + "bot_windowsphone, bot_other";

    private final Jdbi jdbi;

    public StatsDao(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /**
     * The buckets of [{@code from}, {@code to}) of one campaign, or of all with a null id; both
     * ends on the interval's boundaries.
     */
    public List<Bucket> buckets(Long campaignId, Instant from, Instant to, Interval interval) {
        String campaign = campaignId == null ? "" : "m.campaign_id = :id AND ";
        return jdbi.withHandle(handle -> handle.createQuery("SELECT b.start, " + SUMS + """
                        FROM generate_series(CAST(:from AS timestamptz), CAST(:last AS timestamptz),
                                             make_interval(secs => :width)) AS b(start)
                        LEFT JOIN """ + ROWS + """
                             AS m ON\s""" + campaign + """
                                  m.at >= b.start AND m.at < b.start + make_interval(secs => :width)
                        GROUP BY b.start
                        ORDER BY b.start
                        """)
                .bind("id", campaignId)
                .bind("from", Timestamp.from(from))
                .bind("last", Timestamp.from(to.minus(interval.width())))
                .bind("width", (double) interval.width().toSeconds())
                .map((rs, ctx) -> new Bucket(rs.getTimestamp("start").toInstant(), rs.getLong("clicks"),
                        rs.getLong("android"), rs.getLong("iphone"), rs.getLong("windowsphone"), rs.getLong("other"),
                        rs.getLong("bot")))
                .list());
    }

    /**
     * The {@code n} campaigns with the most human clicks in [{@code from}, {@code to}), most first,
     * deleted ones too (their clicks are in the totals) marked as such.
     */
    public List<CampaignClicks> top(Instant from, Instant to, int n) {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT m.campaign_id, " + SUMS + """
                        , NOT EXISTS (SELECT 1 FROM campaigns c WHERE c.id = m.campaign_id) AS deleted
                        FROM """ + ROWS + """
                             AS m
                        WHERE m.at >= :from AND m.at < :to
                        GROUP BY m.campaign_id
                        ORDER BY clicks DESC, m.campaign_id
                        LIMIT :n
                        """)
                .bind("from", Timestamp.from(from))
                .bind("to", Timestamp.from(to))
                .bind("n", n)
                .map((rs, ctx) -> new CampaignClicks(rs.getLong("campaign_id"), rs.getLong("clicks"),
                        rs.getLong("android"), rs.getLong("iphone"), rs.getLong("windowsphone"), rs.getLong("other"),
                        rs.getLong("bot"), rs.getBoolean("deleted")))
                .list());
    }

    /** PostgreSQL's clock: the one every instance's rollup reads. */
    public Instant now() {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT now()").mapTo(Instant.class).one());
    }

    /**
     * Moves every minute bucket before {@code cutoff} (an hour's start) into its hour bucket, one
     * hour by one statement (a short transaction each, however far behind): each click is in
     * exactly one of the two tables at any time, so every sum stays the same. Returns how many
     * minute buckets were moved.
     */
    public int rollUp(Instant cutoff) {
        int moved = 0;
        while (true) {
            Optional<Instant> oldest = jdbi.withHandle(handle -> handle.createQuery(
                            "SELECT minute FROM click_minutes WHERE minute < :cutoff ORDER BY minute LIMIT 1")
                    .bind("cutoff", Timestamp.from(cutoff))
                    .mapTo(Instant.class)
                    .findOne());
            if (oldest.isEmpty()) {
                return moved;
            }
            Instant hourEnd = oldest.get().truncatedTo(ChronoUnit.HOURS).plus(1, ChronoUnit.HOURS);
            moved += rollUpBefore(hourEnd.isBefore(cutoff) ? hourEnd : cutoff);
        }
    }

    private int rollUpBefore(Instant cutoff) {
        return jdbi.withHandle(handle -> handle.createQuery("""
                        WITH moved AS (DELETE FROM click_minutes WHERE minute < :cutoff RETURNING *),
                             added AS (
                                 INSERT INTO click_hours AS h (campaign_id, hour,\s""" + COLUMNS + """
                        )
                                 SELECT campaign_id, date_trunc('hour', minute, 'UTC'), sum(android), sum(iphone),
                                        sum(windowsphone), sum(other), sum(bot_android), sum(bot_iphone),
                                        sum(bot_windowsphone), sum(bot_other)
                                 FROM moved GROUP BY campaign_id, date_trunc('hour', minute, 'UTC')
                                 ON CONFLICT (campaign_id, hour) DO UPDATE SET
                                     android = h.android + EXCLUDED.android,
                                     iphone = h.iphone + EXCLUDED.iphone,
                                     windowsphone = h.windowsphone + EXCLUDED.windowsphone,
                                     other = h.other + EXCLUDED.other,
                                     bot_android = h.bot_android + EXCLUDED.bot_android,
                                     bot_iphone = h.bot_iphone + EXCLUDED.bot_iphone,
                                     bot_windowsphone = h.bot_windowsphone + EXCLUDED.bot_windowsphone,
                                     bot_other = h.bot_other + EXCLUDED.bot_other
                                 RETURNING 1)
                        SELECT count(*) FROM moved
                        """)
                .bind("cutoff", Timestamp.from(cutoff))
                .mapTo(Integer.class)
                .one());
    }
}
