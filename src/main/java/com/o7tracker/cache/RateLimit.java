package com.o7tracker.cache;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * At most {@code perSecond} permits a second, with a burst of as many after a quiet second, without
 * a lock (the generic cell rate algorithm: one time, that of the theoretical next permit, moved by
 * compare and set). A permit refused is not waited for and costs one read.
 */
final class RateLimit {

    private final long intervalNanos;
    private final long burstNanos;
    private final AtomicLong next;

    RateLimit(int perSecond) {
        this.intervalNanos = TimeUnit.SECONDS.toNanos(1) / perSecond;
        this.burstNanos = intervalNanos * (perSecond - 1);
        this.next = new AtomicLong(System.nanoTime());
    }

    /** Whether a permit was taken now. */
    boolean tryAcquire() {
        long now = System.nanoTime();
        while (true) {
            long due = next.get();
            if (due - now > burstNanos) {
                return false;
            }
            long after = (due - now < 0 ? now : due) + intervalNanos; // differences only: nanoTime may wrap
            if (next.compareAndSet(due, after)) {
                return true;
            }
        }
    }
}
