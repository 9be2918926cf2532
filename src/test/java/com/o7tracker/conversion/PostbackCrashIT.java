package com.o7tracker.conversion;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.o7tracker.support.Http;
import com.o7tracker.support.Json;
import com.o7tracker.support.ServiceProcess;
import com.o7tracker.support.Tables;
import com.o7tracker.support.TestApp;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * No acknowledged conversion is lost to a SIGKILL. The packaged service takes postbacks from
 * several threads and is killed with SIGKILL while they are in flight, then restarted on the same
 * database. A postback answered 200, attributed and not a duplicate, must be in {@code conversions}
 * and in its campaign's {@code conversion_count} exactly once; one cut off by the kill may or may
 * not have counted (the commit can fall before the answer), and is tallied apart. Sending every
 * postback again afterwards counts none twice: each campaign then holds each click's conversion once.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class PostbackCrashIT {

    private static final int CLICKS = 1_500;
    private static final int THREADS = 8;

    private enum Answer { COUNTED, CUT_OFF }

    @Test
    void everyAcknowledgedConversionIsCountedOnceAcrossASigkillAndResendingThemCountsNoneTwice() throws Exception {
        Path journal = TestApp.tempDir("postback-crash-journal");
        Path logs = Files.createDirectories(Path.of("target", "crash-logs"));
        Map<String, String> env = ServiceProcess.environment(journal, null);
        ServiceProcess service = ServiceProcess.start(env, logs.resolve("postback-0.log"));
        Http http = new Http(service.port());
        long campaign = http.createCampaign("https://crash.example/thanks?click={click_id}");
        String key = http.createApiKey("postback");
        List<String> clicks = new ArrayList<>();
        for (int i = 0; i < CLICKS; i++) {
            clicks.add(http.clickId(campaign));
        }

        // Until the kill: every answer tallied; the first request that finds the service gone stops its thread.
        Map<String, Answer> answers = new ConcurrentHashMap<>();
        AtomicInteger next = new AtomicInteger();
        AtomicInteger counted = new AtomicInteger();
        ExecutorService senders = Executors.newFixedThreadPool(THREADS);
        List<Future<?>> load = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            load.add(senders.submit(() -> send(http, key, clicks, next, Map.of(), answers, counted)));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (counted.get() < CLICKS / 4 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        service.kill();
        for (Future<?> sender : load) {
            sender.get(60, TimeUnit.SECONDS);
        }
        long acknowledged = answers.values().stream().filter(Answer.COUNTED::equals).count();
        long cutOff = answers.values().stream().filter(Answer.CUT_OFF::equals).count();
        System.out.printf("PostbackCrashIT: %d acknowledged, %d cut off by the kill, %d not sent%n", acknowledged, cutOff,
                CLICKS - answers.size());
        assertThat(acknowledged).as("postbacks went through before the kill").isGreaterThanOrEqualTo(CLICKS / 4);
        assertThat(answers.size()).as("the kill came with postbacks still to send").isLessThan(CLICKS);
        assertThat(cutOff).as("at most one postback per sender was in flight").isLessThanOrEqualTo(THREADS);

        service = ServiceProcess.start(env, logs.resolve("postback-1.log"));
        Http restarted = new Http(service.port());
        try {
            // Every acknowledged conversion is in the table once and in the campaign's total: the
            // total counts the rows, written in the same transaction.
            Set<String> stored = storedClickIds(campaign);
            answers.forEach((click, answer) -> {
                if (answer == Answer.COUNTED) {
                    assertThat(stored).as("acknowledged " + click).contains(click);
                }
            });
            assertThat(conversionCount(campaign)).isEqualTo(stored.size())
                    .isBetween(acknowledged, acknowledged + cutOff);

            // The partner sends everything again, the acknowledged, the cut off and those never sent.
            next.set(0);
            Map<String, Answer> again = new ConcurrentHashMap<>();
            AtomicInteger countedAgain = new AtomicInteger();
            load.clear();
            for (int t = 0; t < THREADS; t++) {
                load.add(senders.submit(() -> send(restarted, key, clicks, next, answers, again, countedAgain)));
            }
            for (Future<?> sender : load) {
                sender.get(120, TimeUnit.SECONDS);
            }
            assertThat(again).as("every postback answered after the restart").hasSize(CLICKS);
            assertThat(again.values()).containsOnly(Answer.COUNTED);
            assertThat(countedAgain.get()).as("counted now: exactly those not counted before")
                    .isEqualTo(CLICKS - stored.size());
            assertThat(conversionCount(campaign)).isEqualTo(CLICKS);
            assertThat(storedClickIds(campaign)).containsExactlyInAnyOrderElementsOf(clicks);
            JsonNode answer = Json.parse(restarted.adminGet("/admin/campaigns/" + campaign).body());
            assertThat(answer.get("conversion_count").asLong()).isEqualTo(CLICKS);
            assertThat(answer.get("conversions").toString()).isEqualTo("{\"install\":" + CLICKS + "}");
            assertThat(new BigDecimal(answer.get("revenue").get("EUR").asText()))
                    .as("each click's revenue once, exactly").isEqualByComparingTo(revenueOfAll());
        } finally {
            senders.shutdownNow();
            service.terminate();
        }
    }

    /**
     * Sends the postback of each click taken from {@code next}, until none is left or the service is
     * gone. A postback acknowledged {@code before} must answer duplicate now, one never sent before
     * must count; one cut off before may do either.
     */
    private static void send(Http http, String key, List<String> clicks, AtomicInteger next, Map<String, Answer> before,
                             Map<String, Answer> answers, AtomicInteger counted) {
        for (int i = next.getAndIncrement(); i < clicks.size(); i = next.getAndIncrement()) {
            String click = clicks.get(i);
            HttpResponse<String> response;
            try {
                response = http.postback(key, "click_id=" + click + "&event=install" + (i % 3 == 0 ? "&revenue=1.5&currency=EUR" : ""));
            } catch (UncheckedIOException e) {
                answers.put(click, Answer.CUT_OFF);
                return;
            }
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            JsonNode body = Json.parse(response.body());
            assertThat(body.get("attributed").asBoolean()).as(response.body()).isTrue();
            boolean duplicate = body.get("duplicate").asBoolean();
            if (before.get(click) == Answer.COUNTED) {
                assertThat(duplicate).as("acknowledged before, so counted: " + click).isTrue();
            } else if (before.get(click) == null) {
                assertThat(duplicate).as("never sent before: " + click).isFalse();
            }
            if (!duplicate) {
                counted.incrementAndGet();
            }
            answers.put(click, Answer.COUNTED);
        }
    }

    private static BigDecimal revenueOfAll() {
        return new BigDecimal("1.5").multiply(BigDecimal.valueOf((CLICKS + 2) / 3));
    }

    private static long conversionCount(long campaign) {
        return Tables.number("SELECT conversion_count FROM campaigns WHERE id = " + campaign);
    }

    private static Set<String> storedClickIds(long campaign) {
        String ids = Tables.text("SELECT coalesce(string_agg(click_id, ' '), '') FROM conversions WHERE campaign_id = " + campaign);
        return ids.isEmpty() ? Set.of() : Set.of(ids.split(" "));
    }
}
