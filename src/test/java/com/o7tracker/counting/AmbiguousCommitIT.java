package com.o7tracker.counting;

import static org.assertj.core.api.Assertions.assertThat;

import com.o7tracker.O7TrackerConfiguration;
import com.o7tracker.support.Http;
import com.o7tracker.support.Tables;
import com.o7tracker.support.TcpProxy;
import com.o7tracker.support.TestApp;
import com.o7tracker.support.TestPostgres;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A counter transaction that commits while its client is told it failed (the connection cut right
 * after COMMIT, as in a failover): the flusher reads back the applied position, continues from
 * it, and counts nothing twice.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class AmbiguousCommitIT {

    static final TcpProxy PROXY = proxy();
    static final DropwizardAppExtension<O7TrackerConfiguration> APP = TestApp.withoutMemcached(
            "database.url", TestPostgres.shared().jdbcUrlThrough(PROXY));

    private static TcpProxy proxy() {
        try {
            return new TcpProxy("127.0.0.1", TestPostgres.shared().port());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void countingResumesAfterACommitWhoseAnswerWasLost() throws Exception {
        Http http = new Http(APP.getLocalPort());
        long id = http.createCampaigns("ambiguous", 1).keySet().iterator().next();
        clicks(http, id, "Android", 50);
        awaitCount(id, 50);

        PROXY.cutAnswer("COMMIT");
        clicks(http, id, "IPhone", 100);
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (PROXY.cuts() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(PROXY.cuts()).as("a flush's COMMIT was cut").isEqualTo(1);
        assertThat(Tables.counters(id)[0]).as("the cut transaction committed").isGreaterThan(50);

        clicks(http, id, "WindowsPhone", 25);
        awaitCount(id, 175);
        assertThat(http.adminGet("/tasks/update_stats").statusCode()).isEqualTo(200);
        assertThat(Tables.counters(id)).as("each click once").containsExactly(175, 50, 100, 25, 0, 0);
    }

    private static void clicks(Http http, long id, String platform, int n) {
        for (int i = 0; i < n; i++) {
            assertThat(http.get("/track/" + id + "?platform=" + platform).statusCode()).isEqualTo(307);
        }
    }

    private static void awaitCount(long id, long expected) throws InterruptedException {
        long deadline = System.nanoTime() + 15_000_000_000L;
        while (Tables.counters(id)[0] != expected && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(Tables.counters(id)[0]).as("clicks counted").isEqualTo(expected);
    }
}
