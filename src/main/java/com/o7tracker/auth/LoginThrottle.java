package com.o7tracker.auth;

import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Failed logins per client address: after {@code maxFailures} within a window that starts at the
 * client's first failure, the client is refused until the window has passed. One client's login
 * clears nothing of another's. Memory is bounded: at most {@code maxClients} windows, each
 * forgotten when it ends.
 */
public final class LoginThrottle {

    private final int maxFailures;
    private final long windowNanos;
    private final Ticker ticker;
    private final Cache<String, Window> windows;
    private final Meter failures;
    private final Meter throttled;

    public LoginThrottle(int maxFailures, Duration window, long maxClients, Ticker ticker, MetricRegistry metrics) {
        this.maxFailures = maxFailures;
        this.windowNanos = window.toNanos();
        this.ticker = ticker;
        // A window is written once, when it opens (failures count in place), so it expires when it ends.
        this.windows = Caffeine.newBuilder().maximumSize(maxClients).expireAfterWrite(window).ticker(ticker).build();
        this.failures = metrics.meter("auth.failures");
        this.throttled = metrics.meter("auth.throttled");
    }

    /** Seconds until the client may try again, when it is refused now (and counted as refused). */
    public OptionalLong retryAfterSeconds(String client) {
        Window window = windows.getIfPresent(client);
        if (window == null || window.failures.get() < maxFailures) {
            return OptionalLong.empty();
        }
        long left = window.opened + windowNanos - ticker.read();
        if (left <= 0) {
            return OptionalLong.empty();
        }
        throttled.mark();
        return OptionalLong.of((left + 999_999_999L) / 1_000_000_000L);
    }

    public void failed(String client) {
        failures.mark();
        long now = ticker.read();
        Window window = windows.get(client, c -> new Window(now));
        if (now - window.opened >= windowNanos) {
            // Caffeine has not swept the ended window yet: this failure opens the next one.
            window = new Window(now);
            windows.put(client, window);
        }
        window.failures.incrementAndGet();
    }

    long trackedAddresses() {
        windows.cleanUp();
        return windows.estimatedSize();
    }

    /**
     * The client of a request: the connection's remote address, or, behind {@code trustedProxies}
     * proxies that each append the address they saw to X-Forwarded-For, the entry the outermost of
     * them wrote. Entries further left are the client's own to invent and are never used.
     */
    public static String client(String remoteAddress, String forwardedFor, int trustedProxies) {
        if (trustedProxies == 0 || forwardedFor == null) {
            return remoteAddress;
        }
        String[] entries = forwardedFor.split(",");
        if (entries.length < trustedProxies) {
            return remoteAddress;
        }
        String client = entries[entries.length - trustedProxies].trim();
        return client.isEmpty() ? remoteAddress : client;
    }

    private static final class Window {
        final long opened;
        final AtomicInteger failures = new AtomicInteger();

        Window(long opened) {
            this.opened = opened;
        }
    }
}
