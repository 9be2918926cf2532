package com.o7tracker.campaign;

import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;

/**
 * What a read of the counters holds, told to the page that shows them: the read and the positions
 * of the click journals applied in the last {@link #RECENT_MINUTES} minutes (at most {@link #MOST})
 * come from one snapshot
 * (a repeatable-read transaction), and the answer carries the positions in the {@link #HEADER}
 * header, {@code journal=seq} comma-separated. A live clicks event names the position its flush
 * moved its journal to: the page adds the event's deltas unless the position it read for that
 * journal is at or past it. So a page that reads while clicks arrive counts each flush once.
 * A journal not named moved longer ago than any event still on its way (or has an id that events
 * do not tell, as {@code AppliedClicks} does not).
 */
public final class AppliedPositions {

    public static final String HEADER = "O7tracker-Applied";
    static final int RECENT_MINUTES = 10;
    /**
     * At most this many journals, the latest applied (about 50 bytes each, well within a response
     * header's 8 KiB): a fleet of more instances flushing within the window would have the oldest
     * of them left out, their events added as those of an earlier version are.
     */
    static final int MOST = 100;

    private final Jdbi jdbi;

    public AppliedPositions(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** A read's value and the positions it holds, as the header's value. */
    public record Read<T>(T value, String positions) {
    }

    /**
     * Runs {@code reading} (its queries through this Jdbi's on-demand objects, which take the
     * transaction's handle on this thread) and reads the positions in the same snapshot.
     */
    public <T> Read<T> read(Supplier<T> reading) {
        return jdbi.inTransaction(TransactionIsolationLevel.REPEATABLE_READ, handle -> {
            handle.execute("SET TRANSACTION READ ONLY");
            T value = reading.get();
            // now(): the transaction's start, before the snapshot; a long read does not narrow the window.
            List<String> positions = handle.createQuery("""
                            SELECT journal_id || '=' || applied_seq FROM click_journals
                            WHERE applied_at > now() - make_interval(mins => :minutes)
                              AND journal_id ~ '^[A-Za-z0-9_.-]{1,64}$'
                            ORDER BY applied_at DESC
                            LIMIT :most
                            """)
                    .bind("minutes", RECENT_MINUTES)
                    .bind("most", MOST)
                    .mapTo(String.class)
                    .list();
            return new Read<>(value, positions.stream().collect(Collectors.joining(",")));
        });
    }
}
