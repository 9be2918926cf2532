package com.o7tracker.counting;

import static org.assertj.core.api.Assertions.assertThat;

import com.o7tracker.dimension.Dimension;
import com.o7tracker.support.ClickLoad;
import com.o7tracker.support.Http;
import com.o7tracker.support.ServiceProcess;
import com.o7tracker.support.Tables;
import com.o7tracker.support.TestApp;
import com.o7tracker.support.TestMemcached;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Property 1: exactly once across SIGKILL. The packaged service takes concurrent clicks and is
 * killed with SIGKILL at random moments, then restarted on the same journal and database.
 *
 * <p>A visitor's request that was sent but whose answer never came (the process died with it in
 * flight) may or may not have been counted: the click is durable before its redirect is written,
 * and the kill can fall between the two. Such requests are tallied apart; every other redirect
 * received must be in the counters exactly once.
 */
// Packaged services started one after another: near two minutes on a loaded 2-core machine.
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class CrashRecoveryIT {

    @Test
    void countersEqualTheRedirectsReceivedAcrossThreeSigkills() throws Exception {
        Path journal = TestApp.tempDir("crash-journal");
        Path logs = Files.createDirectories(Path.of("target", "crash-logs"));
        Map<String, String> env = ServiceProcess.environment(journal, TestMemcached.shared().servers());

        ServiceProcess service = ServiceProcess.start(env, logs.resolve("run-0.log"));
        Http admin = new Http(service.port());
        Map<Long, String> campaigns = admin.createCampaigns("crash", 3);

        int[] port = {service.port()};
        ClickLoad load = new ClickLoad(campaigns, () -> port[0], 32, Long.MAX_VALUE);
        for (int kill = 1; kill <= 3; kill++) {
            Thread.sleep(ThreadLocalRandom.current().nextLong(1_500, 4_000));
            service.kill();
            service = ServiceProcess.start(env, logs.resolve("run-" + kill + ".log"));
            port[0] = service.port();
        }
        Thread.sleep(2_000);
        load.close();

        Http last = new Http(service.port());
        last.updateStats();
        service.terminate();

        long counted = campaigns.keySet().stream().mapToLong(id -> Tables.counters(id)[0] + Tables.counters(id)[5]).sum();
        System.out.printf("CrashRecoveryIT: %s counted=%d%n", load, counted);
        assertThat(load.receivedTotal()).as("clicks went through between the kills").isGreaterThan(1_000);
        assertThat(load.fallbacks()).isZero();
        assertThat(load.otherStatus()).isZero();
        for (long id : campaigns.keySet()) {
            long[] counters = Tables.counters(id);
            long total = 0;
            for (int p = 0; p < ClickLoad.KINDS.length; p++) {
                long received = load.received(id, p);
                long unknown = load.brokenInFlight(id, p);
                total += received;
                assertThat(counters[p + 1]).as("campaign %d %s: no click lost", id, ClickLoad.KINDS[p])
                        .isGreaterThanOrEqualTo(received);
                assertThat(counters[p + 1]).as("campaign %d %s: none counted twice", id, ClickLoad.KINDS[p])
                        .isLessThanOrEqualTo(received + unknown);
            }
            assertThat(counters[0]).as("click_count: the human counters").isEqualTo(counters[1] + counters[2] + counters[3] + counters[4]);
            assertThat(counters[0] + counters[5]).isGreaterThanOrEqualTo(total);
            assertThat(Tables.minuteTotals(id)).as("campaign %d: the minute buckets sum to the counters", id)
                    .containsExactly(counters);
            for (Dimension dimension : Dimension.values()) {
                assertThat(Tables.dimensionTotals(id, dimension.wireName()))
                        .as("campaign %d: the rows of %s sum to the counters", id, dimension.wireName()).containsExactly(counters);
            }
            // Each click keeps where it came from across the kills: its referrer, source and language.
            for (int source = 0; source < ClickLoad.SOURCES; source++) {
                long received = load.receivedFrom(id, source);
                long unknown = load.brokenInFlightFrom(id, source);
                for (Map.Entry<String, String> value : ClickLoad.valuesOf(source).entrySet()) {
                    long clicks = Tables.dimensionClicks(id, value.getKey(), value.getValue());
                    assertThat(clicks).as("campaign %d: %s %s", id, value.getKey(), value.getValue())
                            .isBetween(received, received + unknown);
                }
            }
        }
        // The requests cut off by a kill are at most the 32 visitors in flight, per kill.
        assertThat(load.brokenInFlightTotal()).isLessThanOrEqualTo(3 * 32);
    }
}
