package com.o7tracker.notify;

import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/**
 * One sink of a channel's notifications ({@link Notifications#subscribe}), told on the listening
 * thread, one notification at a time, in the order PostgreSQL sent them: it must not block.
 */
@FunctionalInterface
public interface Subscriber {

    /**
     * A notification on the channel. A {@link RuntimeException} is logged and the next notification
     * handed over; an {@link SQLException} (a read on the listening connection failed) ends the
     * connection, and the reconnect tells every subscriber {@link #connected} again, so what this
     * one could not handle it catches up on.
     */
    void heard(String payload) throws SQLException;

    /**
     * Listening (again): every notification sent from now on will be heard, and what was sent since
     * {@link Listening#heardUntil} may have been missed. Called on each subscriber in turn, before
     * the notifications of the new connection are handed over (but for those a subscriber asks for
     * with {@link Listening#hearPending}, which go to every subscriber); throwing ends the
     * connection, and the reconnect calls this again.
     */
    default void connected(Listening listening) throws SQLException {
    }

    /** The listening connection is gone: notifications may go unheard until {@link #connected} again. */
    default void lost() {
    }

    /**
     * The listening connection, as it (re)connects: {@code heardUntil} is until when every
     * notification was known to have arrived (empty before the first connection). Reads go through
     * {@link Notifications#listeningJdbi}.
     */
    interface Listening {

        Optional<Instant> heardUntil();

        /** Hands the notifications that arrived meanwhile to their subscribers (between the pages of a long reload). */
        void hearPending() throws SQLException;
    }
}
