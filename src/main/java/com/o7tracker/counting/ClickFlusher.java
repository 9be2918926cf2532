package com.o7tracker.counting;

import com.codahale.metrics.Histogram;
import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;
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
    /** The token with which this process claims the journal's row in PostgreSQL (owner once claimed). */
    private final String token = UUID.randomUUID().toString();
    private String owner;
    private volatile long inFlightSinceNanos;
    private long lastFailureLog;

    public ClickFlusher(ClickJournal journal, CounterStore store, MetricRegistry metrics) {
        this.journal = journal;
        this.store = store;
        this.flushes = metrics.timer("clicks.flush");
        this.failures = metrics.meter("clicks.flush.failures");
        this.campaignsPerFlush = metrics.histogram("clicks.flush.campaigns");
    }

    /**
     * Applies every click recorded before the call. Throws if PostgreSQL cannot take them; they
     * stay pending (and in the journal) for the next flush.
     */
    public synchronized void flush() throws IOException {
        if (!journal.isOpen()) {
            throw new IOException("the click journal is not open: " + journal.failure());
        }
        ClickDeltas pending = journal.pending();
        try (Timer.Context ignored = flushes.time()) {
            if (!replayed) {
                applied = claimJournal();
                long end = journal.recoveredEnd();
                if (applied > end) {
                    throw new IllegalStateException("PostgreSQL has applied journal " + journal.journalId()
                            + " up to " + applied + " but the journal ends at " + end + "; was " + journal.directory()
                            + " replaced?");
                }
                Map<Long, long[]> unapplied = journal.replay(applied, end);
                pending.addReplayed(unapplied);
                replayed = true;
                if (end > applied) {
                    LOG.info("Replaying {} journaled click(s) not yet in PostgreSQL", end - applied);
                }
                journal.applied(applied);
            }
            if (inDoubt != null) {
                resolveInDoubt(pending);
            }
            ClickDeltas.Snapshot snapshot = pending.drain();
            if (snapshot.isEmpty() && snapshot.upToSeq() == applied) {
                return;
            }
            inFlightSinceNanos = snapshot.sinceNanos();
            try {
                journal.makeDurable();
            } catch (IOException | RuntimeException e) {
                pending.restore(snapshot);
                inFlightSinceNanos = 0;
                throw e;
            }
            try {
                store.apply(journal.journalId(), owner, applied, snapshot.upToSeq(), snapshot.counts());
            } catch (RuntimeException e) {
                inDoubt = snapshot; // inFlightSinceNanos stays: its clicks are not known to be applied
                throw e;
            }
            inFlightSinceNanos = 0;
            campaignsPerFlush.update(snapshot.counts().size());
            applied = snapshot.upToSeq();
            journal.applied(applied);
        } catch (IOException | RuntimeException e) {
            failures.mark();
            throw e;
        }
    }

    /**
     * Takes the journal's row in PostgreSQL with a new owner token, recorded in the directory
     * first. If another copy of this directory (a VM image, {@code cp -a}) owns the row, this one
     * becomes a new journal starting at the records written since this process opened it: the
     * records before belong to the journal it was copied from, and are counted there.
     */
    private long claimJournal() throws IOException {
        List<String> own = journal.ownerTokens();
        if (!own.contains(token)) {
            List<String> claiming = new ArrayList<>(own);
            claiming.add(token);
            journal.writeOwnerTokens(claiming);
        }
        OptionalLong claimed = store.claim(journal.journalId(), journal.startPosition(), own, token);
        if (claimed.isEmpty()) {
            String copiedFrom = journal.journalId();
            journal.startNewJournal(journal.recoveredEnd());
            LOG.warn("The click journal in {} is a copy: journal {} belongs to another instance, which counts the"
                    + " clicks it holds. This instance continues as new journal {} from position {}.",
                    journal.directory(), copiedFrom, journal.journalId(), journal.recoveredEnd());
            claimed = store.claim(journal.journalId(), journal.startPosition(), List.of(), token);
            if (claimed.isEmpty()) {
                throw new IllegalStateException("Journal " + journal.journalId() + " is owned by another process");
            }
        }
        journal.writeOwnerTokens(List.of(token));
        owner = token;
        return claimed.getAsLong();
    }

    /**
     * Settles the batch whose transaction failed: if PostgreSQL's position moved to the batch's
     * end, it committed; if it stayed, it did not and its clicks go back into the next batch.
     * Anything else means another process moves this journal's position, and counting stops.
     */
    private void resolveInDoubt(ClickDeltas pending) {
        long truth = store.appliedSeq(journal.journalId());
        if (truth == inDoubt.upToSeq() && truth != applied) {
            LOG.info("The counter transaction up to journal position {} had committed although its answer was lost;"
                    + " continuing from there", truth);
            applied = truth;
            journal.applied(applied);
        } else if (truth == applied) {
            pending.restore(inDoubt);
        } else {
            throw new IllegalStateException("Journal " + journal.journalId() + " is at position " + truth
                    + " in PostgreSQL, neither " + applied + " nor " + inDoubt.upToSeq()
                    + "; another process may be applying it");
        }
        inDoubt = null;
        inFlightSinceNanos = 0;
    }

    /** A flush from the background schedule: failures are logged (at most every 30 s) and retried. */
    void flushQuietly() {
        try {
            flush();
            if (lastFailureLog != 0) {
                LOG.info("Click counters are being applied to PostgreSQL again");
                lastFailureLog = 0;
            }
        } catch (Exception e) {
            long now = System.nanoTime();
            if (lastFailureLog == 0 || now - lastFailureLog > 30_000_000_000L) {
                LOG.warn("Cannot apply {} journaled click(s) to PostgreSQL yet: {}", journal.backlog(), e.toString());
                lastFailureLog = now;
            }
        }
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
