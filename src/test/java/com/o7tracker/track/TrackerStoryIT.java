package com.o7tracker.track;

import static org.assertj.core.api.Assertions.assertThat;

import com.o7tracker.O7TrackerConfiguration;
import com.o7tracker.support.Http;
import com.o7tracker.support.Json;
import com.o7tracker.support.Tables;
import com.o7tracker.support.TestApp;
import com.o7tracker.support.TestMemcached;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The stories of a campaign's tracking link, through the whole service. */
@ExtendWith(DropwizardExtensionsSupport.class)
class TrackerStoryIT {

    static final DropwizardAppExtension<O7TrackerConfiguration> APP = TestApp.withMemcached();
    static final String FALLBACK = "https://fallback.example/";

    private Http http;

    @BeforeEach
    void setUp() {
        http = new Http(APP.getLocalPort());
    }

    private long create(String url, String platforms) {
        HttpResponse<String> created = http.adminPost("/admin/campaigns",
                "{\"redirect_url\":\"" + url + "\",\"platforms\":" + platforms + "}");
        assertThat(created.statusCode()).isEqualTo(201);
        return Json.parse(created.body()).get("id").asLong();
    }

    private String click(String path) {
        HttpResponse<String> response = http.get(path);
        assertThat(response.statusCode()).as(path).isEqualTo(307);
        assertThat(response.headers().firstValue("Cache-Control")).as(path).hasValue("no-store");
        return response.headers().firstValue("Location").orElseThrow();
    }

    private long[] countsViaApi(long id) {
        assertThat(http.adminGet("/tasks/update_stats").statusCode()).isEqualTo(200);
        var campaign = Json.parse(http.adminGet("/admin/campaigns/" + id).body());
        return new long[] {campaign.get("click_count").asLong(), campaign.get("android_click_count").asLong(),
                campaign.get("iphone_click_count").asLong(), campaign.get("windowsphone_click_count").asLong()};
    }

    @Test
    void createClickUpdateDelete() {
        long id = create("https://first.example/landing", "[\"Android\"]");

        assertThat(click("/track/" + id + "?platform=Android")).isEqualTo("https://first.example/landing");
        assertThat(click("/track/" + id + "?platform=android")).isEqualTo("https://first.example/landing");
        assertThat(click("/track/" + id + "?platform=IPhone")).isEqualTo("https://first.example/landing");
        assertThat(click("/track/" + id + "?platform=WINDOWSPHONE")).isEqualTo("https://first.example/landing");
        assertThat(click("/track/" + id + "?platform=WindowsPhone")).isEqualTo("https://first.example/landing");
        assertThat(click("/track/" + id + "?platform=WindowsPhone")).isEqualTo("https://first.example/landing");
        assertThat(countsViaApi(id)).containsExactly(6, 2, 1, 3);

        assertThat(http.adminPut("/admin/campaigns/" + id, "{\"redirect_url\":\"https://second.example/\"}").statusCode())
                .isEqualTo(200);
        assertThat(click("/track/" + id + "?platform=IPhone")).isEqualTo("https://second.example/");
        assertThat(countsViaApi(id)).containsExactly(7, 2, 2, 3);

        assertThat(http.adminDelete("/admin/campaigns/" + id).statusCode()).isEqualTo(204);
        assertThat(click("/track/" + id + "?platform=IPhone")).isEqualTo(FALLBACK);
    }

    @Test
    void headIsRedirectedButNotCounted() {
        long id = create("https://head.example/", "[]");
        HttpResponse<String> head = http.send(http.request("/track/" + id + "?platform=Android")
                .method("HEAD", HttpRequest.BodyPublishers.noBody()));
        assertThat(head.statusCode()).isEqualTo(307);
        assertThat(head.headers().firstValue("Location")).hasValue("https://head.example/");
        assertThat(countsViaApi(id)).containsExactly(0, 0, 0, 0);
    }

