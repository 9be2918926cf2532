package com.o7tracker.track;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.MetricRegistry;
import com.o7tracker.campaign.Platform;
import com.o7tracker.dimension.Values;
import io.dropwizard.util.Duration;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Real User-Agents (user-agents.tsv) and their verdicts: a platform, or a bot counted apart. */
class UserAgentsTest {

    private static final UserAgents USER_AGENTS = new UserAgents(new MetricRegistry());

    static Stream<Arguments> userAgents() throws IOException {
        try (InputStream in = UserAgentsTest.class.getResourceAsStream("user-agents.tsv")) {
            List<String> lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(line -> !line.isBlank() && !line.startsWith("#")).toList();
            return lines.stream().map(line -> line.split("\t", 2)).map(f -> Arguments.of(f[0], f[1]));
        }
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("userAgents")
    void eachRealUserAgentGetsItsVerdict(String verdict, String userAgent) {
        UserAgents.Verdict found = USER_AGENTS.classify(userAgent);
        if (verdict.equals("bot")) {
            assertThat(found.bot()).as("a bot").isTrue();
        } else {
            assertThat(new UserAgents.Verdict(found.platform(), found.bot()))
                    .isEqualTo(new UserAgents.Verdict(Platform.parse(verdict).orElseThrow(), false));
        }
    }

    @Test
    void aParsedVerdictNamesTheOperatingSystemAndTheBrowser() {
        UserAgents.Verdict pixel = USER_AGENTS.classify("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36"
                + " (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36");
        assertThat(List.of(pixel.os(), pixel.browser())).containsExactly("Android", "Chrome");
        UserAgents.Verdict iphone = USER_AGENTS.classify("Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X)"
                + " AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1");
        assertThat(List.of(iphone.os(), iphone.browser())).containsExactly("iOS", "Safari");
        UserAgents.Verdict edge = USER_AGENTS.classify("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36"
                + " (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.2478.51");
        assertThat(List.of(edge.os(), edge.browser())).containsExactly("Windows NT", "Edge");
        UserAgents.Verdict nothing = USER_AGENTS.classify("x");
        assertThat(List.of(nothing.os(), nothing.browser())).as("a string the parser cannot place")
                .containsExactly(Values.NONE, Values.NONE);
    }

    /** A verdict's platform and bot, for the tests of how long and how often the parser runs. */
    private static UserAgents.Verdict platformAndBot(UserAgents.Verdict verdict) {
        return new UserAgents.Verdict(verdict.platform(), verdict.bot());
    }

    @Test
    void noUserAgentIsAHumanOnOther() {
        assertThat(USER_AGENTS.classify(null)).isEqualTo(new UserAgents.Verdict(Platform.OTHER, false));
        assertThat(USER_AGENTS.classify("  ")).isEqualTo(new UserAgents.Verdict(Platform.OTHER, false));
    }

    @Test
    void aVerdictIsParsedOncePerUserAgentAndLongOnesAreReadInPart() {
        MetricRegistry metrics = new MetricRegistry();
        UserAgents userAgents = new UserAgents(metrics);
        String iphone = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko)"
                + " Version/17.4 Mobile/15E148 Safari/604.1";
        for (int i = 0; i < 100; i++) {
            assertThat(userAgents.classify(new String(iphone)).platform()).isEqualTo(Platform.IPHONE);
        }
        assertThat(metrics.meter("clicks.userAgents.parses").getCount()).isEqualTo(1);
        String padded = iphone + " x".repeat(5_000);
        assertThat(userAgents.classify(padded).platform()).isEqualTo(Platform.IPHONE);
        assertThat(userAgents.classify(padded + "y").platform()).as("the same first part, the same cached verdict")
                .isEqualTo(Platform.IPHONE);
        assertThat(metrics.meter("clicks.userAgents.parses").getCount()).isEqualTo(2);
    }

