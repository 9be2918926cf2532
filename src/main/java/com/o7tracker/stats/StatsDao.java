package com.o7tracker.stats;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.Jdbi;

/**
 * Reads the minute buckets ({@code click_minutes}) summed into buckets of an interval, every bucket
 * of the range present (zeros where there were no clicks), oldest first; and the campaigns with
 * the most clicks in a range.
 */
public class StatsDao {

    /** A campaign's clicks over a range, in the counters' names. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record CampaignClicks(long campaignId, long clickCount, long androidClickCount, long iphoneClickCount,
                                 long windowsphoneClickCount, long otherClickCount, long botClickCount) {
    }

    private static final String SUMS = """
            coalesce(sum(m.android + m.iphone + m.windowsphone + m.other), 0) AS clicks,
            coalesce(sum(m.android), 0) AS android,
            coalesce(sum(m.iphone), 0) AS iphone,
            coalesce(sum(m.windowsphone), 0) AS windowsphone,
            coalesce(sum(m.other), 0) AS other,
            coalesce(sum(m.bot_android + m.bot_iphone + m.bot_windowsphone + m.bot_other), 0) AS bot
            """;

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
                        LEFT JOIN click_minutes m
                               ON\s""" + campaign + """
                                  m.minute >= b.start AND m.minute < b.start + make_interval(secs => :width)
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

    /** The {@code n} campaigns with the most human clicks in [{@code from}, {@code to}), most first. */
    public List<CampaignClicks> top(Instant from, Instant to, int n) {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT m.campaign_id, " + SUMS + """
                        FROM click_minutes m
                        WHERE m.minute >= :from AND m.minute < :to
                        GROUP BY m.campaign_id
                        ORDER BY clicks DESC, m.campaign_id
                        LIMIT :n
                        """)
                .bind("from", Timestamp.from(from))
                .bind("to", Timestamp.from(to))
                .bind("n", n)
                .map((rs, ctx) -> clicks(rs))
                .list());
    }

    private static CampaignClicks clicks(ResultSet rs) throws SQLException {
        return new CampaignClicks(rs.getLong("campaign_id"), rs.getLong("clicks"), rs.getLong("android"),
                rs.getLong("iphone"), rs.getLong("windowsphone"), rs.getLong("other"), rs.getLong("bot"));
    }
}