    @Test
    void everythingElseGoesToTheFallbackAndCountsNothing() {
        long id = create("https://live.example/", "[\"Android\"]");
        // Clicks of the tests before this one applied first: only this test's may move the sum.
        assertThat(http.adminGet("/tasks/update_stats").statusCode()).isEqualTo(200);
        long sumBefore = Tables.sumClicks();
        List<String> paths = List.of(
                "/track/" + id + "?platform=", "/track/" + id + "?platform=Symbian",
                "/track/abc?platform=Android", "/track/0?platform=Android", "/track/-5?platform=Android",
                "/track/99999999999999999999999?platform=Android", "/track/1.5?platform=Android",
                "/track/424242?platform=Android", "/", "/track", "/track/", "/nothing/here", "/track/" + id + "/extra");
        for (String path : paths) {
            assertThat(click(path)).as(path).isEqualTo(FALLBACK);
        }
        HttpResponse<String> post = http.send(http.request("/track/" + id + "?platform=Android")
                .POST(HttpRequest.BodyPublishers.ofString("x")));
        assertThat(post.statusCode()).isEqualTo(307);
        assertThat(post.headers().firstValue("Location")).hasValue(FALLBACK);
        assertThat(http.adminGet("/tasks/update_stats").statusCode()).isEqualTo(200);
        assertThat(Tables.sumClicks()).isEqualTo(sumBefore);
    }

    @Test
    void idsAboveTwoToTheFiftyThreeGoToTheFallbackBeforeAnyLookup() {
        var meters = APP.getEnvironment().metrics();
        long badIds = meters.meter("clicks.fallback.bad-id").getCount();
        long unknown = meters.meter("clicks.fallback.unknown-campaign").getCount();
        for (String id : List.of("9007199254740992", "9999999999999999", "9223372036854775807")) {
            assertThat(click("/track/" + id + "?platform=Android")).isEqualTo(FALLBACK);
        }
        assertThat(meters.meter("clicks.fallback.bad-id").getCount()).isEqualTo(badIds + 3);
        assertThat(meters.meter("clicks.fallback.unknown-campaign").getCount()).isEqualTo(unknown);
    }

