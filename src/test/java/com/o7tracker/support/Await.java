package com.o7tracker.support;

import java.time.Duration;

/**
 * Waits for something another thread or process does, with a deadline: a test whose condition
 * never comes fails, saying what it waited for, instead of hanging the build.
 */
public final class Await {

    /** A condition to poll; it may query a database or a service, hence the exception. */
    @FunctionalInterface
    public interface Condition {
        boolean holds() throws Exception;
    }

    private Await() {
    }

    /** Polls {@code condition} every 5 ms until it holds; fails once {@code timeout} has passed without it. */
    public static void until(String what, Duration timeout, Condition condition) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.holds()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("waited " + timeout.toSeconds() + " s for: " + what);
            }
            Thread.sleep(5);
        }
    }
}
