package com.o7tracker.cache;

import static org.assertj.core.api.Assertions.assertThat;

import com.o7tracker.O7TrackerConfiguration;
import com.o7tracker.support.ClickLoad;
import com.o7tracker.support.Http;
import com.o7tracker.support.Json;
import com.o7tracker.support.Tables;
import com.o7tracker.support.TestApp;
import com.o7tracker.support.TestMemcached;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
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
        ClickLoad load = new ClickLoad(campaigns, APP::getLocalPort, 16, Long.MAX_VALUE);
        Thread.sleep(2_000);
        memcached.kill();
        Thread.sleep(4_000);
        memcached.start();
        Thread.sleep(4_000);
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
        Http admin = new Http(APP.getAdminPort());
        var meters = Json.parse(admin.get("/metrics").body()).get("meters");
        assertThat(meters.get("cache.memcached.errors").get("count").asLong()).as("the outage was felt").isPositive();
        assertThat(meters.get("cache.memcached.hits").get("count").asLong()).isPositive();
    }
}
