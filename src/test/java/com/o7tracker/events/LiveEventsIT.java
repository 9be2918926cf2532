package com.o7tracker.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.o7tracker.O7TrackerConfiguration;
import com.o7tracker.support.Http;
import com.o7tracker.support.TestApp;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The live stream through the whole service: applied clicks and campaign changes as they happen,
 * those of another instance on the same PostgreSQL too.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class LiveEventsIT {

    static final DropwizardAppExtension<O7TrackerConfiguration> APP = TestApp.withoutMemcached();
    static final DropwizardAppExtension<O7TrackerConfiguration> OTHER = TestApp.withoutMemcached();

    @Test
    void aListenerSeesTheCampaignCreatedAndItsClicksOnEveryInstanceWithinSeconds() throws Exception {
        Http http = new Http(APP.getLocalPort());
        Http other = new Http(OTHER.getLocalPort());
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        HttpClient client = HttpClient.newHttpClient();
        CompletableFuture<HttpResponse<Stream<String>>> stream = client.sendAsync(
                http.admin("/admin/events").header("Accept", "text/event-stream").GET().build(),
                HttpResponse.BodyHandlers.ofLines());
        HttpResponse<Stream<String>> response = stream.get(10, TimeUnit.SECONDS);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/event-stream"));
        Thread reader = new Thread(() -> response.body().forEach(lines::add), "sse-reader");
        reader.setDaemon(true);
        reader.start();
        assertThat(lines.poll(5, TimeUnit.SECONDS)).as("the stream's opening comment").startsWith(":");

        long id = other.createCampaign("https://live.example/");
        awaitEvent(lines, "campaign", "{\"campaign_id\":" + id + ",\"change\":\"created\"}");
        for (int i = 0; i < 3; i++) {
            http.get("/track/" + id + "?platform=IPhone");
            other.get("/track/" + id + "?platform=IPhone");
        }
        long seen = 0;
        Map<String, Long> positions = new HashMap<>();
        while (seen < 6) { // in one flush's event or several, of either instance
            String clicks = awaitEvent(lines, "clicks", "\"campaign_id\":" + id);
            Matcher position = Pattern.compile("^\\{\"journal\":\"([0-9a-f-]{36})\",\"seq\":(\\d+),\"campaigns\":").matcher(clicks);
            assertThat(position.find()).as("the flush's position leads its event: " + clicks).isTrue();
            positions.merge(position.group(1), Long.parseLong(position.group(2)), Math::max);
            Matcher iphone = Pattern.compile("\"campaign_id\":" + id + ",\"click_count\":(\\d+),\"android_click_count\":0,"
                    + "\"iphone_click_count\":(\\d+)").matcher(clicks);
            assertThat(iphone.find()).as(clicks).isTrue();
            assertThat(iphone.group(1)).isEqualTo(iphone.group(2));
            seen += Long.parseLong(iphone.group(2));
        }
        assertThat(seen).isEqualTo(6);
        // Two instances, two journals: a read of the counters from now on holds both flushes, and says so.
        assertThat(positions).hasSize(2);
        for (String path : List.of("/admin/campaigns", "/admin/campaigns/" + id + "/stats", "/admin/stats")) {
            HttpResponse<String> read = http.send(http.admin(path).GET());
            Map<String, Long> applied = new HashMap<>();
            for (String entry : read.headers().firstValue("O7tracker-Applied").orElse("").split(",")) {
                int equals = entry.lastIndexOf('=');
                if (equals > 0) {
                    applied.put(entry.substring(0, equals), Long.parseLong(entry.substring(equals + 1)));
                }
            }
            positions.forEach((journal, seq) -> assertThat(applied.get(journal)).as(path + " " + applied).isGreaterThanOrEqualTo(seq));
        }
        assertThat(other.adminDelete("/admin/campaigns/" + id).statusCode()).isEqualTo(204);
        awaitEvent(lines, "campaign", "{\"campaign_id\":" + id + ",\"change\":\"deleted\"}");
        // The stream is left open: the service's stop must end it (the extension's stop fails with a
        // TimeoutException when an open stream holds the server's graceful stop).
        assertThat(http.send(http.request("/admin/events").GET()).statusCode()).as("behind basic auth").isEqualTo(401);
        HttpResponse<String> head = http.send(http.admin("/admin/events").timeout(Duration.ofSeconds(5))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()));
        assertThat(head.statusCode()).as("HEAD answers at once, without opening a stream").isEqualTo(200);
        assertThat(head.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/event-stream"));
    }

    @Test
    void aConversionCountedOnOneInstanceReachesTheOthersStreamWithItsCampaignsTotalsAndADuplicateSendsNothing()
            throws Exception {
        Http http = new Http(APP.getLocalPort());
        Http other = new Http(OTHER.getLocalPort());
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        HttpResponse<Stream<String>> response = HttpClient.newHttpClient().sendAsync(
                http.admin("/admin/events").header("Accept", "text/event-stream").GET().build(),
                HttpResponse.BodyHandlers.ofLines()).get(10, TimeUnit.SECONDS);
        assertThat(response.statusCode()).isEqualTo(200);
        Thread reader = new Thread(() -> response.body().forEach(lines::add), "sse-reader");
        reader.setDaemon(true);
        reader.start();
        assertThat(lines.poll(5, TimeUnit.SECONDS)).as("the stream's opening comment").startsWith(":");

        long id = other.createCampaign("https://shop.example/thanks?click={click_id}");
        String key = other.createApiKey("postback");
        String click = other.clickId(id);
        assertThat(other.postback(key, "click_id=" + click + "&event=install").statusCode()).isEqualTo(200);
        String install = awaitEvent(lines, "conversion", "\"campaign_id\":" + id + ",");
        assertThat(install).matches("\\{\"campaign_id\":" + id + ",\"event\":\"install\",\"country\":\"[A-Z]{2}\","
                + "\"totals\":\\{\"conversion_count\":1,\"conversions\":\\{\"install\":1}}}");

        assertThat(other.postback(key, "click_id=" + click + "&event=install").body()).contains("\"duplicate\":true");
        assertThat(other.postback(key, "click_id=" + other.clickId(id) + "&event=purchase&revenue=4.990&currency=eur")
                .statusCode()).isEqualTo(200);
        String purchase = awaitEvent(lines, "conversion", "\"campaign_id\":" + id + ",");
        assertThat(purchase).as("the next event is the purchase's: the duplicate told nothing")
                .matches("\\{\"campaign_id\":" + id + ",\"event\":\"purchase\",\"country\":\"[A-Z]{2}\","
                        + "\"revenue\":\"4.99\",\"currency\":\"EUR\",\"totals\":\\{\"conversion_count\":2,"
                        + "\"conversions\":\\{\"purchase\":1},\"revenue\":\\{\"EUR\":\"4.99\"}}}");
    }

    /** The data of the first event named {@code name} whose data holds {@code part}, within 5 s. */
    private static String awaitEvent(BlockingQueue<String> lines, String name, String part) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        String event = null;
        while (System.nanoTime() < deadline) {
            String line = lines.poll(100, TimeUnit.MILLISECONDS);
            if (line == null) {
                continue;
            }
            if (line.startsWith("event:")) {
                event = line.substring(6).trim();
            } else if (line.startsWith("data:") && name.equals(event) && line.contains(part)) {
                return line.substring(5).trim();
            }
        }
        throw new AssertionError("no " + name + " event holding " + part + " within 5 s");
    }
}
