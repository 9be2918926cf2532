package com.o7tracker.counting;

import static org.assertj.core.api.Assertions.assertThat;

import com.o7tracker.O7TrackerConfiguration;
import com.o7tracker.support.ClickLoad;
import com.o7tracker.support.Http;
import com.o7tracker.support.Json;
import com.o7tracker.support.Tables;
import com.o7tracker.support.TestApp;
import com.o7tracker.support.TestPostgres;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Property 2: PostgreSQL stopped for 20 s under load. Known campaigns keep redirecting to their
 * targets (from the caches), the clicks wait in the journal, and once PostgreSQL is back the
 * counters equal the redirects served.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class DatabaseOutageIT {

    static final DropwizardAppExtension<O7TrackerConfiguration> APP = TestApp.withMemcached();

    @Test
    void clicksRedirectThroughAnOutageAndAreCountedAfterIt() throws Exception {
        Http http = new Http(APP.getLocalPort());
        Map<Long, String> campaigns = http.createCampaigns("outage", 4);
        TestPostgres postgres = TestPostgres.shared();
        Http admin = new Http(APP.getAdminPort());

        ClickLoad load = new ClickLoad(campaigns, APP::getLocalPort, 16, Long.MAX_VALUE);
        Thread.sleep(2_000);
        postgres.stop();
        long receivedBefore = load.receivedTotal();
        try {
            Thread.sleep(10_000);
            HttpResponse<String> health = admin.get("/healthcheck");
            assertThat(health.statusCode()).isEqualTo(500);
            assertThat(Json.parse(health.body()).get("postgresql").get("healthy").asBoolean()).isFalse();
            assertThat(http.get("/readiness_check").statusCode()).as("still serving clicks: still ready").isEqualTo(200);
            var metrics = Json.parse(admin.get("/metrics").body());
            assertThat(metrics.get("gauges").get("clicks.backlog").get("value").asLong()).isPositive();
            assertThat(metrics.get("gauges").get("clicks.oldestUnappliedSeconds").get("value").asDouble()).isPositive();
            HttpResponse<String> read = http.adminGet("/admin/campaigns/" + campaigns.keySet().iterator().next());
            assertThat(read.statusCode()).as("the admin API: try again later").isEqualTo(503);
            assertThat(read.body()).doesNotContain("PSQL", "Exception", "localhost", "127.0.0.1");
            HttpResponse<String> stats = http.adminGet("/tasks/update_stats");
            assertThat(stats.statusCode()).isEqualTo(503);
            assertThat(stats.body()).as("a fixed message; the details go to the log")
                    .contains("\"status\":\"error\"").doesNotContain("PSQL", "Exception", "localhost", "127.0.0.1");
            Thread.sleep(10_000);
        } finally {
            postgres.start();
        }
        long receivedDuringOutage = load.receivedTotal() - receivedBefore;
        Thread.sleep(2_000);
        load.close();

        long deadline = System.nanoTime() + 60_000_000_000L;
        int status = 0;
        while (status != 200 && System.nanoTime() < deadline) {
            status = http.adminGet("/tasks/update_stats").statusCode();
            if (status != 200) {
                Thread.sleep(250);
            }
        }
        assertThat(status).isEqualTo(200);
        System.out.printf("DatabaseOutageIT: %s, %d during the 20 s outage%n", load, receivedDuringOutage);
        assertThat(receivedDuringOutage).as("redirects served while PostgreSQL was down").isGreaterThan(500);
        assertThat(load.fallbacks()).isZero();
        assertThat(load.otherStatus()).isZero();
        assertThat(load.refused()).isZero();
        assertThat(load.brokenInFlightTotal()).isZero();
        for (long id : campaigns.keySet()) {
            long[] counters = Tables.counters(id);
            for (int p = 0; p < ClickLoad.KINDS.length; p++) {
                assertThat(counters[p + 1]).as("campaign %d %s", id, ClickLoad.KINDS[p]).isEqualTo(load.received(id, p));
            }
        }
    }
}
