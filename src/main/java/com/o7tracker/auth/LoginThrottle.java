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
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

/**
 * Which login attempts have their credentials checked, and when. Guessing is limited twice, and
 * neither limit refuses the right password once its turn has come:
 * <ul>
 * <li>per user name, across all clients: once {@code maxFailures} attempts within the window have
 * not logged in, the name's attempts are checked one at a time, spaced by a delay that doubles up
 * to {@code maxDelay}. The turns go round the clients: a client has at most one attempt waiting on
 * a name, and a new one takes the next turn after those waiting, so a guesser sending as fast as
 * it can gets one turn per round, not every turn (first come, first served, one address took each
 * freed turn within milliseconds and the admin's attempt was refused for as long as it sent). At
 * most {@value #WAITING_PLACES} clients wait on a name; an attempt beyond them is refused (429)
 * without being checked, so no request waits longer than that many turns and rotating addresses
 * buys no more checks;
 * <li>per client (an IPv4 address, or an IPv6 /64, which one subscriber holds whole): after
 * {@code maxFailures} attempts within the window that have not logged in, one attempt per
 * {@code maxDelay}, whatever user name it carries.
 * </ul>
 * A client that has logged in within {@link #RECOGNISED_FOR} skips the user names' turns (its own
 * limit still holds): the admin's usual address gets in at once even while the waiting places are
 * all taken by guessers rotating addresses, which a stranger could only queue behind.
 * The delay comes before the check, so a guesser cannot learn the answer sooner by hanging up; it
 * is waited out by {@link LoginGate} without holding a thread. An admitted attempt counts against
 * its user name until it logs in, so a burst of concurrent guesses is spaced like a sequence of
 * them; a login takes back only its own attempt and clears nothing else (the admin's requests would
 * otherwise reopen the free attempts for a guesser). Memory is bounded: at most {@code maxTracked}
 * clients, as many user names with {@value #WAITING_PLACES} waiting clients each, and as many
 * clients that logged in.
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
    /** Clients that may wait on one user name: the admin's place in a round of guessers is at most this far off. */
    static final int WAITING_PLACES = 8;
    static final Duration RECOGNISED_FOR = Duration.ofDays(30);
    private static final long LONG_AGO = Long.MIN_VALUE / 4;

    private final int maxFailures;
    private final long windowNanos;
    private final long maxDelayNanos;
    private final Ticker ticker;
    private final Cache<String, Tally> clients;
    private final Cache<String, Tally> users;
    private final Cache<String, Boolean> loggedIn;
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
        // Only the right password adds to it, so a guesser cannot push the admin's address out.
        this.loggedIn = Caffeine.newBuilder().maximumSize(maxTracked).expireAfterWrite(RECOGNISED_FOR).ticker(ticker).build();
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
        return turn(client, user);
    }

    /**
     * The turn of an attempt with an API key by {@code client}: its own limit only. A key is 256
     * random bits with no name to guess at, so no user name's turns are shared with it (a stranger's
     * wrong keys would otherwise hold back every other client's right ones). Reported, checked, to
     * {@link #keyFailed} or {@link #succeeded} (with no user name).
     */
    public synchronized Admission admitKey(String client) {
        return turn(client, null);
    }

    private Admission turn(String client, String user) {
        long now = ticker.read();
        Tally c = clients.get(client, k -> new Tally(now));
        c.roll(now, windowNanos);
        long turn = now;
        if (c.pending() >= maxFailures) {
            // Never before now: failures refused unchecked (undecodable, malformed) set no turn.
            turn = Math.max(now, c.lastTurn + maxDelayNanos);
            if (turn - now > maxDelayNanos) {
                return refused(turn - maxDelayNanos - now);
            }
        }
        Tally u = null;
        if (user != null && loggedIn.getIfPresent(client) == null) {
            u = users.get(user, k -> new Tally(now));
            u.roll(now, windowNanos);
            u.waiting.values().removeIf(waiting -> waiting <= now);
            Long waiting = u.waiting.get(client);
            if (waiting != null) {
                return refused(waiting - now);
            }
            if (u.waiting.size() >= WAITING_PLACES) {
                return refused(Collections.min(u.waiting.values()) - now);
            }
            turn = Math.max(turn, u.lastTurn + spacing(u.pending()));
        }
        c.lastTurn = Math.max(c.lastTurn, turn);
        c.admitted++;
        if (u != null) {
            u.lastTurn = Math.max(u.lastTurn, turn);
            u.admitted++;
            if (turn > now) {
                u.waiting.put(client, turn);
            }
        }
        if (turn == now) {
            return NOW;
        }
        delayed.mark();
        return new Later(turn - now);
    }

    /** Refused unchecked; worth trying again in {@code nanos} (at least a second). */
    private Refused refused(long nanos) {
        throttled.mark();
        return new Refused(Math.max(1, (nanos + 999_999_999L) / 1_000_000_000L));
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

    /** A checked API key that does not exist: a failed login of its client, counted at its turn. */
    public synchronized void keyFailed(String client) {
        failures.mark();
        evaluations.mark();
    }

    /**
     * A checked attempt that logged in; {@code user} null: with an API key, which takes back its
     * client's attempt and no more (only the password makes a client recognised).
     */
    public synchronized void succeeded(String client, String user) {
        evaluations.mark();
        if (user == null) {
            Tally tally = clients.getIfPresent(client);
            if (tally != null && tally.succeeded < tally.admitted) {
                tally.succeeded++;
            }
            return;
        }
        // A recognised client's attempt was not counted on the user name; taking one back there
        // would free a guesser's.
        boolean recognised = loggedIn.getIfPresent(client) != null;
        for (Tally tally : new Tally[] {clients.getIfPresent(client), recognised ? null : users.getIfPresent(user)}) {
            if (tally != null && tally.succeeded < tally.admitted) {
                tally.succeeded++;
            }
        }
        loggedIn.put(client, Boolean.TRUE);
    }

    /** The longest an admitted attempt waits for its turn: a user name's round of waiting clients. */
    public Duration longestWait() {
        return Duration.ofNanos(maxDelayNanos).multipliedBy(WAITING_PLACES);
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
     * logged in are pending (failed, or not reported yet), and the last turn given; for a user name
     * also the clients whose turn is still to come, and when (at most {@link #WAITING_PLACES}).
     */
    private static final class Tally {
        long opened;
        int admitted;
        int succeeded;
        long lastTurn = LONG_AGO;
        final Map<String, Long> waiting = new HashMap<>();

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
