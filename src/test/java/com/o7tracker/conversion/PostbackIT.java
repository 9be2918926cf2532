package com.o7tracker.conversion;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.o7tracker.O7TrackerConfiguration;
import com.o7tracker.support.Http;
import com.o7tracker.support.Json;
import com.o7tracker.support.TcpProxy;
import com.o7tracker.support.TestApp;
import com.o7tracker.support.TestPostgres;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The postback through the whole service: a click's signed id from its redirect, sent back by a
 * partner with a postback key as a query, a form or JSON, counts once in the campaign's answer;
 * every refusal is a JSON error; with PostgreSQL away the postback is a 503 with Retry-After, and
 * its retry counts once. PostgreSQL is reached through a proxy that can take it away.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class PostbackIT {

    /** Left open after the tests: the service stops after them, and flushes through it as it stops. */
    static final TcpProxy PROXY = proxy();
    static final DropwizardAppExtension<O7TrackerConfiguration> APP = TestApp.withoutMemcached(
            "database.url", TestPostgres.shared().jdbcUrlThrough(PROXY),
            "geo.countryHeader", "X-Appengine-Country",
            "clientAddress.trustedProxies", "1",
            "clientAddress.trustedProxyRanges", "127.0.0.1/32");

    private static final String ANDROID = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko)"
            + " Chrome/124.0.0.0 Mobile Safari/537.36";

    private final Http http = new Http(APP.getLocalPort());

    private static TcpProxy proxy() {
        try {
            return new TcpProxy("127.0.0.1", TestPostgres.shared().port());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String key(String... scopes) {
        String body = "{\"name\": \"partner\", \"scopes\": [" + String.join(",",
                java.util.Arrays.stream(scopes).map(s -> "\"" + s + "\"").toList()) + "]}";
        HttpResponse<String> response = http.adminPost("/admin/api-keys", body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return Json.parse(response.body()).get("key").asText();
    }

    private String click(long campaign) {
        HttpResponse<String> answer = http.send(http.request("/track/" + campaign).setHeader("User-Agent", ANDROID)
                .header("X-Appengine-Country", "at").GET());
        assertThat(answer.statusCode()).isEqualTo(307);
        String location = answer.headers().firstValue("Location").orElseThrow();
        Matcher m = Pattern.compile("https://shop\\.example/thanks\\?click=([A-Za-z0-9_-]+)").matcher(location);
        assertThat(m.matches()).as(location).isTrue();
        return m.group(1);
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private HttpResponse<String> get(String query) {
        return http.send(http.request("/postback?" + query).GET());
    }

    private HttpResponse<String> post(String contentType, String body, String key) {
        return http.send(http.request("/postback").header("Content-Type", contentType).header("X-Api-Key", key)
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private static JsonNode ok(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        return Json.parse(response.body());
    }

    private static void error(HttpResponse<String> response, int status, String message) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        JsonNode body = Json.parse(response.body());
        assertThat(body.get("status").asText()).isEqualTo("error");
        if (message != null) {
            assertThat(body.get("msg").asText()).isEqualTo(message);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private JsonNode campaign(long id) {
        return Json.parse(http.adminGet("/admin/campaigns/" + id).body());
    }

    @Test
    void aClicksConversionCountsOnceByQueryFormOrJsonAndShowsInItsCampaign() {
        long campaign = http.createCampaign("https://shop.example/thanks?click={click_id}");
        String key = key("postback");
        String install = click(campaign);
        JsonNode counted = ok(get("click_id=" + install + "&event=Install&key=" + encode(key) + "&sub1=x"));
        assertThat(counted.get("status").asText()).isEqualTo("ok");
        assertThat(counted.get("attributed").asBoolean()).isTrue();
        assertThat(counted.get("duplicate").asBoolean()).isFalse();
        assertThat(counted.get("campaign_id").asLong()).isEqualTo(campaign);
        assertThat(counted.get("event").asText()).isEqualTo("install");
        JsonNode again = ok(get("click_id=" + install + "&event=install&key=" + encode(key)));
        assertThat(again.get("attributed").asBoolean()).isTrue();
        assertThat(again.get("duplicate").asBoolean()).as("a retry").isTrue();

        String purchase = click(campaign);
        ok(post("application/x-www-form-urlencoded", "click_id=" + purchase + "&event=purchase&revenue=4.99&currency=eur", key));
        JsonNode json = ok(post("application/json", "{\"click_id\":\"" + click(campaign)
                + "\",\"event\":\"purchase\",\"revenue\":0.01,\"currency\":\"EUR\"}", key));
        assertThat(json.get("duplicate").asBoolean()).isFalse();
        ok(get("click_id=" + click(campaign) + "&key=" + encode(key)));

        JsonNode answer = campaign(campaign);
        assertThat(answer.get("conversion_count").asLong()).isEqualTo(4);
        assertThat(answer.get("conversions").toString()).isEqualTo("{\"conversion\":1,\"install\":1,\"purchase\":2}");
        assertThat(answer.get("revenue").toString()).as("4.99 + 0.01, exactly").isEqualTo("{\"EUR\":\"5\"}");
    }

    @Test
    void everyRefusalIsAJsonErrorAndCountsNothing() {
        long campaign = http.createCampaign("https://shop.example/thanks?click={click_id}");
        String key = key("postback");
        String id = click(campaign);
        error(get("click_id=" + id), 401, null);
        error(get("click_id=" + id + "&key=o7_wrong" + "x".repeat(40)), 401, null);
        error(http.send(http.request("/postback?click_id=" + id).header("X-Api-Key", key("read")).GET()), 403,
                "This API key has no postback scope.");
        String forged = id.substring(0, id.length() - 1) + (id.endsWith("A") ? "B" : "A");
        error(get("click_id=" + forged + "&key=" + encode(key)), 400, null);
        error(get("click_id=" + id.substring(0, 40) + "&key=" + encode(key)), 400, null);
        error(get("click_id=" + id + "&event=sign-up&key=" + encode(key)), 400,
                "event must be 1 to 32 of the letters a-z, digits and _.");
        error(get("click_id=" + id + "&revenue=1e3&currency=EUR&key=" + encode(key)), 400,
                "revenue must be a decimal number of at least 0 with at most 6 decimals, such as 4.99.");
        error(get("click_id=" + id + "&revenue=3&key=" + encode(key)), 400,
                "currency is required with revenue: an ISO 4217 code such as EUR.");
        error(post("application/json", "{\"click_id\":", key), 400, null);
        assertThat(campaign(campaign).get("conversion_count").asLong()).isZero();

        JsonNode old = ok(get("click_id=AAAAAAAAAAAAAAAAAAAAAAAAAAA&key=" + encode(key)));
        assertThat(old.get("attributed").asBoolean()).as("an id of before signed ids").isFalse();
        assertThat(old.get("reason").asText()).isEqualTo(PostbackResource.BEFORE_SIGNED_IDS);

        assertThat(http.adminDelete("/admin/campaigns/" + campaign).statusCode()).isEqualTo(204);
        JsonNode deleted = ok(get("click_id=" + id + "&key=" + encode(key)));
        assertThat(deleted.get("attributed").asBoolean()).isFalse();
        assertThat(deleted.get("reason").asText()).isEqualTo(ConversionStore.DELETED);
    }

    @Test
    void withPostgresqlAwayAPostbackIs503WithRetryAfterAndItsRetryCountsOnce() {
        long campaign = http.createCampaign("https://shop.example/thanks?click={click_id}");
        String key = key("postback");
        String id = click(campaign);
        ok(get("click_id=" + click(campaign) + "&key=" + encode(key))); // the key is known from here on
        PROXY.refuseNew(true);
        PROXY.cutAll();
        HttpResponse<String> away;
        try {
            away = get("click_id=" + id + "&event=install&key=" + encode(key));
        } finally {
            PROXY.refuseNew(false);
        }
        error(away, 503, null);
        assertThat(away.headers().firstValue("Retry-After")).hasValue("5");
        // As a partner retries: again until it is answered (the pool replaces the connections cut).
        HttpResponse<String> retry = get("click_id=" + id + "&event=install&key=" + encode(key));
        for (int i = 0; i < 100 && retry.statusCode() == 503; i++) {
            sleep(100);
            retry = get("click_id=" + id + "&event=install&key=" + encode(key));
        }
        JsonNode retried = ok(retry);
        assertThat(retried.get("duplicate").asBoolean()).as("nothing was counted while PostgreSQL was away").isFalse();
        assertThat(ok(get("click_id=" + id + "&event=install&key=" + encode(key))).get("duplicate").asBoolean()).isTrue();
        assertThat(campaign(campaign).get("conversions").get("install").asLong()).isEqualTo(1);
    }

    @Test
    void aKeyInTheQueryIsNotInTheNameOfTheThreadServingThePostback() throws Exception {
        long campaign = http.createCampaign("https://shop.example/thanks?click={click_id}");
        String key = key("postback");
        String id = click(campaign);
        ok(get("click_id=" + click(campaign) + "&key=" + encode(key)));
        // PostgreSQL stops answering: the postback waits in its thread, which shows itself meanwhile.
        PROXY.silenceOpenConnections();
        java.util.concurrent.CompletableFuture<HttpResponse<String>> waiting = java.util.concurrent.CompletableFuture
                .supplyAsync(() -> get("click_id=" + id + "&event=install&key=" + encode(key)));
        try {
            String serving = null;
            for (int i = 0; i < 200 && serving == null; i++) {
                serving = Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
                        .filter(name -> name.contains("/postback")).findFirst().orElse(null);
                sleep(25);
            }
            assertThat(serving).as("a thread serving the postback").isNotNull();
            // Named so from the moment Jersey has it (before, for the microseconds of the servlet filters, with its query).
            sleep(300);
            String waitingFor = Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
                    .filter(name -> name.contains("/postback")).findFirst().orElseThrow();
            assertThat(waitingFor).as("the thread waiting for PostgreSQL").doesNotContain("?", "key", key);
        } finally {
            PROXY.cutAll();
        }
        assertThat(waiting.get(30, java.util.concurrent.TimeUnit.SECONDS).statusCode()).isIn(200, 503);
    }
}
