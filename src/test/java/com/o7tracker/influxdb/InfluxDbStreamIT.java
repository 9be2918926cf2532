package com.o7tracker.influxdb;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.o7tracker.O7TrackerConfiguration;
import com.o7tracker.support.Http;
import com.o7tracker.support.Json;
import com.o7tracker.support.Tables;
import com.o7tracker.support.TestApp;
import com.o7tracker.support.TestInfluxDb;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Applied clicks streamed to a real InfluxDB: the sums there equal the counters. */
@ExtendWith(DropwizardExtensionsSupport.class)
class InfluxDbStreamIT {

    static final DropwizardAppExtension<O7TrackerConfiguration> APP = TestApp.withoutMemcached(
            "influxdb.url", TestInfluxDb.shared().url(), "influxdb.database", TestInfluxDb.DATABASE,
            "geo.countryHeader", "CF-IPCountry");

    @Test
    void theSumsInInfluxDbEqualTheCountersInADatabaseTheStreamCreated() throws Exception {
        Http http = new Http(APP.getLocalPort());
        long id = http.createCampaign("https://influx.example/");
        for (int i = 0; i < 30; i++) {
            http.send(http.request("/track/" + id + "?platform=" + (i % 3 == 0 ? "IPhone" : "Android"))
                    .setHeader("CF-IPCountry", i % 2 == 0 ? "SI" : "AT").GET());
            if (i % 10 == 0) {
                http.send(http.request("/track/" + id).setHeader("User-Agent", "Twitterbot/1.0").GET());
            }
        }
        http.updateStats();
        long[] counters = Tables.counters(id);
        assertThat(counters).containsExactly(30, 20, 10, 0, 0, 3);

        String query = "SELECT SUM(\"count\") FROM clicks WHERE campaign_id = '" + id + "' GROUP BY platform, bot";
        long deadline = System.nanoTime() + 10_000_000_000L;
        JsonNode series = null;
        while (System.nanoTime() < deadline) {
            series = Json.parse(TestInfluxDb.shared().query(query)).path("results").get(0).path("series");
            if (sum(series, null) == 33) {
                break;
            }
            Thread.sleep(200);
        }
        assertThat(sum(series, "Android|false")).isEqualTo(20);
        assertThat(sum(series, "IPhone|false")).isEqualTo(10);
        assertThat(sum(series, null)).as("humans and bots").isEqualTo(33);
        assertThat(sum(series, null) - sum(series, "Android|false") - sum(series, "IPhone|false"))
                .as("bots").isEqualTo(counters[5]);

        JsonNode countries = Json.parse(TestInfluxDb.shared().query("SELECT SUM(\"count\") FROM clicks WHERE campaign_id = '"
                + id + "' GROUP BY country")).path("results").get(0).path("series");
        java.util.Map<String, Long> byCountry = new java.util.TreeMap<>();
        for (JsonNode s : countries) {
            byCountry.put(s.path("tags").path("country").asText(), s.path("values").get(0).get(1).asLong());
        }
        assertThat(byCountry).as("the country tag: the edge's header, ZZ for the bots' clicks that sent none")
                .containsExactlyEntriesOf(new java.util.TreeMap<>(java.util.Map.of("SI", 15L, "AT", 15L, "ZZ", 3L)));
    }

    @Test
    void eachConversionCountedIsOnePointWithItsRevenueAndADuplicateWritesNothing() throws Exception {
        Http http = new Http(APP.getLocalPort());
        long id = http.createCampaign("https://influx.example/thanks?click={click_id}");
        String key = http.createApiKey("postback");
        java.util.List<String> clicks = new java.util.ArrayList<>();
        for (int i = 0; i < 6; i++) {
            java.net.http.HttpResponse<String> click = http.send(http.request("/track/" + id)
                    .setHeader("CF-IPCountry", i < 4 ? "SI" : "AT").GET());
            String location = click.headers().firstValue("Location").orElseThrow();
            clicks.add(location.substring(location.indexOf("click=") + 6));
        }
        for (int i = 0; i < 6; i++) {
            String query = "click_id=" + clicks.get(i) + (i < 2 ? "&event=install" : "&event=purchase&revenue=1.25&currency=EUR");
            assertThat(http.postback(key, query).body()).contains("\"duplicate\":false");
            assertThat(http.postback(key, query).body()).as("a retry").contains("\"duplicate\":true");
        }
        assertThat(http.postback(key, "click_id=" + clicks.get(0) + "&event=purchase&revenue=0.5&currency=USD").body())
                .contains("\"duplicate\":false");
        JsonNode campaign = Json.parse(http.adminGet("/admin/campaigns/" + id).body());
        assertThat(campaign.get("conversion_count").asLong()).isEqualTo(7);

        String query = "SELECT SUM(\"count\"), SUM(revenue) FROM conversions WHERE campaign_id = '" + id
                + "' GROUP BY event, country, currency";
        Map<String, String> sums = new TreeMap<>();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            sums.clear();
            for (JsonNode s : Json.parse(TestInfluxDb.shared().query(query)).path("results").get(0).path("series")) {
                JsonNode tags = s.path("tags");
                JsonNode values = s.path("values").get(0);
                sums.put(tags.path("event").asText() + "|" + tags.path("country").asText() + "|" + tags.path("currency").asText(),
                        values.get(1).asLong() + " " + (values.get(2).isNull() ? "-" : values.get(2).asText()));
            }
            if (sums.values().stream().mapToLong(v -> Long.parseLong(v.split(" ")[0])).sum() >= 7) {
                break;
            }
            Thread.sleep(200);
        }
        assertThat(sums).as("one point per conversion counted, none for the retries; revenue only with a currency")
                .containsExactlyEntriesOf(new TreeMap<>(Map.of(
                        "install|SI|", "2 -",
                        "purchase|SI|EUR", "2 2.5",
                        "purchase|AT|EUR", "2 2.5",
                        "purchase|SI|USD", "1 0.5")));
    }

    /** The summed count of the series with tags "platform|bot", or of all with null. */
    private static long sum(JsonNode series, String tags) {
        long sum = 0;
        if (series == null || !series.isArray()) {
            return 0;
        }
        for (JsonNode s : series) {
            String key = s.path("tags").path("platform").asText() + "|" + s.path("tags").path("bot").asText();
            if (tags == null || tags.equals(key)) {
                sum += s.path("values").get(0).get(1).asLong();
            }
        }
        return sum;
    }
}
