package com.o7tracker.track;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.Meter;
import com.o7tracker.O7TrackerConfiguration;
import com.o7tracker.support.Await;
import com.o7tracker.support.Http;
import com.o7tracker.support.Tables;
import com.o7tracker.support.TestApp;
import com.o7tracker.support.TestPostgres;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A flood of made-up campaign ids whose lookups hang in PostgreSQL: every visitor still gets a
 * redirect, and the admin API and the counting of real clicks go on, on connections the flood
 * cannot take.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class ClickLookupIsolationIT {

    static final DropwizardAppExtension<O7TrackerConfiguration> APP = TestApp.withoutMemcached();

    @Test
    void lookupsOfUnknownIdsCannotStarveTheAdminApiOrTheFlusher() throws Exception {
        Http http = new Http(APP.getLocalPort());
        long id = http.createCampaign("https://isolated.example/");
        for (int i = 0; i < 5; i++) {
            assertThat(http.get("/track/" + id + "?platform=Android").statusCode()).isEqualTo(307);
        }
        ExecutorService flood = Executors.newFixedThreadPool(48);
        List<Future<Integer>> floodStatuses = new ArrayList<>();
        AtomicBoolean flooding = new AtomicBoolean(true);
        try (Connection locker = TestPostgres.shared().connect(); Statement s = locker.createStatement()) {
            // Every lookup of an id that is no campaign now waits on this lock.
            locker.setAutoCommit(false);
            s.execute("LOCK TABLE campaign_tombstones IN ACCESS EXCLUSIVE MODE");
            for (int t = 0; t < 48; t++) {
                floodStatuses.add(flood.submit(() -> {
                    int worst = 307;
                    while (flooding.get()) {
                        long made = ThreadLocalRandom.current().nextLong(1L << 40, 1L << 52);
                        HttpResponse<String> click = http.get("/track/" + made + "?platform=IPhone");
                        if (click.statusCode() != 307) {
                            worst = click.statusCode();
                        }
                    }
                    return worst;
                }));
            }
            Meter busy = APP.getEnvironment().metrics().meter("clicks.fallback.lookup-busy");
            Await.until("the flood's lookups hang in PostgreSQL and more are turned away", Duration.ofSeconds(30),
                    () -> busy.getCount() > 0 && lookupsHanging() > 0);
            long busyBefore = busy.getCount();
            for (int i = 0; i < 5; i++) {
                // Sharing one pool, these waited for connections the flood held and failed after 2 s.
                assertThat(http.adminGet("/admin/campaigns/" + id).statusCode()).isEqualTo(200);
                HttpResponse<String> click = http.get("/track/" + id + "?platform=Android");
                assertThat(click.statusCode()).isEqualTo(307);
                assertThat(click.headers().firstValue("Location")).hasValue("https://isolated.example/");
                assertThat(http.adminGet("/tasks/update_stats").statusCode()).isEqualTo(200);
            }
            assertThat(busy.getCount()).as("made-up ids still turned away as the admin API and counting answered")
                    .isGreaterThan(busyBefore);
            flooding.set(false);
            assertThat(Tables.counters(id)[0]).isEqualTo(10);
            for (Future<Integer> status : floodStatuses) {
                assertThat(status.get()).as("every visitor of a made-up id is redirected").isEqualTo(307);
            }
            assertThat(APP.getEnvironment().metrics().meter("clicks.fallback.lookup-busy").getCount())
                    .as("made-up ids past the lookups that may wait (16), sent to the fallback without waiting")
                    .isPositive();
            locker.rollback();
        } finally {
            flooding.set(false);
            flood.shutdownNow();
        }
    }

    /** Lookups of the click path's pool waiting in PostgreSQL for the lock the test holds. */
    private static int lookupsHanging() {
        return (int) Tables.number("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                + " AND query LIKE '%campaign_tombstones%' AND application_name = 'o7tracker-click-lookups'");
    }
}
