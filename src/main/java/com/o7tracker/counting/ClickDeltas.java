package com.o7tracker.counting;

import java.util.HashMap;
import java.util.Map;

/**
 * Recorded clicks folded into per-campaign counts (one per counter, see {@link ClickKind}), with
 * the journal position they reach. The flusher drains it into one transaction; a failed
 * transaction puts it back.
 */
final class ClickDeltas {

    /** What one flush applies: counts per campaign (indexed by {@link ClickKind#counter}) up to a journal position. */
    record Snapshot(Map<Long, long[]> counts, long upToSeq, long clicks, long sinceNanos) {
        boolean isEmpty() {
            return clicks == 0;
        }
    }

    private Map<Long, long[]> counts = new HashMap<>();
    private long upToSeq;
    private long clicks;
    private long sinceNanos;

    ClickDeltas(long upToSeq) {
        this.upToSeq = upToSeq;
    }

    /** Adds clicks that are durable up to {@code newUpToSeq}. */
    synchronized void add(long[] campaignIds, byte[] kinds, int n, long newUpToSeq) {
        for (int i = 0; i < n; i++) {
            addOne(campaignIds[i], ClickKind.counter(kinds[i]), 1);
        }
        upToSeq = Math.max(upToSeq, newUpToSeq);
    }

    /** Adds clicks read back from the journal at start-up (already below {@link #upToSeq}). */
    synchronized void addReplayed(Map<Long, long[]> replayed) {
        addCounts(replayed);
    }

    synchronized Snapshot drain() {
        Snapshot snapshot = new Snapshot(counts, upToSeq, clicks, sinceNanos);
        counts = new HashMap<>();
        clicks = 0;
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
        return clicks;
    }

    /** When the oldest click held here was recorded (System.nanoTime), 0 if none. */
    synchronized long sinceNanos() {
        return sinceNanos;
    }

    private void addCounts(Map<Long, long[]> counts) {
        counts.forEach((id, perCounter) -> {
            for (int c = 0; c < ClickKind.COUNTERS; c++) {
                addOne(id, c, perCounter[c]);
            }
        });
    }

    private void addOne(long campaignId, int counter, long n) {
        if (n == 0) {
            return;
        }
        if (clicks == 0) {
            sinceNanos = System.nanoTime();
        }
        counts.computeIfAbsent(campaignId, id -> new long[ClickKind.COUNTERS])[counter] += n;
        clicks += n;
    }
}
