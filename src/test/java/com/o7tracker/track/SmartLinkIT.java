package com.o7tracker.track;

import static org.assertj.core.api.Assertions.assertThat;

import com.o7tracker.O7TrackerConfiguration;
import com.o7tracker.support.Http;
import com.o7tracker.support.Json;
import com.o7tracker.support.Tables;
import com.o7tracker.support.TestApp;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Smart tracking links through the whole service: the platform from the User-Agent, bots counted
 * apart, a URL per platform, the tracking link's query forwarded, and placeholders filled per click.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class SmartLinkIT {

    static final DropwizardAppExtension<O7TrackerConfiguration> APP = TestApp.withMemcached();

    static final String ANDROID = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko)"
            + " Chrome/124.0.0.0 Mobile Safari/537.36";
    static final String IPHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15"
            + " (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1";
    static final String SLACK = "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)";

    private Http http;

    @BeforeEach
    void setUp() {
        http = new Http(APP.getLocalPort());
    }

    private long create(String json) {
        HttpResponse<String> created = http.adminPost("/admin/campaigns", json);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return Json.parse(created.body()).get("id").asLong();
    }

    /** The Location a visitor with this User-Agent (null: none) is sent to. */
    private String click(String path, String userAgent) {
        return location(http.send(request(path, userAgent).GET()), path);
    }

    private HttpRequest.Builder request(String path, String userAgent) {
        return http.request(path).setHeader("User-Agent", userAgent);
    }

    private static String location(HttpResponse<String> response, String path) {
        assertThat(response.statusCode()).as(path).isEqualTo(307);
        assertThat(response.headers().firstValue("Cache-Control")).as(path).hasValue("no-store");
        return response.headers().firstValue("Location").orElseThrow();
    }

    /** The Location of a request sent as written (no User-Agent, or a query Java's client would refuse). */
    private String raw(String target, String userAgent) {
        String answer = http.raw("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + (userAgent == null ? "" : "User-Agent: " + userAgent + "\r\n"));
        assertThat(answer).as(target).startsWith("HTTP/1.1 307 ");
        Matcher location = Pattern.compile("(?im)^Location: ([^\r\n]*)").matcher(answer);
        assertThat(location.find()).as(answer).isTrue();
        return location.group(1);
    }

    private long[] counters(long id) throws InterruptedException {
        http.updateStats();
        return Tables.counters(id);
    }

    @Test
    void everyRealUserAgentMovesItsOwnCounterAndBotsOnlyTheBotCounter() throws Exception {
        long id = create("{\"redirect_url\":\"https://example.com/\"}");
        long[] expected = new long[6]; // click_count, android, iphone, windowsphone, other, bot
        for (String[] row : userAgents()) {
            assertThat(click("/track/" + id, row[1])).as(row[1]).isEqualTo("https://example.com/");
            int counter = switch (row[0]) {
                case "Android" -> 1;
                case "IPhone" -> 2;
                case "WindowsPhone" -> 3;
                case "Other" -> 4;
                default -> 5;
            };
            expected[counter]++;
            if (counter < 5) {
                expected[0]++;
            }
        }
        assertThat(raw("/track/" + id, null)).as("no User-Agent at all").isEqualTo("https://example.com/");
        expected[4]++;
        expected[0]++;
        // ?platform= wins over the User-Agent, but a bot stays a bot.
        click("/track/" + id + "?platform=WindowsPhone", ANDROID);
        expected[3]++;
        expected[0]++;
        click("/track/" + id + "?platform=Android", SLACK);
        expected[5]++;
        // HEAD (a link checker, a prefetch) is answered alike and counts nothing.
        HttpResponse<String> head = http.send(request("/track/" + id, IPHONE).method("HEAD", HttpRequest.BodyPublishers.noBody()));
        assertThat(location(head, "HEAD")).isEqualTo("https://example.com/");
        // An unknown ?platform= still goes to the fallback, uncounted, as it always has.
        assertThat(click("/track/" + id + "?platform=Symbian", ANDROID)).isEqualTo(TrackerStoryIT.FALLBACK);

        long[] counted = counters(id);
        assertThat(counted).containsExactly(expected);
        assertThat(counted[0]).as("click_count is the sum of the human counters")
                .isEqualTo(counted[1] + counted[2] + counted[3] + counted[4]);
        assertThat(counted[5]).as("bots: every bot of the list, and one with ?platform=").isGreaterThanOrEqualTo(10);
        var campaign = Json.parse(http.adminGet("/admin/campaigns/" + id).body());
        assertThat(campaign.get("other_click_count").asLong()).isEqualTo(counted[4]);
        assertThat(campaign.get("bot_click_count").asLong()).isEqualTo(counted[5]);
    }

    @Test
    void oneLinkSendsEachPlatformToItsStoreAndEveryOtherVisitorToTheRedirectUrl() throws Exception {
        long id = create("""
                {"redirect_url":"https://example.com/app",
                 "platform_urls":{"Android":"https://play.google.com/store/apps/details?id=com.example",
                                  "IPhone":"https://apps.apple.com/app/id123"}}""");
        assertThat(click("/track/" + id, ANDROID)).isEqualTo("https://play.google.com/store/apps/details?id=com.example");
        assertThat(click("/track/" + id, IPHONE)).isEqualTo("https://apps.apple.com/app/id123");
        assertThat(click("/track/" + id, Http.DESKTOP_BROWSER)).isEqualTo("https://example.com/app");
        assertThat(raw("/track/" + id, null)).isEqualTo("https://example.com/app");
        assertThat(click("/track/" + id + "?platform=IPhone", ANDROID)).as("?platform= wins")
                .isEqualTo("https://apps.apple.com/app/id123");
        assertThat(click("/track/" + id + "?platform=Android", SLACK)).as("a preview shows what the platform's visitors see")
                .isEqualTo("https://play.google.com/store/apps/details?id=com.example");

        // A change reaches the next click at once; null removes every entry.
        http.adminPut("/admin/campaigns/" + id, "{\"platform_urls\":{\"Android\":null,\"Other\":\"https://example.com/web\"}}");
        assertThat(click("/track/" + id, ANDROID)).isEqualTo("https://example.com/app");
        assertThat(click("/track/" + id, Http.DESKTOP_BROWSER)).isEqualTo("https://example.com/web");
        assertThat(click("/track/" + id, IPHONE)).isEqualTo("https://apps.apple.com/app/id123");
        http.adminPut("/admin/campaigns/" + id, "{\"platform_urls\":null}");
        assertThat(click("/track/" + id, IPHONE)).isEqualTo("https://example.com/app");
        assertThat(counters(id)).containsExactly(9, 2, 4, 0, 3, 1);
    }

    @Test
    void theTrackingLinksQueryIsForwardedEncodedWithoutPlatformAndWithoutOverridingTheTarget() {
        long id = create("""
                {"redirect_url":"https://shop.example/p?utm_source=own&ref#top","forward_query":true}""");
        assertThat(raw("/track/" + id + "?platform=Android&utm_source=ad&gclid=A%20b&ref=x&q=a+b&flag&&e=%E2%82%AC"
                + "&bad=%zz&angle=<b>&pipe=|", ANDROID))
                .isEqualTo("https://shop.example/p?utm_source=own&ref&gclid=A%20b&q=a+b&flag&e=%E2%82%AC&bad=%25zz"
                        + "&angle=%3Cb%3E&pipe=%7C#top");
        assertThat(click("/track/" + id, ANDROID)).as("nothing to forward").isEqualTo("https://shop.example/p?utm_source=own&ref#top");
        assertThat(click("/track/" + id + "?platform=IPhone", ANDROID)).as("platform alone is not forwarded")
                .isEqualTo("https://shop.example/p?utm_source=own&ref#top");

        long noQuery = create("{\"redirect_url\":\"https://shop.example/\",\"forward_query\":true}");
        assertThat(click("/track/" + noQuery + "?campaign=spring&platform=IPhone", IPHONE))
                .isEqualTo("https://shop.example/?campaign=spring");

        long notForwarding = create("{\"redirect_url\":\"https://shop.example/\"}");
        assertThat(click("/track/" + notForwarding + "?campaign=spring", IPHONE)).as("forward_query defaults to false")
                .isEqualTo("https://shop.example/");
    }

    @Test
    void placeholdersAreFilledPerClickWithAClickIdNoOtherClickHas() {
        long id = create("""
                {"redirect_url":"https://t.example/c?click={click_id}&campaign={campaign_id}&os={platform}",
                 "platform_urls":{"IPhone":"https://apps.apple.com/app/id123?ct={click_id}&pt={platform}"},
                 "forward_query":true}""");
        Pattern filled = Pattern.compile("https://t\\.example/c\\?click=([A-Za-z0-9_-]{56})&campaign=" + id
                + "&os=(\\w+)(&utm=x)?");
        Set<String> clickIds = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            Matcher m = filled.matcher(click("/track/" + id + (i % 2 == 0 ? "?utm=x" : ""), i % 3 == 0 ? ANDROID
                    : Http.DESKTOP_BROWSER));
            assertThat(m.matches()).isTrue();
            assertThat(m.group(2)).isEqualTo(i % 3 == 0 ? "Android" : "Other");
            assertThat(m.group(3) != null).isEqualTo(i % 2 == 0);
            assertThat(clickIds.add(m.group(1))).as("a click id is never handed out twice").isTrue();
        }
        assertThat(click("/track/" + id, IPHONE)).matches("https://apps\\.apple\\.com/app/id123\\?ct=[A-Za-z0-9_-]{56}&pt=IPhone");
        HttpResponse<String> head = http.send(request("/track/" + id, SLACK).method("HEAD", HttpRequest.BodyPublishers.noBody()));
        assertThat(location(head, "HEAD")).as("previews are filled in too").matches(
                "https://t\\.example/c\\?click=[A-Za-z0-9_-]{56}&campaign=" + id + "&os=Other");
    }

    private static List<String[]> userAgents() throws IOException {
        try (InputStream in = SmartLinkIT.class.getResourceAsStream("user-agents.tsv")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(line -> !line.isBlank() && !line.startsWith("#"))
                    .map(line -> line.split("\t", 2))
                    .toList();
        }
    }
}
