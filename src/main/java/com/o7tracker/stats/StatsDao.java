package com.o7tracker.stats;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.Jdbi;

/**
 * Reads the minute buckets ({@code click_minutes}) summed into buckets of an interval, every bucket
 * of the range present (zeros where there were no clicks), oldest first.
 */
public class StatsDao {

    private final Jdbi jdbi;

    public StatsDao(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** The buckets of [{@code from}, {@code to}) of one campaign; both ends on the interval's boundaries. */
    public List<Bucket> buckets(long campaignId, Instant from, Instant to, Interval interval) {
        return jdbi.withHandle(handle -> handle.createQuery("""
                        SELECT b.start,
                               coalesce(sum(m.android + m.iphone + m.windowsphone + m.other), 0) AS clicks,
                               coalesce(sum(m.android), 0) AS android,
                               coalesce(sum(m.iphone), 0) AS iphone,
                               coalesce(sum(m.windowsphone), 0) AS windowsphone,
                               coalesce(sum(m.other), 0) AS other,
                               coalesce(sum(m.bot_android + m.bot_iphone + m.bot_windowsphone + m.bot_other), 0) AS bot
                        FROM generate_series(CAST(:from AS timestamptz), CAST(:last AS timestamptz),
                                             make_interval(secs => :width)) AS b(start)
                        LEFT JOIN click_minutes m
                               ON m.campaign_id = :id AND m.minute >= b.start
                              AND m.minute < b.start + make_interval(secs => :width)
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
}
