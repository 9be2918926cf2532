package com.o7tracker.counting;

import com.codahale.metrics.Histogram;
import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Folds the journal's recorded clicks into the campaign counters: per flush, one transaction that
 * adds every campaign's per-platform deltas and moves the journal's applied position. At its first
 * contact with PostgreSQL it replays from the journal the clicks PostgreSQL had not applied.
 *
 * <p>A transaction whose outcome is unknown (the connection lost during COMMIT) is held aside,
 * not retried: the next flush reads the applied position back from PostgreSQL and either takes it
 * as done or puts its clicks back, so counting continues from the truth and nothing is applied
 * twice.
 */
public class ClickFlusher {

    private static final Logger LOG = LoggerFactory.getLogger(ClickFlusher.class);

    private final ClickJournal journal;
    private final CounterStore store;
    private final Timer flushes;
    private final Meter failures;
    private final Histogram campaignsPerFlush;
    private boolean replayed;
    private long applied;
    /** A batch whose transaction may or may not have committed; resolved before anything else. */
    private ClickDeltas.Snapshot inDoubt;
    /** The transaction of the in-doubt batch, 0 if it failed before it had one. */
    private long inDoubtTransaction;
    private final JournalOwnership ownership;
    private final Meter lost;
    private volatile long inFlightSinceNanos;
    /** When the applied position last moved, or a flush last found nothing to apply (System.nanoTime). */
    private volatile long progressNanos = System.nanoTime();
    /** Why the last scheduled flush failed, null once one succeeds. */
    private volatile String lastFailure;
    private long lastFailureLog;
    /** One per sink (live events, the InfluxDB stream); added as the service is wired, read at every flush. */
    private final List<Applied> listeners = new CopyOnWriteArrayList<>();

    /**
     * Told of every batch of clicks once it is in PostgreSQL, exactly once per batch: the journal
     * it came from and the position it reaches name it. On the flusher's thread: it must not block.
     */
    public interface Applied {
        void applied(String journalId, long upToSeq, ClickCounts counts);
    }

    /**
     * {@code lease}: how long the journal's row stays this process's after its last sign of life
     * (every flush, or a heartbeat every quarter of it); a process restarted after a crash waits
     * for it before it takes the row again.
     */
    public ClickFlusher(ClickJournal journal, CounterStore store, Duration lease, MetricRegistry metrics) {
        this.journal = journal;
        this.store = store;
        this.ownership = new JournalOwnership(journal, store, lease);
        this.flushes = metrics.timer("clicks.flush");
        this.failures = metrics.meter("clicks.flush.failures");
        this.campaignsPerFlush = metrics.histogram("clicks.flush.campaigns");
        this.lost = metrics.meter("clicks.lost");
    }

    /**
     * Applies every click recorded before the call, in pieces of bounded size, each in its own
     * transaction that moves the journal's applied position. Throws if PostgreSQL cannot take
     * them; they stay pending (and in the journal) for the next flush.
     */
    public synchronized void flush() throws IOException {
        if (!journal.isOpen()) {
            throw new IOException("the click journal is not open: " + journal.failure());
        }
        ClickDeltas pending = journal.pending();
        try (Timer.Context ignored = flushes.time()) {
            if (!replayed) {
                applied = ownership.claim();
                long end = journal.recoveredEnd();
                if (applied > end) {
                    throw new IllegalStateException("PostgreSQL has applied journal " + journal.journalId()
                            + " up to " + applied + " but the journal ends at " + end + "; was " + journal.directory()
                            + " replaced?");
                }
                replayed = true;
                long first = journal.firstPosition();
                if (applied < first) {
                    LOG.error("PostgreSQL holds click journal {} at position {}, but the journal begins at {}: {} click(s)"
                            + " it lost are no longer in the journal and stay lost (clicks.lost)", journal.journalId(),
                            applied, first, first - applied);
                    lost.mark(first - applied);
                }
                if (end > applied) {
                    LOG.info("Replaying {} journaled click(s) not yet in PostgreSQL", end - applied);
                }
                journal.applied(applied);
            }
            if (inDoubt != null) {
                resolveInDoubt(pending);
            }
            long target = pending.upToSeq();
            do {
                ClickDeltas.Snapshot piece = pending.drainFrom(applied);
                if (piece == null) {
                    piece = journal.replayPiece(applied, pending.fromSeq(), pending.sinceNanos());
                }
                if (piece.isEmpty() && piece.upToSeq() == applied) {
                    ownership.signOfLife();
                    progressNanos = System.nanoTime();
                    return;
                }
                apply(pending, piece);
            } while (applied < target);
        } catch (IOException | RuntimeException | Error e) {
            failures.mark();
            throw e;
        }
    }

    /** One transaction: the piece's clicks into the counters, the applied position moved past them. */
    private void apply(ClickDeltas pending, ClickDeltas.Snapshot piece) throws IOException {
        if (piece.fromSeq() != applied) {
            throw new IllegalStateException("a piece from journal position " + piece.fromSeq() + " at applied position " + applied);
        }
        inFlightSinceNanos = piece.sinceNanos();
        try {
            journal.makeDurable();
        } catch (IOException | RuntimeException | Error e) {
            pending.restore(piece);
            inFlightSinceNanos = 0;
            throw e;
        }
        long[] transaction = {0}; // its id, once it has one
        try {
            store.apply(journal.journalId(), ownership.owner(), applied, piece.upToSeq(), piece.counts(),
                    id -> transaction[0] = id);
        } catch (RuntimeException | Error e) {
            // Even an Error may come after the COMMIT was sent: the outcome is settled before anything else.
            inDoubt = piece; // inFlightSinceNanos stays: its clicks are not known to be applied
            inDoubtTransaction = transaction[0];
            throw e;
        }
        ownership.alive();
        progressNanos = System.nanoTime();
        inFlightSinceNanos = 0;
        campaignsPerFlush.update(piece.counts().campaigns().size());
        applied = piece.upToSeq();
        journal.applied(applied);
        tell(applied, piece.counts());
    }

