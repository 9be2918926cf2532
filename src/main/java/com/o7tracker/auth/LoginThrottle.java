package com.o7tracker.auth;

import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Arrays;

/**
 * Which login attempts have their credentials checked, and when. Guessing is limited twice, and
 * neither limit refuses the right password once its turn has come:
 * <ul>
 * <li>per user name, across all clients: once {@code maxFailures} attempts within the window have
 * not logged in, the name's attempts are checked one at a time, spaced by a delay that doubles up
 * to {@code maxDelay}. An attempt whose turn is further than {@code maxDelay} away is refused
 * (429) without being checked, so no request waits longer, and rotating addresses buys nothing;
 * <li>per client (an IPv4 address, or an IPv6 /64, which one subscriber holds whole): after
 * {@code maxFailures} attempts within the window that have not logged in, one attempt per
 * {@code maxDelay}, whatever user name it carries.
 * </ul>
 * The delay comes before the check, so a guesser cannot learn the answer sooner by hanging up; it
 * is waited out by {@link LoginGate} without holding a thread. An admitted attempt counts against
 * its user name until it logs in, so a burst of concurrent guesses is spaced like a sequence of
 * them; a login takes back only its own attempt and clears nothing else (the admin's requests would
 * otherwise reopen the free attempts for a guesser). Memory is bounded: at most {@code maxTracked} clients and as many user names.
 */
public final class LoginThrottle {

    /** What to do with an attempt: check it now, check it after a delay, or refuse it unchecked. */
    public sealed interface Admission permits Now, Later, Refused {
    }

    public record Now() implements Admission {
    }

    public record Later(long delayNanos) implements Admission {
    }

    public record Refused(long retryAfterSeconds) implements Admission {
    }

    static final Admission NOW = new Now();
    private static final long LONG_AGO = Long.MIN_VALUE / 4;

    private final int maxFailures;
    private final long windowNanos;
    private final long maxDelayNanos;
    private final Ticker ticker;
    private final Cache<String, Tally> clients;
    private final Cache<String, Tally> users;
    private final Meter failures;
    private final Meter evaluations;
    private final Meter delayed;
    private final Meter throttled;

    public LoginThrottle(int maxFailures, Duration window, Duration maxDelay, long maxTracked, Ticker ticker,
            MetricRegistry metrics) {
        this.maxFailures = maxFailures;
        this.windowNanos = window.toNanos();
        this.maxDelayNanos = maxDelay.toNanos();
        this.ticker = ticker;
        // Entries count in place and roll their window themselves; one untouched for a window is over.
        this.clients = Caffeine.newBuilder().maximumSize(maxTracked).expireAfterAccess(window).ticker(ticker).build();
        this.users = Caffeine.newBuilder().maximumSize(maxTracked).expireAfterAccess(window).ticker(ticker).build();
        this.failures = metrics.meter("auth.failures");
        this.evaluations = metrics.meter("auth.evaluations");
        this.delayed = metrics.meter("auth.delayed");
        this.throttled = metrics.meter("auth.throttled");
    }

    /**
     * The turn of an attempt by {@code client} (see {@link #key}) as {@code user}, taken now: an
     * admitted attempt must be reported, checked, to {@link #failed} or {@link #succeeded}.
     */
    public synchronized Admission admit(String client, String user) {
        long now = ticker.read();
        Tally c = clients.get(client, k -> new Tally(now));
        Tally u = users.get(user, k -> new Tally(now));
        c.roll(now, windowNanos);
        u.roll(now, windowNanos);
        long turn = Math.max(now, u.lastTurn + spacing(u.pending()));
        if (c.pending() >= maxFailures) {
            turn = Math.max(turn, c.lastTurn + maxDelayNanos);
        }
        long wait = turn - now;
        if (wait > maxDelayNanos) {
            throttled.mark();
            return new Refused(Math.max(1, (wait - maxDelayNanos + 999_999_999L) / 1_000_000_000L));
        }
        u.lastTurn = turn;
        c.lastTurn = turn;
        u.admitted++;
        c.admitted++;
        if (wait == 0) {
            return NOW;
        }
        delayed.mark();
        return new Later(wait);
    }

    /** The spacing of a user name's checks with {@code pending} attempts in the window not logged in. */
    private long spacing(int pending) {
        int over = pending - maxFailures;
        return over < 0 ? 0 : maxDelayNanos >> Math.max(0, 3 - over);
    }

    /** A checked attempt that failed; {@code user} null: credentials that did not decode, never admitted. */
    public synchronized void failed(String client, String user) {
        failures.mark();
        if (user != null) {
            evaluations.mark();
            return;
        }
        long now = ticker.read();
        Tally c = clients.get(client, k -> new Tally(now));
        c.roll(now, windowNanos);
        c.admitted++;
    }

    public synchronized void succeeded(String client, String user) {
        evaluations.mark();
        for (Tally tally : new Tally[] {clients.getIfPresent(client), users.getIfPresent(user)}) {
            if (tally != null && tally.succeeded < tally.admitted) {
                tally.succeeded++;
            }
        }
    }

    /**
     * The client as counted: an IPv4 address, or the /64 of an IPv6 one (a home or a server gets a
     * whole /64 and can pick any address in it).
     */
    public static String key(InetAddress address) {
        if (address instanceof Inet4Address) {
            return address.getHostAddress();
        }
        byte[] prefix = Arrays.copyOf(address.getAddress(), 16);
        Arrays.fill(prefix, 8, 16, (byte) 0);
        try {
            return InetAddress.getByAddress(prefix).getHostAddress() + "/64";
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // 16 bytes are always an address
        }
    }

    long trackedAddresses() {
        clients.cleanUp();
        return clients.estimatedSize();
    }

    /**
     * A client's or a user name's attempts in the current window: admitted ones that have not
     * logged in are pending (failed, or not reported yet), and the last turn given.
     */
    private static final class Tally {
        long opened;
        int admitted;
        int succeeded;
        long lastTurn = LONG_AGO;

        Tally(long now) {
            this.opened = now;
        }

        int pending() {
            return admitted - succeeded;
        }

        void roll(long now, long windowNanos) {
            if (now - opened >= windowNanos) {
                opened = now;
                admitted = 0;
                succeeded = 0;
            }
        }
    }
}
