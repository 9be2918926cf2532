package com.o7tracker.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.MetricRegistry;
import com.o7tracker.auth.LoginThrottle.Admission;
import com.o7tracker.auth.LoginThrottle.Later;
import com.o7tracker.auth.LoginThrottle.Now;
import com.o7tracker.auth.LoginThrottle.Refused;
import com.o7tracker.web.ClientAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The throttle's turns on a clock of its own: 3 free failures, a 60 s window, turns up to 2 s apart. */
class LoginThrottleTest {

    private static final Duration MAX_DELAY = Duration.ofSeconds(2);

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final MetricRegistry metrics = new MetricRegistry();
    private final LoginThrottle throttle = new LoginThrottle(3, Duration.ofSeconds(60), MAX_DELAY, 1000, now::get, metrics);

    private void advance(Duration by) {
        now.addAndGet(by.toNanos());
    }

    private long evaluations() {
        return metrics.meter("auth.evaluations").getCount();
    }

    /** One attempt played out: refused, or waited for and checked (wrong unless {@code right}). */
    private Admission attempt(String client, String user, boolean right) {
        Admission admission = throttle.admit(client, user);
        if (admission instanceof Refused) {
            return admission;
        }
        if (admission instanceof Later later) {
            advance(Duration.ofNanos(later.delayNanos()));
        }
        if (right) {
            throttle.succeeded(client, user);
        } else {
            throttle.failed(client, user);
        }
        return admission;
    }