    /** At a clean stop, after the drain: the journal may be claimed at once by the next start. */
    synchronized void release() {
        ownership.release();
    }

    /**
     * Settles the batch whose transaction failed, by the position PostgreSQL holds (its word on
     * the transaction only to wait while it is still in progress: after a failover the id may name
     * another transaction): at the batch's end, it committed; unmoved, it did not, and its clicks
     * go back into the next batch. Behind the position this process applied, or without the row
     * (a failover to a replica that had not received the last commits, a restored dump), PostgreSQL
     * lost commits: counting continues from its truth, see {@link #continueBehind}. Anything else
     * means another process moves this journal's position, and counting stops.
     */
    private void resolveInDoubt(ClickDeltas pending) throws IOException {
        String status = inDoubtTransaction == 0 ? null : store.transactionStatus(inDoubtTransaction);
        if ("in progress".equals(status)) {
            throw new IllegalStateException("the counter transaction up to journal position " + inDoubt.upToSeq()
                    + " is still in progress in PostgreSQL");
        }
        long truth = store.appliedSeqOrNone(journal.journalId());
        if (truth == inDoubt.upToSeq() && truth != applied) {
            LOG.info("The counter transaction up to journal position {} had committed although its answer was lost;"
                    + " continuing from there", truth);
            applied = truth;
            progressNanos = System.nanoTime();
            journal.applied(applied);
            tell(applied, inDoubt.counts());
        } else if (truth == applied) {
            pending.restore(inDoubt);
        } else if (truth < applied) {
            continueBehind();
            pending.restore(inDoubt);
        } else {
            throw new IllegalStateException("Journal " + journal.journalId() + " is at position " + truth
                    + " in PostgreSQL, neither " + applied + " nor " + inDoubt.upToSeq()
                    + "; another process may be applying it");
        }
        inDoubt = null;
        inDoubtTransaction = 0;
        inFlightSinceNanos = 0;
    }

    /**
     * PostgreSQL holds this journal at a position behind what this process applied: it lost
     * commits. The row is taken back where PostgreSQL has it, and the clicks from there on are
     * applied again from the journal, whose applied segments are kept for
     * {@code counting.keepApplied} for this; positions no longer on disk are counted in
     * {@code clicks.lost} and logged.
     */
    private void continueBehind() throws IOException {
        long truth = ownership.reclaimBehind(applied);
        long first = journal.firstPosition();
        long gone = Math.max(0, Math.min(applied, first) - truth);
        LOG.error("PostgreSQL holds click journal {} at position {}, behind the {} this instance applied: it lost {}"
                + " applied click(s) (a failover to a replica without the last commits, or a restored dump). They are"
                + " applied again from the journal{}", journal.journalId(), truth, applied, applied - truth,
                gone == 0 ? "." : "; " + gone + " of them are no longer in it and stay lost (clicks.lost)");
        lost.mark(gone);
        applied = truth;
        progressNanos = System.nanoTime();
        journal.applied(applied);
    }

    void onApplied(Applied listener) {
        listeners.add(listener);
    }

    private void tell(long upToSeq, ClickCounts counts) {
        if (counts.isEmpty()) {
            return;
        }
        for (Applied listener : listeners) {
            try {
                listener.applied(journal.journalId(), upToSeq, counts);
            } catch (RuntimeException e) {
                LOG.warn("A listener of applied clicks failed: {}", e.toString());
            }
        }
    }

    /**
     * A flush from the background schedule: failures are logged (at most once a minute, with the
     * last reason) and retried. Nothing thrown leaves it, not even an Error: a scheduled task that
     * throws is never run again.
     */
    void flushQuietly() {
        try {
            flush();
            lastFailure = null;
            if (lastFailureLog != 0) {
                LOG.info("Click counters are being applied to PostgreSQL again");
                lastFailureLog = 0;
            }
        } catch (Throwable e) {
            lastFailure = e.toString();
            long now = System.nanoTime();
            if (lastFailureLog == 0 || now - lastFailureLog > 60_000_000_000L) {
                LOG.warn("Cannot apply {} journaled click(s) to PostgreSQL yet: {}", journal.backlog(), e.toString());
                lastFailureLog = now;
            }
        }
    }

    /**
     * Why counting stands still, or null while it moves: clicks wait, and for longer than
     * {@code limitNanos} the applied position has not moved.
     */
    public String stuck(long limitNanos) {
        long backlog = journal.backlog();
        long still = System.nanoTime() - progressNanos;
        if (backlog == 0 || still <= limitNanos) {
            return null;
        }
        String failure = lastFailure;
        long inFlight = inFlightSinceNanos;
        String why = failure != null ? "every flush fails: " + failure
                : inFlight != 0 ? "a counter transaction has waited " + (System.nanoTime() - inFlight) / 1_000_000_000 + " s"
                : "no flush has finished";
        return String.format("no click applied for %d s while %d wait; %s", still / 1_000_000_000, backlog, why);
    }

    /** Age of the oldest click recorded but not yet in PostgreSQL, in milliseconds (0 if none). */
    public long oldestUnappliedMillis() {
        if (!journal.isOpen()) {
            return 0;
        }
        long oldest = journal.pending().sinceNanos();
        long inFlight = inFlightSinceNanos;
        if (inFlight != 0 && (oldest == 0 || inFlight - oldest < 0)) {
            oldest = inFlight;
        }
        return oldest == 0 ? 0 : (System.nanoTime() - oldest) / 1_000_000;
    }
}
