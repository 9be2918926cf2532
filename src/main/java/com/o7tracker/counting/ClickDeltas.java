package com.o7tracker.counting;

/**
 * Recorded clicks folded as a flush applies them ({@link ClickCounts}: per campaign, and per
 * campaign and minute), with the journal position they reach. The flusher drains it into one
 * transaction; a failed transaction puts it back.
 */
final class ClickDeltas {

    /** What one flush applies, up to a journal position. */
    record Snapshot(ClickCounts counts, long upToSeq, long sinceNanos) {
        boolean isEmpty() {
            return counts.isEmpty();
        }

        long clicks() {
            return counts.clicks();
        }
    }

    private ClickCounts counts = new ClickCounts();
    private long upToSeq;
    private long sinceNanos;

    ClickDeltas(long upToSeq) {
        this.upToSeq = upToSeq;
    }

    /** Adds clicks served in {@code minute} that are durable up to {@code newUpToSeq}. */
    synchronized void add(long[] campaignIds, byte[] kinds, int n, long minute, long newUpToSeq) {
        if (n > 0 && counts.isEmpty()) {
            sinceNanos = System.nanoTime();
        }
        for (int i = 0; i < n; i++) {
            counts.add(campaignIds[i], kinds[i] & 0xFF, minute, 1);
        }
        upToSeq = Math.max(upToSeq, newUpToSeq);
    }

    /** Adds clicks read back from the journal at start-up (already below {@link #upToSeq}). */
    synchronized void addReplayed(ClickCounts replayed) {
        addCounts(replayed);
    }

    synchronized Snapshot drain() {
        Snapshot snapshot = new Snapshot(counts, upToSeq, sinceNanos);
        counts = new ClickCounts();
        sinceNanos = 0;
        return snapshot;
    }

    /** Puts back a snapshot whose transaction failed; its clicks are applied with the next flush. */
    synchronized void restore(Snapshot snapshot) {
        addCounts(snapshot.counts());
        if (snapshot.sinceNanos() != 0 && (sinceNanos == 0 || snapshot.sinceNanos() - sinceNanos < 0)) {
            sinceNanos = snapshot.sinceNanos();
        }
    }

    synchronized long clicks() {
        return counts.clicks();
    }

    /** When the oldest click held here was recorded (System.nanoTime), 0 if none. */
    synchronized long sinceNanos() {
        return sinceNanos;
    }

    private void addCounts(ClickCounts more) {
        if (more.isEmpty()) {
            return;
        }
        if (counts.isEmpty()) {
            sinceNanos = System.nanoTime();
        }
        counts.addAll(more);
    }
}
