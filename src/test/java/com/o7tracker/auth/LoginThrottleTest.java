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
        // 3 free, then turns 250, 750 and 1,750 ms away; the next, 3,750 ms away, is past the 2 s
        // bound and comes within it in 1,750 ms: retry after 2 s.
        assertThat(now0).isEqualTo(3);
        assertThat(later).isEqualTo(3);
        assertThat(retryAfter).hasSize(994).containsOnly(2L);
        assertThat(metrics.meter("auth.throttled").getCount()).isEqualTo(994);
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
        // 3 free, 250 + 500 + 1000 ms of turns, then one per 2 s: about 30 of 6,000 in the minute.
        assertThat(evaluations()).isBetween(30L, 3 + 3 + 60 / 2 + 1L);
        Admission admin = attempt("192.0.2.1", "admin", true);
        assertThat(admin).isNotInstanceOf(Refused.class);
        assertThat(admin instanceof Later later ? later.delayNanos() : 0L).isLessThanOrEqualTo(MAX_DELAY.toNanos());
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
}
