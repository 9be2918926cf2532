package com.o7tracker.auth;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.o7tracker.O7TrackerConfiguration;
import com.o7tracker.support.Await;
import com.o7tracker.support.Http;
import com.o7tracker.support.Json;
import com.o7tracker.support.TestApp;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

/**
 * API keys through the whole service: each scope reaches what it names and is refused (403) the
 * rest, only the password manages keys, a wrong key is a failed login, a revoked key is refused
 * by another instance within a second, and no key shows in the log.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ApiKeysIT {

    static final int MAX_FAILURES = 3;
    static final DropwizardAppExtension<O7TrackerConfiguration> APP = TestApp.withoutMemcached(
            "auth.maxFailures", String.valueOf(MAX_FAILURES), "auth.failureWindow", "10m", "auth.maxDelay", "500ms",
            "clientAddress.trustedProxies", "1", "clientAddress.trustedProxyRanges", "127.0.0.1/32",
            "logging.level", "INFO");
    // Logging is the JVM's: both instances log their requests, so the test's capture sees them.
    static final DropwizardAppExtension<O7TrackerConfiguration> OTHER = TestApp.withoutMemcached("logging.level", "INFO");
    static final java.util.concurrent.ExecutorService POOL = java.util.concurrent.Executors.newFixedThreadPool(8);
    static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Http http = new Http(APP.getLocalPort());

    private JsonNode createKey(String name, String... scopes) {
        String body = "{\"name\": \"" + name + "\", \"scopes\": [" + String.join(",",
                java.util.Arrays.stream(scopes).map(s -> "\"" + s + "\"").toList()) + "]}";
        HttpResponse<String> response = http.adminPost("/admin/api-keys", body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return Json.parse(response.body());
    }

    private static HttpResponse<String> send(int port, String client, String method, String path, String body,
                                             UnaryOperator<HttpRequest.Builder> credentials) {
        HttpRequest.Builder request = credentials.apply(HttpRequest.newBuilder(
                        java.net.URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(20))
                .header("X-Forwarded-For", client)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)));
        try {
            return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private HttpResponse<String> withKey(String key, String method, String path, String body) {
        return send(APP.getLocalPort(), "192.0.2.1", method, path, body, r -> r.header("X-Api-Key", key));
    }

    /** The event stream's answer: its status and type only (a 200 stream never ends). */
    private int streamStatus(String key) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + APP.getLocalPort() + "/admin/events"))
                .header("Authorization", "Bearer " + key).header("X-Forwarded-For", "192.0.2.1").GET().build();
        HttpResponse<java.io.InputStream> response = CLIENT.send(request, HttpResponse.BodyHandlers.ofInputStream());
        response.body().close();
        return response.statusCode();
    }

    /** What each kind of admin request answers with {@code key}: method, path, status. */
    private List<String> everyKindOfRequest(String key, long campaign) throws Exception {
        List<String> answers = new ArrayList<>();
        String[][] requests = {
            {"GET", "/admin/campaigns/" + campaign, null},
            {"GET", "/admin/campaigns", null},
            {"GET", "/admin/campaigns/" + campaign + "/stats", null},
            {"GET", "/admin/stats", null},
            {"GET", "/admin/campaigns/" + campaign + "/breakdown?by=country", null},
            {"GET", "/admin/stats/breakdown?by=country", null},
            {"POST", "/admin/campaigns", "{\"redirect_url\": \"https://example.com/by-key\"}"},
            {"PUT", "/admin/campaigns/" + campaign, "{\"name\": \"renamed by key\"}"},
            {"GET", "/admin/api-keys", null},
            {"POST", "/admin/api-keys", "{\"name\": \"made by a key\", \"scopes\": [\"read\"]}"},
        };
        for (String[] r : requests) {
            HttpResponse<String> response = withKey(key, r[0], r[1], r[2]);
            answers.add(r[0] + " " + r[1].replace(String.valueOf(campaign), "{id}").replaceAll("\\?.*", "") + " "
                    + response.statusCode());
            if (response.statusCode() == 403) {
                assertThat(Json.parse(response.body()).get("status").asText()).isEqualTo("error");
            }
        }
        answers.add("GET /admin/events " + streamStatus(key));
        answers.add("DELETE /admin/campaigns/{id} " + withKey(key, "DELETE", "/admin/campaigns/" + campaign, null).statusCode());
        return answers;
    }

    @Test
    void eachScopeReachesWhatItNamesAndIsRefusedTheRest() throws Exception {
        String read = createKey("reader", "read").get("key").asText();
        String write = createKey("writer", "write").get("key").asText();
        String postback = createKey("partner", "postback").get("key").asText();
        String all = createKey("everything", "read", "write", "postback").get("key").asText();

        assertThat(everyKindOfRequest(read, http.createCampaign("https://example.com/r"))).containsExactly(
                "GET /admin/campaigns/{id} 200", "GET /admin/campaigns 200", "GET /admin/campaigns/{id}/stats 200",
                "GET /admin/stats 200", "GET /admin/campaigns/{id}/breakdown 200", "GET /admin/stats/breakdown 200",
                "POST /admin/campaigns 403", "PUT /admin/campaigns/{id} 403", "GET /admin/api-keys 403",
                "POST /admin/api-keys 403", "GET /admin/events 200", "DELETE /admin/campaigns/{id} 403");
        assertThat(everyKindOfRequest(write, http.createCampaign("https://example.com/w"))).containsExactly(
                "GET /admin/campaigns/{id} 200", "GET /admin/campaigns 200", "GET /admin/campaigns/{id}/stats 200",
                "GET /admin/stats 200", "GET /admin/campaigns/{id}/breakdown 200", "GET /admin/stats/breakdown 200",
                "POST /admin/campaigns 201", "PUT /admin/campaigns/{id} 200", "GET /admin/api-keys 403",
                "POST /admin/api-keys 403", "GET /admin/events 200", "DELETE /admin/campaigns/{id} 204");
        assertThat(everyKindOfRequest(postback, http.createCampaign("https://example.com/p"))).containsExactly(
                "GET /admin/campaigns/{id} 403", "GET /admin/campaigns 403", "GET /admin/campaigns/{id}/stats 403",
                "GET /admin/stats 403", "GET /admin/campaigns/{id}/breakdown 403", "GET /admin/stats/breakdown 403",
                "POST /admin/campaigns 403", "PUT /admin/campaigns/{id} 403", "GET /admin/api-keys 403",
                "POST /admin/api-keys 403", "GET /admin/events 403", "DELETE /admin/campaigns/{id} 403");
        assertThat(everyKindOfRequest(all, http.createCampaign("https://example.com/a"))).containsExactly(
                "GET /admin/campaigns/{id} 200", "GET /admin/campaigns 200", "GET /admin/campaigns/{id}/stats 200",
                "GET /admin/stats 200", "GET /admin/campaigns/{id}/breakdown 200", "GET /admin/stats/breakdown 200",
                "POST /admin/campaigns 201", "PUT /admin/campaigns/{id} 200", "GET /admin/api-keys 403",
                "POST /admin/api-keys 403", "GET /admin/events 200", "DELETE /admin/campaigns/{id} 204");
        HttpResponse<String> refused = withKey(read, "POST", "/admin/campaigns", "{\"redirect_url\": \"https://example.com/x\"}");
        assertThat(refused.body()).isEqualTo("{\"status\":\"error\",\"msg\":\"This API key has no write scope.\"}");
        assertThat(withKey(all, "GET", "/admin/api-keys", null).body())
                .isEqualTo("{\"status\":\"error\",\"msg\":\"Only the admin password manages API keys.\"}");
    }

    @Test
    void bothHeaderFormsCarryAKey() {
        String key = createKey("both headers", "read").get("key").asText();
        assertThat(key).matches("o7_[A-Za-z0-9_-]{43}");
        int port = APP.getLocalPort();
        assertThat(send(port, "192.0.2.2", "GET", "/admin/campaigns", null, r -> r.header("Authorization", "Bearer " + key))
                .statusCode()).isEqualTo(200);
        assertThat(send(port, "192.0.2.2", "GET", "/admin/campaigns", null, r -> r.header("authorization", "bearer  " + key))
                .statusCode()).isEqualTo(200);
        assertThat(send(port, "192.0.2.2", "GET", "/admin/campaigns", null, r -> r.header("X-Api-Key", key))
                .statusCode()).isEqualTo(200);
    }

    @Test
    void keysAreListedWithoutTheirSecretAndTheirLastUse() throws Exception {
        JsonNode created = createKey("  listed  ", "write", "read", "write");
        assertThat(created.get("name").asText()).isEqualTo("listed");
        assertThat(created.get("scopes").toString()).isEqualTo("[\"read\",\"write\"]");
        assertThat(created.get("last_used_at").isNull()).isTrue();
        long id = created.get("id").asLong();
        String key = created.get("key").asText();
        HttpResponse<String> list = http.adminGet("/admin/api-keys");
        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(list.body()).doesNotContain(key).doesNotContain("\"key\"").doesNotContain("hash");
        assertThat(withKey(key, "GET", "/admin/campaigns", null).statusCode()).isEqualTo(200);
        Await.until("last_used_at set", Duration.ofSeconds(10), () -> {
            for (JsonNode k : Json.parse(http.adminGet("/admin/api-keys").body())) {
                if (k.get("id").asLong() == id) {
                    return !k.get("last_used_at").isNull();
                }
            }
            return false;
        });
    }

    @Test
    void badBodiesAreRefusedNamingTheField() {
        String[][] cases = {
            {"{\"scopes\": [\"read\"]}", "422", "name"},
            {"{\"name\": \"   \", \"scopes\": [\"read\"]}", "422", "name"},
            {"{\"name\": \"" + "n".repeat(201) + "\", \"scopes\": [\"read\"]}", "422", "name"},
            {"{\"name\": 7, \"scopes\": [\"read\"]}", "422", "name"},
            {"{\"name\": \"k\", \"scopes\": []}", "422", "scopes"},
            {"{\"name\": \"k\"}", "422", "scopes"},
            {"{\"name\": \"k\", \"scopes\": [\"admin\"]}", "422", "scopes"},
            {"{\"name\": \"k\", \"scopes\": \"read\"}", "422", "scopes"},
            {"{\"name\": \"k\", \"scopes\": [\"read\"], \"key\": \"o7_mine\"}", "422", "key"},
            {"[1]", "400", "JSON object"},
            {"{", "400", "JSON"},
        };
        int before = Json.parse(http.adminGet("/admin/api-keys").body()).size();
        for (String[] c : cases) {
            HttpResponse<String> response = http.adminPost("/admin/api-keys", c[0]);
            assertThat(response.statusCode()).as(c[0]).isEqualTo(Integer.parseInt(c[1]));
            JsonNode body = Json.parse(response.body());
            assertThat(body.get("status").asText()).isEqualTo("error");
            assertThat(body.get("msg").asText()).as(c[0]).contains(c[2]);
        }
        assertThat(Json.parse(http.adminGet("/admin/api-keys").body()).size()).isEqualTo(before);
        assertThat(http.adminDelete("/admin/api-keys/999999999").statusCode()).isEqualTo(404);
        assertThat(http.adminDelete("/admin/api-keys/nope").statusCode()).isEqualTo(404);
    }

    @Test
    void wrongKeysAre401AndThrottledLikeWrongPasswords() {
        String client = "198.51.100.9";
        int port = APP.getLocalPort();
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < MAX_FAILURES; i++) {
            String wrong = "o7_" + "A".repeat(42) + (char) ('a' + i);
            statuses.add(send(port, client, "GET", "/admin/campaigns", null, r -> r.header("X-Api-Key", wrong)).statusCode());
        }
        assertThat(statuses).containsOnly(401);
        // Past its free attempts a client's attempts are spaced: of several at once, those beyond the next turn are refused.
        assertThat(concurrently(8, i -> send(port, client, "GET", "/admin/campaigns", null,
                r -> r.header("X-Api-Key", "o7_" + "B".repeat(42) + (char) ('a' + i))).statusCode())).containsOnly(401, 429).contains(429);
        // Malformed and empty keys are failed logins too (refused unchecked, they cost nothing to
        // refuse): past them the client's well-formed attempts, even with a right key, take turns.
        String right = createKey("spaced", "read").get("key").asText();
        String other = "198.51.100.10";
        assertThat(send(port, other, "GET", "/admin/campaigns", null, r -> r.header("X-Api-Key", "")).statusCode()).isEqualTo(401);
        assertThat(send(port, other, "GET", "/admin/campaigns", null, r -> r.header("Authorization", "Bearer")).statusCode()).isEqualTo(401);
        assertThat(send(port, other, "GET", "/admin/campaigns", null, r -> r.header("Authorization", "Bearer o7_short")).statusCode())
                .isEqualTo(401);
        assertThat(concurrently(8, i -> send(port, other, "GET", "/admin/campaigns", null,
                r -> r.header("X-Api-Key", right)).statusCode())).containsOnly(200, 429).contains(200, 429);
    }

    private static List<Integer> concurrently(int n, java.util.function.IntFunction<Integer> attempt) {
        List<java.util.concurrent.CompletableFuture<Integer>> answers = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int index = i;
            answers.add(java.util.concurrent.CompletableFuture.supplyAsync(() -> attempt.apply(index), POOL));
        }
        return answers.stream().map(java.util.concurrent.CompletableFuture::join).toList();
    }

    @Test
    void aRevokedKeyIsRefusedOnAnotherInstanceWithinASecond() throws Exception {
        JsonNode created = createKey("revoked", "read");
        String key = created.get("key").asText();
        int other = OTHER.getLocalPort();
        assertThat(send(other, "192.0.2.3", "GET", "/admin/campaigns", null, r -> r.header("X-Api-Key", key)).statusCode())
                .isEqualTo(200);
        assertThat(http.adminDelete("/admin/api-keys/" + created.get("id").asLong()).statusCode()).isEqualTo(204);
        long revoked = System.nanoTime();
        Await.until("the revoked key refused on the other instance", Duration.ofSeconds(5), () ->
                send(other, "192.0.2.3", "GET", "/admin/campaigns", null, r -> r.header("X-Api-Key", key)).statusCode() == 401);
        assertThat(System.nanoTime() - revoked).isLessThan(TimeUnit.SECONDS.toNanos(1));
        assertThat(withKey(key, "GET", "/admin/campaigns", null).statusCode()).isEqualTo(401);
        assertThat(http.adminDelete("/admin/api-keys/" + created.get("id").asLong()).statusCode()).isEqualTo(404);
    }

    @Test
    void noKeyShowsInTheLog() throws Exception {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        root.addAppender(log);
        String key;
        try {
            JsonNode created = createKey("logged?", "read", "write");
            key = created.get("key").asText();
            withKey(key, "GET", "/admin/campaigns", null);
            withKey(key, "POST", "/admin/campaigns", "{\"redirect_url\": \"https://example.com/log\"}");
            send(APP.getLocalPort(), "192.0.2.4", "GET", "/admin/stats", null, r -> r.header("Authorization", "Bearer " + key));
            withKey(key + "x", "GET", "/admin/campaigns", null);
            // The last use, written off the request path, is in the log's time too.
            Await.until("last_used_at set", Duration.ofSeconds(10), () -> {
                for (JsonNode k : Json.parse(http.adminGet("/admin/api-keys").body())) {
                    if (k.get("id").asLong() == created.get("id").asLong()) {
                        return !k.get("last_used_at").isNull();
                    }
                }
                return false;
            });
        } finally {
            root.detachAppender(log);
        }
        List<String> lines = log.list.stream().map(e -> e.getFormattedMessage() + " " + e.getMDCPropertyMap()).toList();
        assertThat(lines).as("the access log").anyMatch(line -> line.contains("/admin/campaigns"));
        String secret = key.substring(3);
        assertThat(lines).noneMatch(line -> line.contains(secret) || line.contains("Bearer"));
    }
}
