package com.o7tracker.counting;

import com.o7tracker.dimension.Visit;

/**
 * Recorded clicks folded as a flush applies them ({@link ClickCounts}: per campaign, and per
 * campaign and minute), for the journal positions [{@link #fromSeq}, {@link #upToSeq}). Clicks
 * below {@link #fromSeq} that PostgreSQL has not applied yet are read back from the journal, in
 * pieces: at start-up (what a previous process left), and after the held rows passed
 * {@code maxRows} (a long outage of PostgreSQL with many campaigns clicked), when the held counts
 * are dropped and only the journal keeps them. So the memory of a backlog is bounded whatever its
 * size, and no flush applies more than about {@code maxRows} rows ({@link ClickCounts#rows}) in one
 * transaction.
 */
final class ClickDeltas {

    /** What one flush applies: the clicks at journal positions [fromSeq, upToSeq). */
    record Snapshot(ClickCounts counts, long fromSeq, long upToSeq, long sinceNanos) {
        boolean isEmpty() {
            return counts.isEmpty();
        }
    }

    /**
     * The (campaign, minute, visit) entries ({@link ClickCounts#rows}) held in memory by default,
     * and applied by one transaction at most.
     */
    static final int DEFAULT_MAX_ROWS = 20_000;

    private final int maxRows;
    private ClickCounts counts = new ClickCounts();
    private long fromSeq;
    private long upToSeq;
    private long sinceNanos;

    ClickDeltas(long upToSeq, int maxRows) {
        this.fromSeq = upToSeq;
        this.upToSeq = upToSeq;
        this.maxRows = maxRows;
    }

    /** Adds clicks served in {@code minute} that are durable up to {@code newUpToSeq}. */
    synchronized void add(long[] campaignIds, byte[] kinds, Visit[] visits, int n, long minute, long newUpToSeq) {
        if (n > 0 && sinceNanos == 0) {
            sinceNanos = System.nanoTime();
        }
        try {
            for (int i = 0; i < n; i++) {
                counts.add(campaignIds[i], kinds[i] & 0xFF, minute, visits[i], 1);
            }
        } catch (OutOfMemoryError e) {
            // The records are on disk: drop what is held, the flusher reads them back in pieces.
            upToSeq = Math.max(upToSeq, newUpToSeq);
            spill();
            return;
        }
        upToSeq = Math.max(upToSeq, newUpToSeq);
        if (counts.rows() > maxRows) {
            spill();
        }
    }

    /** The first position whose clicks are held here; the unapplied ones below it are read from the journal. */
    synchronized long fromSeq() {
        return fromSeq;
    }

    /** Every click recorded so far is below this position. */
    synchronized long upToSeq() {
        return upToSeq;
    }

    /** At start-up: clicks of the journal below {@link #fromSeq} may wait to be applied, from now on. */
    synchronized void waitingOnDisk() {
        if (sinceNanos == 0) {
            sinceNanos = System.nanoTime();
        }
    }

    /**
     * Takes what is held if it begins at {@code applied}, the flush's applied position; null if
     * clicks below it wait on disk only (then they go first).
     */
    synchronized Snapshot drainFrom(long applied) {
        if (fromSeq != applied) {
            return null;
        }
        Snapshot snapshot = new Snapshot(counts, fromSeq, upToSeq, sinceNanos);
        counts = new ClickCounts();
        fromSeq = upToSeq;
        sinceNanos = 0;
        return snapshot;
    }

    /**
     * Puts back a snapshot (held or read back from the journal) whose transaction failed. When it
     * ends where the held clicks begin, it joins them; otherwise clicks were dropped from memory
     * since, and the journal gives the snapshot's clicks again.
     */
    synchronized void restore(Snapshot snapshot) {
        if (snapshot.upToSeq() == fromSeq) {
            ClickCounts held = counts;
            counts = snapshot.counts();
            counts.addAll(held);
            fromSeq = snapshot.fromSeq();
            if (counts.rows() > maxRows) {
                spill();
            }
        }
        if (snapshot.sinceNanos() != 0 && (sinceNanos == 0 || snapshot.sinceNanos() - sinceNanos < 0)) {
            sinceNanos = snapshot.sinceNanos();
        }
    }

    synchronized long clicks() {
        return counts.clicks();
    }

    /** When the oldest click not yet applied and not in flight was recorded (System.nanoTime), 0 if none. */
    synchronized long sinceNanos() {
        return sinceNanos;
    }

    /** Drops the held clicks: from now on the journal gives them. {@link #sinceNanos} stays. */
    private void spill() {
        counts = new ClickCounts();
        fromSeq = upToSeq;
    }
}