    @Test
    void requestsJettyCannotParseAlsoGoToTheFallback() {
        String malformed = http.raw("GET /track/%zz?platform=Android HTTP/1.1\r\nHost: x\r\n");
        assertThat(malformed).startsWith("HTTP/1.1 307").contains("Location: " + FALLBACK).doesNotContain("<html");
        String hugeHeader = http.raw("GET /track/1?platform=Android HTTP/1.1\r\nHost: x\r\nX-Big: "
                + "a".repeat(20_000) + "\r\n");
        assertThat(hugeHeader).startsWith("HTTP/1.1 307").contains("Location: " + FALLBACK);
        String adminHugeHeader = http.raw("GET /admin/campaigns HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(20_000) + "\r\n");
        assertThat(adminHugeHeader).startsWith("HTTP/1.1 431")
                .endsWith("{\"status\":\"error\",\"msg\":\"Request headers are too large.\"}");
    }

    @Test
    void aRequestJettyCannotParseIsAnsweredWithConnectionCloseSinceTheConnectionCloses() throws Exception {
        // A keep-alive client (no Connection: close of its own) must learn not to send the next request.
        for (String target : new String[] {"/track/%zz?platform=Android", "/admin/campaigns/1%00"}) {
            try (java.net.Socket socket = new java.net.Socket("127.0.0.1", APP.getLocalPort())) {
                socket.setSoTimeout(10_000);
                socket.getOutputStream().write(("GET " + target + " HTTP/1.1\r\nHost: x\r\n\r\n")
                        .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
                String answer = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1);
                assertThat(answer).as(target).startsWith("HTTP/1.1 307").contains("Location: " + FALLBACK)
                        .contains("Connection: close");
            }
        }
    }

    @Test
    void fourHundredParallelClicksAreCountedExactly() throws Exception {
        long id = create("https://parallel.example/", "[]");
        ExecutorService pool = Executors.newFixedThreadPool(64);
        List<Future<String>> results = new ArrayList<>();
        String[] platforms = {"Android", "IPhone", "WindowsPhone", "iphone"};
        for (int i = 0; i < 400; i++) {
            String platform = platforms[i % 4];
            results.add(pool.submit(() -> click("/track/" + id + "?platform=" + platform)));
        }
        for (Future<String> result : results) {
            assertThat(result.get()).isEqualTo("https://parallel.example/");
        }
        pool.shutdown();
        assertThat(countsViaApi(id)).containsExactly(400, 100, 200, 100);
    }

    @Test
    void clicksStillRedirectAndCountWhileMemcachedIsDown() throws Exception {
        long id = create("https://resilient.example/", "[]");
        assertThat(click("/track/" + id + "?platform=Android")).isEqualTo("https://resilient.example/");
        TestMemcached memcached = TestMemcached.shared();
        memcached.kill();
        try {
            long created = create("https://created-while-down.example/", "[]");
            for (int i = 0; i < 20; i++) {
                assertThat(click("/track/" + id + "?platform=Android")).isEqualTo("https://resilient.example/");
                assertThat(click("/track/" + created + "?platform=IPhone")).isEqualTo("https://created-while-down.example/");
            }
            assertThat(countsViaApi(id)).containsExactly(21, 21, 0, 0);
            assertThat(countsViaApi(created)).containsExactly(20, 0, 20, 0);
        } finally {
            memcached.start();
        }
        assertThat(click("/track/" + id + "?platform=Android")).isEqualTo("https://resilient.example/");
        assertThat(countsViaApi(id)).containsExactly(22, 22, 0, 0);
    }

    @Test
    void healthAndMetricsAreOnTheAdminPort() {
        Http admin = new Http(APP.getAdminPort());
        HttpResponse<String> health = admin.get("/healthcheck");
        assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
        var checks = Json.parse(health.body());
        for (String check : List.of("postgresql", "memcached", "click-journal", "click-backlog")) {
            assertThat(checks.get(check).get("healthy").asBoolean()).as(check).isTrue();
        }
        long id = create("https://metrics.example/", "[]");
        click("/track/" + id + "?platform=Android");
        click("/track/nope?platform=Android");
        var metrics = Json.parse(admin.get("/metrics").body());
        assertThat(metrics.get("meters").get("clicks.counted").get("count").asLong()).isPositive();
        assertThat(metrics.get("meters").get("clicks.fallback.bad-id").get("count").asLong()).isPositive();
        assertThat(metrics.get("timers").get("io.dropwizard.jetty.MutableServletContextHandler.get-requests")
                .get("count").asLong()).isPositive();
        assertThat(metrics.get("gauges").get("cache.local.hits")).isNotNull();
        assertThat(metrics.get("gauges").get("clicks.backlog")).isNotNull();
        assertThat(http.get("/liveness_check").statusCode()).isEqualTo(200);
        assertThat(http.get("/readiness_check").statusCode()).isEqualTo(200);
    }

    /**
     * Jetty's per-connection cache of parsed header values is off: with it, every User-Agent not
     * yet seen on a connection (a proxy's connection carries many visitors', a flood sends a new one
     * each time) cost an insert into the connection's trie, a sixth of the service's CPU in the
     * flood case of bench/run.
     */
    @Test
    void connectionsKeepNoCacheOfHeaderValues() {
        Collection<HttpConnectionFactory> factories =
                APP.getEnvironment().getApplicationContext().getServer().getContainedBeans(HttpConnectionFactory.class);
        assertThat(factories).hasSize(2); // the application's connector and the admin's
        for (HttpConnectionFactory factory : factories) {
            assertThat(factory.getHttpConfiguration().getHeaderCacheSize()).isZero();
        }
    }
}
