package com.o7tracker.stats;

import com.o7tracker.counting.Buckets;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/**
 * The rollup's statements ({@link StatsRollup} runs them through {@link StatsDao}): minute buckets
 * moved into hour buckets, all campaigns' minute totals past the retention deleted.
 */
interface MinuteRollup {

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
                forgetTotalMinutesBefore(Timestamp.from(cutoff));
                return moved;
            }
            Instant hourEnd = oldest.get().truncatedTo(ChronoUnit.HOURS).plus(1, ChronoUnit.HOURS);
            moved += rollUpBefore(Timestamp.from(hourEnd.isBefore(cutoff) ? hourEnd : cutoff));
        }
    }

    /** All campaigns' totals per minute past the retention: no minute series asks for them, their hours and days stay. */
    @SqlUpdate("DELETE FROM click_total_minutes WHERE minute < :cutoff")
    void forgetTotalMinutesBefore(@Bind("cutoff") Timestamp cutoff);

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
