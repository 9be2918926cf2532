package com.o7tracker.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.MetricRegistry;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final MetricRegistry metrics = new MetricRegistry();
    private final LoginThrottle throttle = new LoginThrottle(3, Duration.ofSeconds(60), 1000, now::get, metrics);

    private void advance(Duration by) {
        now.addAndGet(by.toNanos());
    }

    @Test
    void anAddressIsRefusedAfterTheLimitUntilItsWindowHasPassed() {
        for (int i = 0; i < 3; i++) {
            assertThat(throttle.retryAfterSeconds("203.0.113.7")).isEmpty();
            throttle.failed("203.0.113.7");
            advance(Duration.ofSeconds(5));
        }
        assertThat(throttle.retryAfterSeconds("203.0.113.7")).hasValue(45); // the window opened 15 s ago
        advance(Duration.ofMillis(44_500));
        assertThat(throttle.retryAfterSeconds("203.0.113.7")).hasValue(1);
        advance(Duration.ofMillis(500));
        assertThat(throttle.retryAfterSeconds("203.0.113.7")).isEmpty();
        throttle.failed("203.0.113.7");
        assertThat(throttle.retryAfterSeconds("203.0.113.7")).isEmpty();
        assertThat(metrics.meter("auth.failures").getCount()).isEqualTo(4);
        assertThat(metrics.meter("auth.throttled").getCount()).isEqualTo(2);
    }

    @Test
    void failuresSpreadOverMoreThanAWindowAreNotThrottled() {
        for (int i = 0; i < 10; i++) {
            throttle.failed("203.0.113.7");
            advance(Duration.ofSeconds(31));
            assertThat(throttle.retryAfterSeconds("203.0.113.7")).isEmpty();
        }
    }

    @Test
    void addressesAreCountedApart() {
        for (int i = 0; i < 3; i++) {
            throttle.failed("203.0.113.7");
        }
        assertThat(throttle.retryAfterSeconds("203.0.113.7")).isPresent();
        assertThat(throttle.retryAfterSeconds("203.0.113.8")).isEmpty();
        throttle.failed("203.0.113.8");
        assertThat(throttle.retryAfterSeconds("203.0.113.8")).isEmpty();
    }

    @Test
    void memoryIsBoundedByTheNumberOfAddresses() {
        for (int i = 0; i < 50_000; i++) {
            throttle.failed("10.0." + (i / 256) + "." + (i % 256));
        }
        assertThat(throttle.trackedAddresses()).isLessThanOrEqualTo(1000);
    }

    @Test
    void theClientIsTheRemoteAddressUnlessProxiesAreTrusted() {
        assertThat(LoginThrottle.client("10.0.0.1", null, 0)).isEqualTo("10.0.0.1");
        assertThat(LoginThrottle.client("10.0.0.1", "198.51.100.1", 0)).isEqualTo("10.0.0.1");
        assertThat(LoginThrottle.client("10.0.0.1", "198.51.100.1", 1)).isEqualTo("198.51.100.1");
        // A client may send its own X-Forwarded-For; each trusted proxy appends the address it saw.
        assertThat(LoginThrottle.client("10.0.0.1", "6.6.6.6, 198.51.100.1", 1)).isEqualTo("198.51.100.1");
        assertThat(LoginThrottle.client("10.0.0.1", "6.6.6.6,198.51.100.1, 35.191.0.1", 2)).isEqualTo("198.51.100.1");
        assertThat(LoginThrottle.client("10.0.0.1", "198.51.100.1", 2)).isEqualTo("10.0.0.1");
        assertThat(LoginThrottle.client("10.0.0.1", null, 1)).isEqualTo("10.0.0.1");
        assertThat(LoginThrottle.client("10.0.0.1", " , ", 1)).isEqualTo("10.0.0.1");
    }
}