    @Test
    void aClickDoesNotWaitLongForABusyParserAndIsNotCachedThen() throws Exception {
        MetricRegistry metrics = new MetricRegistry();
        UserAgents userAgents = new UserAgents(metrics);
        String android = "Mozilla/5.0 (Linux; Android 12; Pixel 6) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0"
                + " Mobile Safari/537.36 busy-parser";
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread flood = new Thread(() -> {
            UserAgents.PARSER.lock();
            try {
                held.countDown();
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                UserAgents.PARSER.unlock();
            }
        });
        flood.start();
        held.await();
        try {
            assertThat(platformAndBot(userAgents.classify(android))).isEqualTo(new UserAgents.Verdict(Platform.ANDROID, false));
            assertThat(metrics.meter("clicks.userAgents.unparsed").getCount()).isEqualTo(1);
        } finally {
            release.countDown();
            flood.join();
        }
        assertThat(platformAndBot(userAgents.classify(android))).isEqualTo(new UserAgents.Verdict(Platform.ANDROID, false));
        assertThat(metrics.meter("clicks.userAgents.parses").getCount()).as("parsed once the parser was free")
                .isEqualTo(1);
        assertThat(metrics.meter("clicks.userAgents.unparsed").getCount()).isEqualTo(1);
    }

    @Test
    void atMostMaxWaitingClicksWaitForTheParserAndTheNextIsJudgedByItsTokensAtOnce() throws Exception {
        int maxWaiting = 3;
        MetricRegistry metrics = new MetricRegistry();
        // A wait far longer than the test: a click that waits for the parser is still waiting when asserted on.
        UserAgents userAgents = new UserAgentsFactory().setMaxWaiting(maxWaiting).setMaxWait(Duration.minutes(10))
                .build(metrics);
        ExecutorService visitors = Executors.newFixedThreadPool(maxWaiting + 1);
        List<Future<UserAgents.Verdict>> waiting = new ArrayList<>();
        UserAgents.PARSER.lock(); // the parser busy with a flood's string
        try {
            for (int i = 0; i < maxWaiting; i++) {
                String fresh = "Mozilla/5.0 (Linux; Android 14; Pixel " + i + ") AppleWebKit/537.36 (KHTML, like Gecko)"
                        + " Chrome/124.0.0.0 Mobile Safari/537.36 waiting-" + System.nanoTime();
                waiting.add(visitors.submit(() -> userAgents.classify(fresh)));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (UserAgents.PARSER.getQueueLength() < maxWaiting && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(UserAgents.PARSER.getQueueLength()).as("clicks waiting for the parser").isEqualTo(maxWaiting);

            String oneMore = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 one-more-"
                    + System.nanoTime();
            Future<UserAgents.Verdict> next = visitors.submit(() -> userAgents.classify(oneMore));
            // Answered while the parser is still held: it never waited for it.
            assertThat(platformAndBot(next.get(10, TimeUnit.SECONDS))).isEqualTo(new UserAgents.Verdict(Platform.IPHONE, false));
            assertThat(metrics.meter("clicks.userAgents.unparsed").getCount()).isEqualTo(1);
            assertThat(UserAgents.PARSER.getQueueLength()).as("still waiting").isEqualTo(maxWaiting);
            assertThat(waiting).noneMatch(Future::isDone);
        } finally {
            UserAgents.PARSER.unlock();
        }
        for (Future<UserAgents.Verdict> verdict : waiting) {
            assertThat(platformAndBot(verdict.get(10, TimeUnit.SECONDS))).isEqualTo(new UserAgents.Verdict(Platform.ANDROID, false));
        }
        visitors.shutdownNow();
        assertThat(metrics.meter("clicks.userAgents.parses").getCount()).as("the waiting clicks, parsed").isEqualTo(maxWaiting);
        assertThat(metrics.meter("clicks.userAgents.unparsed").getCount()).isEqualTo(1);
    }

    @Test
    void theParserRestsAfterEachParseSoItTakesAtMostItsShareOfACore() {
        MetricRegistry metrics = new MetricRegistry();
        AtomicLong now = new AtomicLong(TimeUnit.HOURS.toNanos(1));
        long start = now.get();
        long oneParse = TimeUnit.MILLISECONDS.toNanos(1);
        // No wait allowed: a string that finds the parser resting goes by its tokens (with a wait, it waits through the rest).
        UserAgentsFactory config = new UserAgentsFactory().setParserShare(0.25).setMaxWait(Duration.milliseconds(0));
        UserAgents userAgents = new UserAgents(config, metrics, now::get, now::get, ua -> {
            now.addAndGet(oneParse); // a parse of 1 ms (of CPU time too)
            return new UserAgents.Verdict(Platform.ANDROID, true); // unlike the tokens' verdict, to tell them apart
        });
        String android = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 Chrome/124.0.0.0 Mobile Safari/537.36";
        UserAgents.Verdict parsed = new UserAgents.Verdict(Platform.ANDROID, true);
        UserAgents.Verdict byTokens = new UserAgents.Verdict(Platform.ANDROID, false, "Android", Values.NONE);

        assertThat(userAgents.classify(android + " a")).isEqualTo(parsed);
        // 1 ms parsing, so 3 ms of rest at a quarter of a core: the strings meanwhile go by their tokens.
        assertThat(userAgents.classify(android + " b")).isEqualTo(byTokens);
        now.set(start + 4 * oneParse - 1);
        assertThat(userAgents.classify(android + " c")).isEqualTo(byTokens);
        assertThat(metrics.meter("clicks.userAgents.unparsed").getCount()).isEqualTo(2);
        assertThat(userAgents.classify(android + " a")).as("a verdict cached before stays cached").isEqualTo(parsed);
        now.set(start + 4 * oneParse);
        assertThat(userAgents.classify(android + " d")).as("rested").isEqualTo(parsed);
        assertThat(metrics.meter("clicks.userAgents.parses").getCount()).isEqualTo(2);
    }

    @Test
    void clicksCarryingAStringBeingParsedWaitForThatOneParse() throws Exception {
        MetricRegistry metrics = new MetricRegistry();
        UserAgents userAgents = new UserAgents(metrics);
        String slack = "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots) same-string";
        ExecutorService visitors = Executors.newFixedThreadPool(16);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<UserAgents.Verdict>> verdicts = new ArrayList<>();
        UserAgents.PARSER.lock(); // the parser is busy (briefly) when they all arrive
        try {
            for (int i = 0; i < 16; i++) {
                verdicts.add(visitors.submit(() -> {
                    start.await();
                    return userAgents.classify(slack);
                }));
            }
            start.countDown();
            Thread.sleep(50);
        } finally {
            UserAgents.PARSER.unlock();
        }
        for (Future<UserAgents.Verdict> verdict : verdicts) {
            assertThat(verdict.get(10, TimeUnit.SECONDS).bot()).as("every one a bot, as the parser says").isTrue();
        }
        visitors.shutdown();
        assertThat(metrics.meter("clicks.userAgents.parses").getCount()).isEqualTo(1);
        assertThat(metrics.meter("clicks.userAgents.unparsed").getCount()).isZero();
    }

    @Test
    void theTokenRuleForAnOverloadedParserStillTellsCrawlersAndAppsApart() {
        assertThat(UserAgents.byToken("Mozilla/5.0 (iPad; CPU OS 16_6 like Mac OS X) AppleWebKit/605.1.15"))
                .isEqualTo(new UserAgents.Verdict(Platform.IPHONE, false, "iOS", Values.NONE));
        assertThat(UserAgents.byToken("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)").bot()).isTrue();
        assertThat(UserAgents.byToken("WhatsApp/2.23.20.0 A").bot()).isTrue();
        assertThat(UserAgents.byToken("Mozilla/5.0 (Windows NT 10.0; Win64; x64) Firefox/125.0"))
                .isEqualTo(new UserAgents.Verdict(Platform.OTHER, false));
    }
}
