package com.o7tracker.auth;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

/**
 * Basic auth as an attacker meets it, through the whole service: guesses are limited per user name
 * and per client, the right password still gets in, garbage is refused quietly. The service
 * believes X-Forwarded-For (one appending proxy) from 127.0.0.1 only, so a connection from
 * 127.0.0.2 is a client that reached the port directly.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class AdminAuthIT {

    static final int MAX_FAILURES = 3;
    static final long MAX_DELAY_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
    // A window longer than the class runs, so no free attempts come back in the middle of a flood.
    static final DropwizardAppExtension<O7TrackerConfiguration> APP = TestApp.withoutMemcached(
            "auth.maxFailures", String.valueOf(MAX_FAILURES), "auth.failureWindow", "10m", "auth.maxDelay", "500ms",
            "clientAddress.trustedProxies", "1", "clientAddress.trustedProxyRanges", "127.0.0.1/32");
    static final String UNAUTHORIZED = "{\"status\":\"error\",\"msg\":\"Missing or wrong credentials.\"}";
    static final ExecutorService ATTACKERS = Executors.newFixedThreadPool(32);

    private Http http;

    @BeforeEach
    void setUp() {
        http = new Http(APP.getLocalPort());
    }

    @AfterAll
    static void stopAttackers() {
        ATTACKERS.shutdownNow();
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

    /** {@code n} attempts, 32 at a time; each one's status. */
    private static List<Integer> flood(int n, IntFunction<Supplier<Integer>> attempt) {
        List<CompletableFuture<Integer>> answers = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            answers.add(CompletableFuture.supplyAsync(attempt.apply(i), ATTACKERS));
        }
        return answers.stream().map(CompletableFuture::join).toList();
    }

    /**
     * The most checks a limited party gets in {@code elapsedNanos}: its free attempts, the turns
     * that lead up to the full spacing (1/8, 1/4, 1/2 of it), then one per maxDelay, and one more
     * for the turn under way when the time was taken.
     */
    private static long mostChecks(long elapsedNanos) {
        return MAX_FAILURES + 3 + elapsedNanos / MAX_DELAY_NANOS + 1;
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
    void afterAThousandWrongLoginsFromRotatingAddressesTheRightPasswordGetsIn() {
        long failures = meter("auth.failures");
        long evaluations = meter("auth.evaluations");
        long delayed = meter("auth.delayed");
        long started = System.nanoTime();
        List<Integer> statuses = flood(1000, i -> () -> list("198.18." + i / 250 + "." + i % 250,
                Http.basic(Http.USER, "guess-number-" + i)).statusCode());
        long elapsed = System.nanoTime() - started;

        assertThat(statuses).containsOnly(401, 429);
        long checked = meter("auth.evaluations") - evaluations;
        assertThat(meter("auth.failures") - failures).isEqualTo(checked).isEqualTo(statuses.stream().filter(s -> s == 401).count());
        assertThat(checked).as("guesses checked in %d ms", elapsed / 1_000_000)
                .isGreaterThanOrEqualTo(MAX_FAILURES).isLessThanOrEqualTo(mostChecks(elapsed));
        assertThat(meter("auth.delayed") - delayed).as("turns waited for, suspended, then checked").isPositive();

        // The flood is over: the admin's turn comes within maxDelay, from a new address or a guesser's.
        assertThat(list("198.18.200.1", Http.basic(Http.USER, Http.PASSWORD)).statusCode()).isEqualTo(200);
        assertThat(list("198.18.0.7", Http.basic(Http.USER, Http.PASSWORD)).statusCode()).isEqualTo(200);
    }

    /**
     * Wrong passwords for the admin's user name from {@code threads} threads, each sending its next
     * as soon as the last is answered, from {@code address}(n) for the n-th guess, until stopped;
     * returned once the user name is throttled (attempts are being refused).
     */
    private Flood floodUntilStopped(int threads, IntFunction<String> address) {
        AtomicBoolean going = new AtomicBoolean(true);
        AtomicInteger sent = new AtomicInteger();
        List<CompletableFuture<List<Integer>>> senders = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            senders.add(CompletableFuture.supplyAsync(() -> {
                List<Integer> statuses = new ArrayList<>();
                while (going.get()) {
                    statuses.add(list(address.apply(sent.getAndIncrement()), Http.basic(Http.USER, "wrong-password")).statusCode());
                }
                return statuses;
            }, ATTACKERS));
        }
        long throttled = meter("auth.throttled");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (meter("auth.throttled") - throttled < 20) {
            assertThat(System.nanoTime()).as("the flood throttled within a minute").isLessThan(deadline);
            Thread.onSpinWait();
        }
        return () -> {
            going.set(false);
            return senders.stream().flatMap(sender -> sender.join().stream()).toList();
        };
    }

    /** A flood under way; stopping it waits for its last answers, and gives their statuses. */
    private interface Flood {
        List<Integer> stop();
    }

    @Test
    void duringAFloodFromOneAddressTheRightPasswordFromAnotherGetsIn() {
        long evaluations = meter("auth.evaluations");
        long started = System.nanoTime();
        Flood flood = floodUntilStopped(4, n -> "198.51.100.77");
        // Before the user name's turns went round its clients, the guesser took each freed turn
        // within milliseconds and these were refused (429) nearly every time.
        List<Integer> admin = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            admin.add(list("192.0.2.20" + i, Http.basic(Http.USER, Http.PASSWORD)).statusCode());
        }
        List<Integer> guesses = flood.stop();
        long elapsed = System.nanoTime() - started;

        assertThat(admin).as("the right password from three new addresses during the flood").containsExactly(200, 200, 200);
        assertThat(guesses).containsOnly(401, 429).contains(429);
        assertThat(meter("auth.evaluations") - evaluations).as("checks of %d guesses and 3 logins in %d ms",
                guesses.size(), elapsed / 1_000_000).isLessThanOrEqualTo(mostChecks(elapsed));
    }

    @Test
    void duringAFloodFromRotatingAddressesAClientThatLoggedInBeforeGetsInAtOnce() {
        assertThat(list("192.0.2.210", Http.basic(Http.USER, Http.PASSWORD)).statusCode()).isEqualTo(200);
        long evaluations = meter("auth.evaluations");
        long started = System.nanoTime();
        // More guessing addresses at a time than the user name has waiting places.
        Flood flood = floodUntilStopped(24, n -> "198.19." + n / 250 % 250 + "." + n % 250);
        List<Integer> admin = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            admin.add(list("192.0.2.210", Http.basic(Http.USER, Http.PASSWORD)).statusCode());
        }
        List<Integer> guesses = flood.stop();
        long elapsed = System.nanoTime() - started;

        assertThat(admin).containsExactly(200, 200, 200);
        assertThat(guesses).containsOnly(401, 429).contains(429);
        // The recognised client's logins are checked outside the user name's turns.
        assertThat(meter("auth.evaluations") - evaluations - admin.size()).as("checks of %d guesses in %d ms",
                guesses.size(), elapsed / 1_000_000).isLessThanOrEqualTo(mostChecks(elapsed));
    }

    @Test
    void guessesFromEveryAddressOfOneIpv6Slash64AreOneClientWhoseRightPasswordGetsIn() {
        long failures = meter("auth.failures");
        long started = System.nanoTime();
        // A new address and a new user name each time: only the /64 ties them together.
        List<Integer> statuses = flood(1000, i -> () -> list("2001:db8:7:7:" + Integer.toHexString(i) + "::1",
                Http.basic("guess-user-" + i, "guess-" + i)).statusCode());
        long elapsed = System.nanoTime() - started;

        assertThat(statuses).containsOnly(401, 429);
        // The client's free failures, then one check per maxDelay.
        assertThat(meter("auth.failures") - failures).as("guesses checked in %d ms", elapsed / 1_000_000)
                .isLessThanOrEqualTo(MAX_FAILURES + elapsed / MAX_DELAY_NANOS + 1);

        assertThat(list("2001:db8:7:7:fffe::1", Http.basic(Http.USER, Http.PASSWORD)).statusCode())
                .as("the admin behind the same /64").isEqualTo(200);
        assertThat(list("2001:db8:7:8::1", Http.basic(Http.USER, Http.PASSWORD)).statusCode()).as("another /64")
                .isEqualTo(200);
    }

    @Test
    void aThrottledClientsAttemptsAreRefusedUncheckedWhileItsTurnIsTakenAndTheRightPasswordGetsIn() {
        String attacker = "203.0.113.7";
        for (int i = 0; i < MAX_FAILURES; i++) {
            assertThat(list(attacker, Http.basic("guess-" + i, "guess-number-" + i)).statusCode()).isEqualTo(401);
        }
        long throttled = meter("auth.throttled");
        long started = System.nanoTime();
        List<Integer> statuses = flood(20, i -> () -> list(attacker, Http.basic("guess-x" + i, "guess")).statusCode());
        long elapsed = System.nanoTime() - started;
        assertThat(statuses).containsOnly(401, 429);
        assertThat(statuses.stream().filter(s -> s == 401).count()).as("one check per maxDelay, in %d ms", elapsed / 1_000_000)
                .isBetween(1L, 2 + elapsed / MAX_DELAY_NANOS);
        assertThat(meter("auth.throttled") - throttled).isEqualTo(statuses.stream().filter(s -> s == 429).count());

        HttpResponse<String> refused = null;
        for (int i = 0; i < 3 && refused == null; i++) {
            // Three at once from the throttled client (one to /tasks): the last finds both turns within
            // maxDelay taken.
            List<CompletableFuture<HttpResponse<String>>> answers = List.of(
                    CompletableFuture.supplyAsync(() -> list(attacker, Http.basic("guess-y", "guess")), ATTACKERS),
                    CompletableFuture.supplyAsync(() -> list(attacker, Http.basic("guess-v", "guess")), ATTACKERS),
                    CompletableFuture.supplyAsync(() -> http.send(http.request("/tasks/update_stats")
                            .header("X-Forwarded-For", attacker).header("Authorization", Http.basic("guess-z", "guess")).GET()),
                            ATTACKERS));
            for (CompletableFuture<HttpResponse<String>> answer : answers) {
                if (answer.join().statusCode() == 429) {
                    refused = answer.join();
                }
            }
        }
        assertThat(refused).as("a refusal among three simultaneous attempts").isNotNull();
        assertThat(refused.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        assertThat(Json.parse(refused.body()).get("status").asText()).isEqualTo("error");
        assertThat(Json.parse(refused.body()).get("msg").asText()).isEqualTo("Too many failed logins; try again later.");
        assertThat(Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow())).isEqualTo(1L);

        // The admin behind the attacker's address (a shared network) gets in at its turn; another client at once.
        assertThat(list(attacker, Http.basic(Http.USER, Http.PASSWORD)).statusCode()).isEqualTo(200);
        assertThat(list("203.0.113.8", Http.basic(Http.USER, Http.PASSWORD)).statusCode()).isEqualTo(200);
        // Behind the trusted proxy, the attacker's own X-Forwarded-For entry changes nothing.
        long before = meter("auth.throttled");
        flood(10, i -> () -> list("192.0.2." + i + ", " + attacker, Http.basic("guess-w" + i, "guess")).statusCode());
        assertThat(meter("auth.throttled") - before).isGreaterThanOrEqualTo(7);
    }

    @Test
    void aDirectConnectionFromOutsideTheTrustedRangesIsCountedByItsOwnAddressWhateverItForwards() {
        // 127.0.0.2 is outside TRUSTED_PROXY_RANGES (127.0.0.1/32 here): its X-Forwarded-For is ignored.
        IntFunction<Supplier<Integer>> guess = i -> () -> {
            String answer = http.rawFrom("127.0.0.2", "GET /admin/campaigns HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "X-Forwarded-For: 198.51.100." + (i % 250) + "\r\n"
                    + "Authorization: " + Http.basic("direct-" + i, "guess") + "\r\n");
            return Integer.parseInt(answer.substring(9, 12));
        };
        for (int i = 0; i < MAX_FAILURES; i++) {
            assertThat(guess.apply(i).get()).isEqualTo(401);
        }
        long started = System.nanoTime();
        List<Integer> statuses = flood(20, i -> guess.apply(100 + i));
        long elapsed = System.nanoTime() - started;
        // Counted as one client: one check per turn. Believed, each would be a new client: all 401.
        assertThat(statuses).containsOnly(401, 429);
        assertThat(statuses.stream().filter(s -> s == 401).count()).as("checked in %d ms", elapsed / 1_000_000)
                .isLessThanOrEqualTo(2 + elapsed / MAX_DELAY_NANOS);
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