    @Test
    void aUserNamesAttemptsAreSpacedByADelayThatDoublesUpToTheBound() {
        List<Long> delays = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            Admission admission = attempt("198.51.100." + i, "admin", false); // a new address each time
            delays.add(admission instanceof Later later ? later.delayNanos() / 1_000_000 : 0L);
        }
        assertThat(delays).containsExactly(0L, 0L, 0L, 250L, 500L, 1000L, 2000L, 2000L);
        assertThat(evaluations()).isEqualTo(8);
    }

    @Test
    void aBurstOfConcurrentGuessesIsSpacedLikeASequenceAndTheRestRefusedUnchecked() {
        // 1,000 attempts arrive before any has been checked: each takes its turn, none is reported yet.
        int now0 = 0;
        int later = 0;
        List<Long> retryAfter = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            Admission admission = throttle.admit("2001:db8:" + i + "::/64", "admin");
            if (admission instanceof Now) {
                now0++;
            } else if (admission instanceof Later) {
                later++;
            } else {
                retryAfter.add(((Refused) admission).retryAfterSeconds());
            }
        }
        // 3 free, then the 8 waiting places, turns 250, 750, 1,750, 3,750 ... 11,750 ms away; the
        // rest are refused until the first place frees, in 250 ms: retry after a second.
        assertThat(now0).isEqualTo(3);
        assertThat(later).isEqualTo(LoginThrottle.WAITING_PLACES);
        assertThat(retryAfter).hasSize(989).containsOnly(1L);
        assertThat(metrics.meter("auth.throttled").getCount()).isEqualTo(989);
    }

    @Test
    void theRightPasswordGetsInAfterAFloodAndOnlyBoundedGuessesWereChecked() {
        // A minute of guesses from ever new addresses, ten every 100 ms.
        for (int tick = 0; tick < 600; tick++) {
            for (int i = 0; i < 10; i++) {
                Admission admission = throttle.admit("203.0." + tick % 250 + "." + i, "admin");
                if (!(admission instanceof Refused)) {
                    throttle.failed("203.0." + tick % 250 + "." + i, "admin"); // checked at its turn
                }
            }
            advance(Duration.ofMillis(100));
        }
        // 3 free, 250 + 500 + 1000 ms of turns, then one per 2 s: about 30 of 6,000 in the minute,
        // and the attempts still waiting for their turns (reported here as they were admitted).
        assertThat(evaluations()).isBetween(30L, 3 + 3 + 60 / 2 + 1L + LoginThrottle.WAITING_PLACES);
        // The flood's waiting attempts have had their turns.
        advance(throttle.longestWait());
        Admission admin = attempt("192.0.2.1", "admin", true);
        assertThat(admin).isNotInstanceOf(Refused.class);
        assertThat(admin instanceof Later later ? later.delayNanos() : 0L).isLessThanOrEqualTo(MAX_DELAY.toNanos());
    }

    /**
     * Guesses from {@code clients} (one after another), a wrong password every 20 ms from each,
     * played on the fake clock for {@code length}: each client waits out its turn before it sends
     * the next, as a client that keeps one request open does, and sends at once after a refusal.
     * Meanwhile the right password is tried from {@code admin} every {@code adminEvery}, each attempt
     * from a new address unless {@code admin} is one address; its waits, in milliseconds, or -1 for a
     * refusal.
     */
    private List<Long> rightPasswordDuringAFlood(List<String> clients, Duration length, Duration adminEvery,
            java.util.function.IntFunction<String> admin) {
        long step = Duration.ofMillis(10).toNanos();
        long start = now.get();
        long[] busyUntil = new long[clients.size()];
        List<long[]> checks = new ArrayList<>(); // {turn, index of the client or -1 for the admin}
        List<Long> adminWaits = new ArrayList<>();
        long nextAdmin = start + adminEvery.toNanos();
        int adminTries = 0;
        for (long t = start; t - start < length.toNanos(); t += step) {
            now.set(t);
            for (java.util.Iterator<long[]> it = checks.iterator(); it.hasNext();) {
                long[] check = it.next();
                if (check[0] <= t) {
                    it.remove();
                    String client = check[1] < 0 ? admin.apply((int) -check[1] - 1) : clients.get((int) check[1]);
                    if (check[1] < 0) {
                        throttle.succeeded(client, "admin");
                    } else {
                        throttle.failed(client, "admin");
                    }
                }
            }
            if ((t - start) % (2 * step) == 0) {
                for (int i = 0; i < clients.size(); i++) {
                    if (busyUntil[i] > t) {
                        continue;
                    }
                    Admission admission = throttle.admit(clients.get(i), "admin");
                    if (admission instanceof Now) {
                        throttle.failed(clients.get(i), "admin");
                    } else if (admission instanceof Later later) {
                        busyUntil[i] = t + later.delayNanos();
                        checks.add(new long[] {t + later.delayNanos(), i});
                    }
                }
            }
            if (t >= nextAdmin) {
                Admission admission = throttle.admit(admin.apply(adminTries), "admin");
                if (admission instanceof Refused) {
                    adminWaits.add(-1L);
                } else {
                    long wait = admission instanceof Later later ? later.delayNanos() : 0;
                    adminWaits.add(wait / 1_000_000);
                    if (wait == 0) {
                        throttle.succeeded(admin.apply(adminTries), "admin");
                    } else {
                        checks.add(new long[] {t + wait, -adminTries - 1});
                    }
                }
                adminTries++;
                nextAdmin += adminEvery.toNanos();
            }
        }
        return adminWaits;
    }

    @Test
    void duringAFloodFromOneAddressTheRightPasswordFromAnotherGetsInWithinTwoTurns() {
        // Five minutes of a wrong password every 20 ms from one address; every 7.3 s (a phase that
        // walks through the turns) the admin tries from an address never seen before.
        List<Long> waits = rightPasswordDuringAFlood(List.of("203.0.113.66"), Duration.ofMinutes(5),
                Duration.ofMillis(7_300), i -> "192.0.2." + (i + 1));
        assertThat(waits).hasSize(41).allSatisfy(wait -> assertThat(wait).as("ms waited, -1 refused")
                .isBetween(0L, 2 * MAX_DELAY.toMillis()));
        // The guesser and the admin shared the user name's turns: no more checks than turns, however
        // fast the guesser sent.
        assertThat(evaluations()).isLessThanOrEqualTo(mostChecksOnAName(Duration.ofMinutes(5)));
    }

    @Test
    void duringAFloodFromSeveralAddressesTheirTurnsGoRoundAndANewcomerIsInTheRound() {
        // Five guessers keep a request each waiting on the user name; the admin, new, joins the round
        // (every 13.1 s, longer than a round, so that its previous attempt is not still waiting).
        List<String> guessers = List.of("203.0.113.1", "203.0.113.2", "203.0.113.3", "203.0.113.4", "203.0.113.5");
        List<Long> waits = rightPasswordDuringAFlood(guessers, Duration.ofMinutes(5), Duration.ofMillis(13_100),
                i -> "192.0.2." + (i + 1));
        assertThat(waits).hasSize(22).allSatisfy(wait -> assertThat(wait).as("ms waited, -1 refused")
                .isBetween(0L, (guessers.size() + 1) * MAX_DELAY.toMillis()));
        assertThat(evaluations()).isLessThanOrEqualTo(mostChecksOnAName(Duration.ofMinutes(5)));
    }

    @Test
    void aClientThatLoggedInRecentlySkipsTheUserNamesTurnsDuringAFloodFromRotatingAddresses() {
        assertThat(attempt("192.0.2.1", "admin", true)).isInstanceOf(Now.class);
        advance(Duration.ofDays(20));
        // Five minutes of a wrong password every 20 ms from each of 24 addresses, 24 new ones every
        // 12 s: more clients than the user name has waiting places, so a stranger finds them taken.
        List<String> rotating = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            rotating.add("198.18." + i / 250 + "." + i % 250);
        }
        long evaluationsBefore = evaluations();
        List<Long> strangers = new ArrayList<>();
        List<Long> known = new ArrayList<>();
        for (int round = 0; round < 25; round++) {
            rightPasswordDuringAFlood(rotating.subList(round * 24, round * 24 + 24), Duration.ofSeconds(12),
                    Duration.ofDays(1), i -> "unused");
            strangers.add(waitOf(throttle.admit("192.0.2.99", "admin")));
            Admission admin = throttle.admit("192.0.2.1", "admin");
            known.add(waitOf(admin));
            throttle.succeeded("192.0.2.1", "admin");
        }
        assertThat(known).as("the recently logged-in client, every time").containsOnly(0L);
        assertThat(strangers).as("a client never logged in waits among the guessers, here refused").contains(-1L);
        assertThat(evaluations() - evaluationsBefore - known.size()).as("guesses checked in 5 minutes")
                .isLessThanOrEqualTo(mostChecksOnAName(Duration.ofMinutes(5)));
        // Thirty days after its last login, the client is a stranger again.
        advance(Duration.ofDays(31));
        for (int i = 0; i < 3 + 8; i++) {
            throttle.admit("198.19.0." + i, "admin"); // the free attempts, then all 8 waiting places
        }
        assertThat(throttle.admit("192.0.2.1", "admin")).isInstanceOf(Refused.class);
    }

    /**
     * The most checks on one user name in {@code length}: in each 60 s window its 3 free attempts
     * and the 3 turns that lead up to the full spacing (250, 500, 1,000 ms), and one per 2 s.
     */
    private static long mostChecksOnAName(Duration length) {
        long windows = (length.toSeconds() + 59) / 60;
        return windows * (3 + 3) + length.toNanos() / MAX_DELAY.toNanos() + 1;
    }

    private static long waitOf(Admission admission) {
        if (admission instanceof Refused) {
            return -1;
        }
        return admission instanceof Later later ? later.delayNanos() / 1_000_000 : 0;
    }

    @Test
    void theAdminsOwnLoginsDoNotSlowTheUserName() {
        for (int i = 0; i < 100; i++) {
            assertThat(attempt("192.0.2.1", "admin", true)).isInstanceOf(Now.class);
        }
        for (int i = 0; i < 3; i++) {
            assertThat(attempt("192.0.2.1", "admin", false)).as("typos").isInstanceOf(Now.class);
        }
        assertThat(attempt("192.0.2.1", "admin", true)).isInstanceOf(Later.class);
    }

    @Test
    void aThrottledClientGetsOneTurnPerMaxDelayWhateverUserNameItTriesAndTheRightPasswordGetsIn() {
        String client = LoginThrottle.key(ClientAddress.parse("2001:db8:1:2::a").orElseThrow());
        for (int i = 0; i < 3; i++) {
            assertThat(attempt(client, "guess-" + i, false)).isInstanceOf(Now.class);
        }
        // Now throttled: every user name is new, yet its attempts are spaced by the client's turns.
        assertThat(throttle.admit(client, "guess-a")).isEqualTo(new Later(MAX_DELAY.toNanos()));
        assertThat(throttle.admit(client, "guess-b")).isInstanceOf(Refused.class);
        assertThat(throttle.admit(client, "admin")).isInstanceOf(Refused.class);
        advance(MAX_DELAY);
        // The admin behind the same /64 (a shared network): its turn comes, and it is checked.
        Admission admin = throttle.admit(client, "admin");
        assertThat(admin).isEqualTo(new Later(MAX_DELAY.toNanos()));
        // Another /64 is another client.
        assertThat(throttle.admit(LoginThrottle.key(ClientAddress.parse("2001:db8:1:3::a").orElseThrow()), "x"))
                .isInstanceOf(Now.class);
    }

    @Test
    void theWindowsEnd() {
        for (int i = 0; i < 3; i++) {
            attempt("203.0.113.7", "guess-" + i, false);
        }
        attempt("203.0.113.7", "guess", false);
        assertThat(throttle.admit("203.0.113.7", "guess-x")).isInstanceOf(Later.class);
        advance(Duration.ofSeconds(61));
        assertThat(throttle.admit("203.0.113.7", "guess-y")).isInstanceOf(Now.class);
    }

    @Test
    void anIpv6ClientIsItsSlash64AndAnIpv4ClientItsAddress() {
        assertThat(key("2001:db8:1:2:aaaa::1")).isEqualTo(key("2001:db8:1:2:bbbb:cccc:dddd:eeee")).isEqualTo("2001:db8:1:2:0:0:0:0/64");
        assertThat(key("2001:db8:1:3::1")).isNotEqualTo(key("2001:db8:1:2::1"));
        assertThat(key("198.51.100.7")).isEqualTo("198.51.100.7");
        assertThat(key("::ffff:198.51.100.7")).isEqualTo("198.51.100.7");
    }

    private static String key(String address) {
        return LoginThrottle.key(ClientAddress.parse(address).orElseThrow());
    }

    @Test
    void memoryIsBoundedByTheNumberOfAddresses() {
        for (int i = 0; i < 50_000; i++) {
            throttle.failed("10.0." + (i / 256) + "." + (i % 256), null);
        }
        assertThat(throttle.trackedAddresses()).isLessThanOrEqualTo(1000);
    }

    @Test
    void wrongKeysAreSpacedPerClientAndTouchNoUserNamesTurns() {
        for (int i = 0; i < 3; i++) {
            assertThat(throttle.admitKey("203.0.113.9")).isInstanceOf(Now.class);
            throttle.keyFailed("203.0.113.9");
        }
        assertThat(metrics.meter("auth.failures").getCount()).isEqualTo(3);
        assertThat(throttle.admitKey("203.0.113.9")).as("past its free failures, the client's next turn")
                .isEqualTo(new Later(MAX_DELAY.toNanos()));
        assertThat(throttle.admitKey("203.0.113.9")).as("another at once: beyond the next turn").isInstanceOf(Refused.class);
        // The admin's user name has seen none of it.
        assertThat(throttle.admit("198.51.100.1", "admin")).isInstanceOf(Now.class);
    }

    @Test
    void aRightKeyTakesBackItsClientsAttemptWithoutRecognisingTheClient() {
        for (int i = 0; i < 10; i++) {
            assertThat(throttle.admitKey("203.0.113.10")).isInstanceOf(Now.class);
            throttle.succeeded("203.0.113.10", null);
        }
        // Not recognised: its password guesses still share the user name's turns.
        for (int i = 0; i < 3; i++) {
            attempt("198.51.100." + i, "admin", false);
        }
        assertThat(throttle.admit("203.0.113.10", "admin")).isInstanceOf(Later.class);
    }

    @Test
    void undecodableFailuresAloneStillSpaceTheClientsAttemptsFromTheFirst() {
        for (int i = 0; i < 3; i++) {
            throttle.failed("203.0.113.11", null);
        }
        List<Admission> atOnce = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            atOnce.add(throttle.admitKey("203.0.113.11"));
        }
        // Before, each was given a turn long past, and all four were checked at once.
        assertThat(atOnce).extracting(a -> a.getClass().getSimpleName()).containsExactly("Now", "Later", "Refused", "Refused");
    }
}
