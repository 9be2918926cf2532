package com.o7tracker.cache;

import static org.assertj.core.api.Assertions.assertThat;

import com.o7tracker.O7TrackerConfiguration;
import com.o7tracker.support.Await;
import com.o7tracker.support.ClickLoad;
import com.o7tracker.support.Http;
import com.o7tracker.support.Json;
import com.o7tracker.support.Tables;
import com.o7tracker.support.TestApp;
import com.o7tracker.support.TestMemcached;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Property 3: memcached killed and restarted under load; no click fails. The in-process cache is
 * kept tiny here so lookups really go to memcached throughout. While memcached is away, every
 * lookup goes to PostgreSQL: the click path's pool has a connection per load thread here, so the
 * test measures memcached's outage, not that pool's 100 ms wait on a loaded machine (which
 * ClickLookupIsolationIT covers).
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class MemcachedOutageIT {

    static final DropwizardAppExtension<O7TrackerConfiguration> APP = TestApp.withMemcached(
            "cache.localMaximumSize", "100", "database.clickLookupConnections", "16");

    @Test
    void noClickFailsWhileMemcachedIsKilledAndRestarted() throws Exception {
        Http http = new Http(APP.getLocalPort());
        Map<Long, String> campaigns = http.createCampaigns("mc", 300);
        TestMemcached memcached = TestMemcached.shared();
        Http admin = new Http(APP.getAdminPort());
        ClickLoad load = new ClickLoad(campaigns, APP::getLocalPort, 16, Long.MAX_VALUE);
        Await.until("clicks served with memcached up", OUTAGE_STEP, () -> load.receivedTotal() > 300);
        memcached.kill();
        long atKill = load.receivedTotal();
        Await.until("the outage felt, and clicks served through it", OUTAGE_STEP,
                () -> meter(admin, "cache.memcached.errors") > 0 && load.receivedTotal() > atKill + 300);
        memcached.start();
        long hitsBefore = meter(admin, "cache.memcached.hits");
        long atStart = load.receivedTotal();
        Await.until("memcached answering hits again, and clicks served meanwhile", OUTAGE_STEP,
                () -> meter(admin, "cache.memcached.hits") > hitsBefore && load.receivedTotal() > atStart + 300);
        load.close();

        assertThat(http.adminGet("/tasks/update_stats").statusCode()).isEqualTo(200);
        System.out.printf("MemcachedOutageIT: %s%n", load);
        assertThat(load.receivedTotal()).isGreaterThan(1_000);
        assertThat(load.fallbacks()).isZero();
        assertThat(load.otherStatus()).isZero();
        assertThat(load.refused()).isZero();
        assertThat(load.brokenInFlightTotal()).isZero();
        long counted = 0;
        for (long id : campaigns.keySet()) {
            long[] counters = Tables.counters(id);
            counted += counters[0] + counters[5]; // humans and bots
        }
        assertThat(counted).isEqualTo(load.receivedTotal());
        var meters = Json.parse(admin.get("/metrics").body()).get("meters");
        assertThat(meters.get("cache.memcached.errors").get("count").asLong()).as("the outage was felt").isPositive();
        assertThat(meters.get("cache.memcached.hits").get("count").asLong()).isPositive();
    }

    private static final Duration OUTAGE_STEP = Duration.ofSeconds(60);

    private static long meter(Http admin, String name) throws Exception {
        return Json.parse(admin.get("/metrics").body()).path("meters").path(name).path("count").asLong();
    }
}
