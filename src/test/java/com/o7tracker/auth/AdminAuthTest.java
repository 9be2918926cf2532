package com.o7tracker.auth;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.o7tracker.O7TrackerConfiguration;
import com.o7tracker.support.Http;
import com.o7tracker.support.Json;
import com.o7tracker.support.TestApp;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

/** Basic auth as an attacker meets it: guesses are throttled per client, garbage is refused quietly. */
@ExtendWith(DropwizardExtensionsSupport.class)
class AdminAuthTest {

    static final DropwizardAppExtension<O7TrackerConfiguration> APP = TestApp.withoutMemcached(
            "auth.maxFailures", "3", "auth.failureWindow", "2s", "auth.trustedProxies", "1");
    static final String UNAUTHORIZED = "{\"status\":\"error\",\"msg\":\"Missing or wrong credentials.\"}";

    private Http http;

    @BeforeEach
    void setUp() {
        http = new Http(APP.getLocalPort());
    }

    private HttpResponse<String> list(String client, String authorization) {
        HttpRequest.Builder request = http.request("/admin/campaigns").header("X-Forwarded-For", client);
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.GET());
    }

    private long meter(String name) {
        return APP.getEnvironment().metrics().meter(name).getCount();
    }

    @Test
    void undecodableAuthorizationHeadersAre401WithoutALogLine() {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        root.addAppender(log);
        try {
            List<String> headers = List.of("Basic !!!", "Basic " + base64("no colon here"), "Basic", "Basic ",
                    "Basic ====", "Basic " + base64("admin:x") + "!", "Bearer abc.def.ghi", "Digest username=\"admin\"",
                    "basic", "Basic %%%%");
            int client = 0;
            for (int round = 0; round < 3; round++) {
                for (String header : headers) {
                    HttpResponse<String> response = list("198.51.100." + client++, header);
                    assertThat(response.statusCode()).as(header).isEqualTo(401);
                    assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"o7tracker\"");
                    assertThat(response.body()).isEqualTo(UNAUTHORIZED);
                }
            }
        } finally {
            root.detachAppender(log);
        }
        assertThat(log.list).extracting(ILoggingEvent::getFormattedMessage).isEmpty();
    }

    @Test
    void repeatedFailuresFromOneClientAreThrottledUntilTheWindowHasPassed() throws Exception {
        String attacker = "203.0.113.7";
        String admin = "203.0.113.8";
        long failures = meter("auth.failures");
        long throttled = meter("auth.throttled");
        for (int i = 0; i < 3; i++) {
            assertThat(list(attacker, Http.basic(Http.USER, "guess-number-" + i)).statusCode()).isEqualTo(401);
        }
        assertThat(meter("auth.failures")).isEqualTo(failures + 3);

        HttpResponse<String> refused = list(attacker, Http.basic(Http.USER, Http.PASSWORD));
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        assertThat(Json.parse(refused.body()).get("status").asText()).isEqualTo("error");
        assertThat(Json.parse(refused.body()).get("msg").asText()).contains("Too many failed logins");
        long retryAfter = Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow());
        assertThat(retryAfter).isBetween(1L, 2L);
        assertThat(list(attacker, null).statusCode()).isEqualTo(429);
        assertThat(http.send(http.request("/tasks/update_stats").header("X-Forwarded-For", attacker).GET()).statusCode())
                .isEqualTo(429);
        assertThat(meter("auth.throttled")).isEqualTo(throttled + 3);

        // Another client is not held back, and its login clears nothing of the attacker's.
        assertThat(list(admin, Http.basic(Http.USER, Http.PASSWORD)).statusCode()).isEqualTo(200);
        assertThat(list(attacker, Http.basic(Http.USER, Http.PASSWORD)).statusCode()).isEqualTo(429);
        // Behind the trusted proxy, the attacker's own X-Forwarded-For entry changes nothing.
        assertThat(list("192.0.2.99, " + attacker, Http.basic(Http.USER, Http.PASSWORD)).statusCode()).isEqualTo(429);

        Thread.sleep(retryAfter * 1000 + 200);
        assertThat(list(attacker, Http.basic(Http.USER, Http.PASSWORD)).statusCode()).isEqualTo(200);
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
