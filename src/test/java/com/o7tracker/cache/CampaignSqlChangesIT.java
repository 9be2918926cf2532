package com.o7tracker.cache;

import static org.assertj.core.api.Assertions.assertThat;

import com.o7tracker.O7TrackerConfiguration;
import com.o7tracker.support.Http;
import com.o7tracker.support.Psql;
import com.o7tracker.support.TestApp;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Campaigns changed with SQL, by psql, past the service (an operator's fix, a restore): the
 * running service's tracking links follow, from every cache layer. The unknown-id cache is kept
 * for an hour here, so a campaign inserted after its id was clicked is followed only if the
 * service is told.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class CampaignSqlChangesIT {

    static final DropwizardAppExtension<O7TrackerConfiguration> APP = TestApp.withMemcached("cache.unknownTtl", "1h");
    static final String FALLBACK = "https://fallback.example/";

    private Http http;

    @BeforeEach
    void setUp() {
        http = new Http(APP.getLocalPort());
    }

    private String click(long id) {
        var response = http.get("/track/" + id + "?platform=Android");
        assertThat(response.statusCode()).isEqualTo(307);
        return response.headers().firstValue("Location").orElseThrow();
    }

    /** The tracking link's target once it is {@code expected}, or as it still is after 5 s. */
    private String awaitTarget(long id, String expected) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        String location = click(id);
        while (!location.equals(expected) && System.nanoTime() < deadline) {
            Thread.sleep(20);
            location = click(id);
        }
        return location;
    }

    @Test
    void campaignsUpdatedInsertedAndDeletedWithPsqlAreFollowedByTheTrackingLinks() throws Exception {
        long updated = http.createCampaign("https://before.example/updated");
        long deleted = http.createCampaign("https://before.example/deleted");
        long inserted = ThreadLocalRandom.current().nextLong(1L << 32, 1L << 52);
        assertThat(click(updated)).isEqualTo("https://before.example/updated");
        assertThat(click(deleted)).isEqualTo("https://before.example/deleted");
        assertThat(click(inserted)).as("not a campaign yet: remembered as unknown").isEqualTo(FALLBACK);

        assertThat(Psql.run("UPDATE campaigns SET redirect_url = 'https://after.example/updated' WHERE id = " + updated))
                .isEqualTo("UPDATE 1");
        assertThat(Psql.run("DELETE FROM campaigns WHERE id = " + deleted)).isEqualTo("DELETE 1");
        assertThat(Psql.run("INSERT INTO campaigns (id, redirect_url) VALUES (" + inserted
                + ", 'https://after.example/inserted')")).isEqualTo("INSERT 0 1");

        assertThat(awaitTarget(updated, "https://after.example/updated")).isEqualTo("https://after.example/updated");
        assertThat(awaitTarget(deleted, FALLBACK)).isEqualTo(FALLBACK);
        assertThat(awaitTarget(inserted, "https://after.example/inserted")).isEqualTo("https://after.example/inserted");
    }
}
