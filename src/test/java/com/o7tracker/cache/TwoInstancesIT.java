package com.o7tracker.cache;

import static org.assertj.core.api.Assertions.assertThat;

import com.o7tracker.O7TrackerConfiguration;
import com.o7tracker.support.Http;
import com.o7tracker.support.TestApp;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two instances sharing one PostgreSQL and one memcached: a change made through one stops the
 * other from serving the old target within a second, though the other holds it in-process.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class TwoInstancesIT {

    static final DropwizardAppExtension<O7TrackerConfiguration> A = TestApp.withMemcached();
    static final DropwizardAppExtension<O7TrackerConfiguration> B = TestApp.withMemcached();

    private static String target(Http http, long id) {
        HttpResponse<String> click = http.get("/track/" + id + "?platform=Android");
        assertThat(click.statusCode()).isEqualTo(307);
        return click.headers().firstValue("Location").orElseThrow();
    }

    /** Milliseconds until instance {@code http} sends campaign {@code id} to {@code expected}; fails after 1 s. */
    private static long millisUntil(Http http, long id, String expected) throws InterruptedException {
        long start = System.nanoTime();
        while (System.nanoTime() - start < 1_000_000_000L) {
            if (target(http, id).equals(expected)) {
                return (System.nanoTime() - start) / 1_000_000;
            }
            Thread.sleep(5);
        }
        throw new AssertionError("instance still serves the old target of " + id + " after 1 s");
    }

    @Test
    void updatesAndDeletesThroughOneInstanceReachTheOtherWithinASecond() throws Exception {
        Http a = new Http(A.getLocalPort());
        Http b = new Http(B.getLocalPort());
        long id = a.createCampaign("https://v1.example/");
        for (int i = 0; i < 5; i++) {
            assertThat(target(b, id)).isEqualTo("https://v1.example/");
        }

        assertThat(a.adminPut("/admin/campaigns/" + id, "{\"redirect_url\":\"https://v2.example/\"}").statusCode())
                .isEqualTo(200);
        long updateMillis = millisUntil(b, id, "https://v2.example/");

        assertThat(a.adminDelete("/admin/campaigns/" + id).statusCode()).isEqualTo(204);
        long deleteMillis = millisUntil(b, id, "https://fallback.example/");
        System.out.printf("TwoInstancesIT: update seen after %d ms, delete after %d ms%n", updateMillis, deleteMillis);

        // A campaign clicked (as unknown) on B before it exists is served as soon as A creates it.
        long unknown = 4_000_000_000_000L;
        assertThat(target(b, unknown)).isEqualTo("https://fallback.example/");
    }
}
