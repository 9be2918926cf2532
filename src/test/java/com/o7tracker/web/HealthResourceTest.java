package com.o7tracker.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.health.HealthCheck;
import com.codahale.metrics.health.HealthCheckRegistry;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** The public probes say healthy or not; what is wrong stays on the admin port and in the log. */
class HealthResourceTest {

    private static final String DETAIL = "/var/lib/o7tracker/journal/clicks-00000000000000001000.journal: "
            + "No space left on device; ERROR: relation \"click_journals\" does not exist (SELECT position FROM click_journals)";

    private static HealthCheck check(Supplier<HealthCheck.Result> result) {
        return new HealthCheck() {
            @Override
            protected Result check() {
                return result.get();
            }
        };
    }

    @Test
    void anUnhealthyCheckIsAnsweredWithAFixedMessage() throws Exception {
        HealthCheckRegistry checks = new HealthCheckRegistry();
        checks.register("click-journal", check(() -> HealthCheck.Result.unhealthy(DETAIL)));
        checks.register("deadlocks", check(() -> {
            throw new IllegalStateException(DETAIL);
        }));
        HealthResource health = new HealthResource(checks);

        Response readiness = health.readiness();
        String body = new ObjectMapper().writeValueAsString(readiness.getEntity());
        assertThat(readiness.getStatus()).isEqualTo(503);
        assertThat(body).isEqualTo("{\"click-journal\":{\"healthy\":false,\"message\":\"unhealthy\"},"
                + "\"deadlocks\":{\"healthy\":false,\"message\":\"unhealthy\"}}");

        Response liveness = health.liveness();
        assertThat(liveness.getStatus()).isEqualTo(503);
        assertThat(new ObjectMapper().writeValueAsString(liveness.getEntity()))
                .doesNotContain("/var", "SELECT", "relation", "IllegalState");
    }

    @Test
    void aHealthyCheckIsAnsweredWithAFixedMessage() throws Exception {
        HealthCheckRegistry checks = new HealthCheckRegistry();
        checks.register("click-journal", check(() -> HealthCheck.Result.healthy("journal at /srv/data/journal, 3 segments")));
        Response readiness = new HealthResource(checks).readiness();
        assertThat(readiness.getStatus()).isEqualTo(200);
        assertThat(new ObjectMapper().writeValueAsString(readiness.getEntity()))
                .isEqualTo("{\"click-journal\":{\"healthy\":true,\"message\":\"healthy\"}}");
    }

    @Test
    void theDeadlockScanRunsAtMostOncePerSecondHoweverManyProbesArrive() throws Exception {
        AtomicInteger scans = new AtomicInteger();
        CountDownLatch scanEntered = new CountDownLatch(1);
        CountDownLatch releaseScan = new CountDownLatch(1);
        HealthCheckRegistry checks = new HealthCheckRegistry();
        checks.register("deadlocks", check(() -> {
            scans.incrementAndGet();
            scanEntered.countDown();
            try {
                // the first scan is held until every probe has arrived, so they all overlap it
                releaseScan.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return HealthCheck.Result.healthy();
        }));
        AtomicLong nanos = new AtomicLong(1_000_000_000L);
        HealthResource health = new HealthResource(checks, nanos::get);

        ExecutorService probes = Executors.newFixedThreadPool(16);
        try {
            List<Future<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                boolean live = i % 2 == 0;
                answers.add(probes.submit(() -> (live ? health.liveness() : health.readiness()).getStatus()));
            }
            assertThat(scanEntered.await(10, TimeUnit.SECONDS)).isTrue();
            releaseScan.countDown();
            for (Future<Integer> answer : answers) {
                assertThat(answer.get(10, TimeUnit.SECONDS)).isEqualTo(200);
            }
        } finally {
            probes.shutdownNow();
        }
        assertThat(scans).hasValue(1);

        nanos.addAndGet(Duration.ofMillis(999).toNanos());
        for (int i = 0; i < 100; i++) {
            assertThat(health.liveness().getStatus()).isEqualTo(200);
        }
        assertThat(scans).hasValue(1);

        nanos.addAndGet(Duration.ofMillis(1).toNanos());
        for (int i = 0; i < 100; i++) {
            assertThat(health.liveness().getStatus()).isEqualTo(200);
        }
        assertThat(scans).hasValue(2);
    }

    @Test
    void aDeadlockFoundIsReportedUntilAScanAfterItsSecondFindsNone() throws Exception {
        AtomicInteger deadlocked = new AtomicInteger(1);
        HealthCheckRegistry checks = new HealthCheckRegistry();
        checks.register("deadlocks", check(() -> deadlocked.get() > 0
                ? HealthCheck.Result.unhealthy("threads deadlocked") : HealthCheck.Result.healthy()));
        AtomicLong nanos = new AtomicLong();
        HealthResource health = new HealthResource(checks, nanos::get);

        assertThat(health.liveness().getStatus()).isEqualTo(503);
        deadlocked.set(0);
        assertThat(health.liveness().getStatus()).isEqualTo(503);
        nanos.addAndGet(Duration.ofSeconds(1).toNanos());
        assertThat(health.liveness().getStatus()).isEqualTo(200);
    }
}
