package com.o7tracker.cache;

import static org.assertj.core.api.Assertions.assertThat;

import com.o7tracker.O7TrackerConfiguration;
import com.o7tracker.support.Await;
import com.o7tracker.support.Http;
import com.o7tracker.support.Json;
import com.o7tracker.support.TcpProxy;
import com.o7tracker.support.TestApp;
import com.o7tracker.support.TestMemcached;
import com.o7tracker.support.TestPostgres;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two instances, random updates and deletions through both, while memcached is killed and started
 * again and each instance's connections to PostgreSQL (the listening one included) are cut or go
 * silent: after every change both instances serve the newest target, and a deleted campaign never
 * redirects again.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class CampaignChangesChaosIT {

    static final TcpProxy TO_POSTGRES_A = proxy();
    static final TcpProxy TO_POSTGRES_B = proxy();
    static final DropwizardAppExtension<O7TrackerConfiguration> A = TestApp.withMemcached(
            "database.url", TestPostgres.shared().jdbcUrlThrough(TO_POSTGRES_A));
    static final DropwizardAppExtension<O7TrackerConfiguration> B = TestApp.withMemcached(
            "database.url", TestPostgres.shared().jdbcUrlThrough(TO_POSTGRES_B));
    static final String FALLBACK = "https://fallback.example/";

    private static TcpProxy proxy() {
        try {
            return new TcpProxy("127.0.0.1", TestPostgres.shared().port());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String target(Http http, long id) {
        HttpResponse<String> click = http.get("/track/" + id + "?platform=Android");
        assertThat(click.statusCode()).isEqualTo(307);
        return click.headers().firstValue("Location").orElseThrow();
    }

    /** Fails unless the instance's cache.local.complete gauge reads {@code expected} within 12 s. */
    private static void awaitComplete(DropwizardAppExtension<O7TrackerConfiguration> instance, int expected, String why)
            throws Exception {
        Await.until(why, Duration.ofSeconds(12), () -> complete(instance) == expected);
    }

    private static int complete(DropwizardAppExtension<O7TrackerConfiguration> instance) {
        return (Integer) instance.getEnvironment().metrics().getGauges().get("cache.local.complete").getValue();
    }

    /** Fails unless both instances send campaign {@code id} to {@code expected} within {@code millis}. */
    private static void awaitBoth(List<Http> instances, long id, String expected, long millis, String when)
            throws InterruptedException {
        for (Http http : instances) {
            long start = System.nanoTime();
            String seen = target(http, id);
            while (!seen.equals(expected) && System.nanoTime() - start < millis * 1_000_000) {
                Thread.sleep(5);
                seen = target(http, id);
            }
            assertThat(seen).as("%s: campaign %d after %d ms", when, id, millis).isEqualTo(expected);
        }
    }

    /**
     * A write through {@code http}; a write cut off with its connection is answered 503, and what
     * PostgreSQL then holds (read once the instance answers again) is what the campaign is.
     */
    private static String change(Http http, long id, String url) throws InterruptedException {
        HttpResponse<String> response = url == null
                ? http.adminDelete("/admin/campaigns/" + id)
                : http.adminPut("/admin/campaigns/" + id, "{\"redirect_url\":\"" + url + "\"}");
        if (response.statusCode() < 500) {
            assertThat(response.statusCode()).isIn(200, 204);
            return url == null ? FALLBACK : url;
        }
        assertThat(response.statusCode()).as("a cut connection: try again").isEqualTo(503);
        long deadline = System.nanoTime() + 10_000_000_000L;
        HttpResponse<String> now = http.adminGet("/admin/campaigns/" + id);
        while (now.statusCode() >= 500 && System.nanoTime() < deadline) {
            Thread.sleep(100);
            now = http.adminGet("/admin/campaigns/" + id);
        }
        assertThat(now.statusCode()).isIn(200, 404);
        return now.statusCode() == 404 ? FALLBACK : Json.parse(now.body()).get("redirect_url").asText();
    }

    @Test
    void everyInstanceServesTheNewestTargetThroughCacheAndListenerFaults() throws Exception {
        Http a = new Http(A.getLocalPort());
        Http b = new Http(B.getLocalPort());
        List<Http> both = List.of(a, b);
        Map<Long, String> live = new LinkedHashMap<>(a.createCampaigns("chaos", 12));
        Set<Long> deleted = new HashSet<>();
        Random random = new Random(7);
        TestMemcached memcached = TestMemcached.shared();
        try {
            for (int step = 1; step <= 48; step++) {
                switch (step) {
                    case 8 -> memcached.kill();
                    case 14 -> TO_POSTGRES_B.cutAll();
                    case 20 -> memcached.start();
                    case 26 -> TO_POSTGRES_A.cutAll();
                    case 32 -> {
                        TO_POSTGRES_A.cutAll();
                        TO_POSTGRES_B.cutAll();
                    }
                    case 38 -> memcached.kill();
                    case 42 -> memcached.start();
                    default -> { }
                }
                List<Long> ids = new ArrayList<>(live.keySet());
                long id = ids.get(random.nextInt(ids.size()));
                Http through = both.get(random.nextInt(2));
                boolean delete = random.nextInt(6) == 0 && live.size() > 4;
                String expected = change(through, id, delete ? null : "https://chaos" + id + "-step" + step + ".example/");
                if (expected.equals(FALLBACK)) {
                    live.remove(id);
                    deleted.add(id);
                } else {
                    live.put(id, expected);
                }
                awaitBoth(both, id, expected, 1_000, "step " + step);
                for (long gone : deleted) {
                    awaitBoth(both, gone, FALLBACK, 0, "deleted, step " + step);
                }
            }
        } finally {
            memcached.start();
        }
        assertThat(deleted).as("deletions were exercised").isNotEmpty();
        for (Map.Entry<Long, String> campaign : live.entrySet()) {
            awaitBoth(both, campaign.getKey(), campaign.getValue(), 0, "at the end");
        }
    }

    @Test
    void aSilentlyDeadListeningConnectionIsNoticedAndWhatItMissedIsServed() throws Exception {
        Http a = new Http(A.getLocalPort());
        Http b = new Http(B.getLocalPort());
        long updated = a.createCampaign("https://silent-before.example/");
        long removed = a.createCampaign("https://silent-removed.example/");
        awaitBoth(List.of(b), updated, "https://silent-before.example/", 1_000, "created");
        awaitBoth(List.of(b), removed, "https://silent-removed.example/", 1_000, "created");

        awaitComplete(B, 1, "B's cache holds every campaign and hears every change");
        // The clicks above applied first: a counter transaction of B's caught open by the silence
        // would hold the campaign's row (PostgreSQL never hears the client go) and block A's change.
        b.updateStats();
        TO_POSTGRES_B.silenceOpenConnections(); // B's listener hears nothing more, and its socket stays open
        try {
            assertThat(a.adminPut("/admin/campaigns/" + updated, "{\"redirect_url\":\"https://silent-after.example/\"}")
                    .statusCode()).isEqualTo(200);
            assertThat(a.adminDelete("/admin/campaigns/" + removed).statusCode()).isEqualTo(204);
            // Once B notices, it no longer takes an id it does not hold for no campaign, until it has reloaded.
            awaitComplete(B, 0, "B has noticed that it may have missed changes");
            awaitBoth(List.of(b), updated, "https://silent-after.example/", 12_000, "missed update");
            awaitBoth(List.of(b), removed, FALLBACK, 1_000, "missed deletion");
            awaitComplete(B, 1, "B has reloaded");
        } finally {
            TO_POSTGRES_B.cutAll(); // no silenced connection stays in B's pool for another test to be handed
        }
    }
}
