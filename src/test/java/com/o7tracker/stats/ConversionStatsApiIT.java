package com.o7tracker.stats;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.o7tracker.O7TrackerConfiguration;
import com.o7tracker.campaign.Platform;
import com.o7tracker.conversion.Conversion;
import com.o7tracker.conversion.ConversionStore;
import com.o7tracker.support.Http;
import com.o7tracker.support.Json;
import com.o7tracker.support.Tables;
import com.o7tracker.support.TestApp;
import com.o7tracker.support.TestPostgres;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Conversions in the stats, through the admin API: counted once by {@link ConversionStore}, then
 * moved to minutes of a day five days back that no other test writes conversions in (accepted_at,
 * by SQL), so that every sum over all campaigns is of this test's conversions alone. The buckets
 * of every interval and the country breakdown sum to the campaigns' {@code conversion_count}; the
 * conversions series sums per event and currency to their {@code conversions} and {@code revenue}.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class ConversionStatsApiIT {

    static final DropwizardAppExtension<O7TrackerConfiguration> APP = TestApp.withoutMemcached();

    private static ConversionStore store;

    private Http http;

    @BeforeAll
    static void database() {
        store = Jdbi.create(TestPostgres.shared().migratedDataSource()).installPlugin(new SqlObjectPlugin())
                .onDemand(ConversionStore.class);
    }

    @BeforeEach
    void setUp() {
        http = new Http(APP.getLocalPort());
    }

    /** Counts a conversion of a new click of {@code campaign} and moves it to {@code acceptedAt}. */
    private static void convert(long campaign, String country, String event, String revenue, String currency,
                                Instant acceptedAt) {
        String clickId = "s" + ThreadLocalRandom.current().nextLong(1L << 40, Long.MAX_VALUE);
        Instant clickedAt = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofMinutes(3));
        assertThat(store.record(new Conversion(clickId, campaign, Platform.ANDROID, false, country, clickedAt, event,
                revenue == null ? null : new BigDecimal(revenue), currency))).isInstanceOf(ConversionStore.Counted.class);
        Tables.execute("UPDATE conversions SET accepted_at = '" + acceptedAt + "' WHERE click_id = '" + clickId + "'");
    }

    /** A day no other test has conversions in, within the minutes kept (7 days). */
    private static Instant day(int daysBack) {
        return Instant.now().minus(Duration.ofDays(daysBack)).truncatedTo(ChronoUnit.DAYS);
    }

    private static Instant at(Instant day, String hourMinute) {
        String[] hm = hourMinute.split(":");
        return day.plus(Duration.ofHours(Long.parseLong(hm[0]))).plus(Duration.ofMinutes(Long.parseLong(hm[1])));
    }

    private JsonNode get(String path) {
        HttpResponse<String> response = http.adminGet(path);
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
        return Json.parse(response.body());
    }

    private JsonNode campaign(long id) {
        return get("/admin/campaigns/" + id);
    }

    private static List<Long> conversionCounts(JsonNode answer) {
        List<Long> counts = new ArrayList<>();
        for (JsonNode bucket : answer.get("buckets")) {
            assertThat(bucket.has("conversion_count")).as("every bucket: " + bucket).isTrue();
            counts.add(bucket.get("conversion_count").asLong());
        }
        return counts;
    }

    private static long sum(List<Long> counts) {
        return counts.stream().mapToLong(Long::longValue).sum();
    }

    /** Campaign a: DE 2, FR 1, AT 2, US 1, ZZ 1 (7) from 10:05 to 13:16; campaign b: DE 2 at 10:05 and 12:00. */
    private long[] twoCampaigns(Instant day) {
        long a = http.createCampaign("https://conversions-a.example/");
        long b = http.createCampaign("https://conversions-b.example/");
        convert(a, "DE", "install", null, null, at(day, "10:05"));
        convert(a, "DE", "purchase", "4.99", "EUR", at(day, "10:05"));
        convert(a, "FR", "install", null, null, at(day, "10:59"));
        convert(a, "AT", "purchase", "0.1", "EUR", at(day, "11:00"));
        convert(a, "AT", "purchase", "0.2", "EUR", at(day, "11:30"));
        convert(a, "US", "purchase", "1.000001", "USD", at(day, "13:15"));
        convert(a, "ZZ", "signup", null, null, at(day, "13:16"));
        convert(b, "DE", "install", null, null, at(day, "10:05"));
        convert(b, "DE", "purchase", "2.50", "EUR", at(day, "12:00"));
        return new long[] {a, b};
    }

    @Test
    void theBucketsOfEveryIntervalSumToTheCampaignsConversionCountOfOneCampaignAndOfAll() {
        Instant day = day(5);
        long[] ids = twoCampaigns(day);
        long a = ids[0];
        long b = ids[1];
        long countA = campaign(a).get("conversion_count").asLong();
        long countB = campaign(b).get("conversion_count").asLong();
        assertThat(countA).isEqualTo(7);
        assertThat(countB).isEqualTo(2);
        String range = "from=" + at(day, "10:00") + "&to=" + at(day, "14:00");

        List<Long> minutes = conversionCounts(get("/admin/campaigns/" + a + "/stats?interval=minute&" + range));
        assertThat(minutes).hasSize(240);
        assertThat(minutes.get(5)).as("10:05").isEqualTo(2);
        assertThat(minutes.get(59)).as("10:59").isEqualTo(1);
        assertThat(sum(minutes)).isEqualTo(countA);
        assertThat(conversionCounts(get("/admin/campaigns/" + a + "/stats?interval=hour&" + range)))
                .as("by the minute accepted, 10:59 in 10:00 and 11:00 in 11:00").containsExactly(3L, 2L, 0L, 2L);
        assertThat(conversionCounts(get("/admin/campaigns/" + a + "/stats?interval=day&from=" + day)))
                .first().isEqualTo(countA);

        assertThat(sum(conversionCounts(get("/admin/stats?interval=minute&" + range)))).isEqualTo(countA + countB);
        assertThat(conversionCounts(get("/admin/stats?interval=hour&" + range))).containsExactly(4L, 2L, 1L, 2L);
        assertThat(conversionCounts(get("/admin/stats?interval=day&from=" + day + "&to=" + day.plus(Duration.ofDays(1)))))
                .containsExactly(countA + countB);

        assertThat(conversionCounts(get("/admin/campaigns/" + a + "/stats?country=de&interval=hour&" + range)))
                .as("the click id's country").containsExactly(2L, 0L, 0L, 0L);
        assertThat(conversionCounts(get("/admin/stats?country=DE&interval=day&from=" + day + "&to="
                + day.plus(Duration.ofDays(1))))).containsExactly(4L);
        JsonNode byReferrer = get("/admin/campaigns/" + a + "/stats?referrer=(none)&interval=hour&" + range);
        assertThat(byReferrer.get("buckets")).hasSize(4).allSatisfy(bucket -> assertThat(bucket.has("conversion_count"))
                .as("not in the click id: unknown, so left out").isFalse());

        String csv = http.adminGet("/admin/campaigns/" + a + "/stats?interval=hour&format=csv&" + range).body();
        String[] lines = csv.split("\r\n");
        assertThat(lines[0]).isEqualTo("start,click_count,android_click_count,iphone_click_count,"
                + "windowsphone_click_count,other_click_count,bot_click_count,conversion_count");
        assertThat(lines).hasSize(5);
        assertThat(lines[1]).isEqualTo(at(day, "10:00") + ",0,0,0,0,0,0,3");
        assertThat(http.adminGet("/admin/stats?referrer=x&interval=hour&format=csv&" + range).body().split("\r\n")[0])
                .endsWith(",bot_click_count");
    }

    @Test
    void theCountryBreakdownSumsToTheConversionCountAndItsOtherRowFoldsConversionsLikeClicks() {
        Instant day = day(4);
        long[] ids = twoCampaigns(day);
        long a = ids[0];
        long b = ids[1];
        String hour10 = at(day, "10:00").toString();
        Tables.execute("INSERT INTO click_dimension_hours (campaign_id, dimension, hour, value, android) VALUES ("
                + a + ", 'country', '" + hour10 + "', 'DE', 5), (" + a + ", 'country', '" + hour10 + "', 'GB', 4), ("
                + a + ", 'country', '" + hour10 + "', 'FR', 3), (" + a + ", 'referrer', '" + hour10 + "', 'news.example', 12)");
        String range = "from=" + at(day, "10:00") + "&to=" + at(day, "14:00");

        JsonNode all = get("/admin/campaigns/" + a + "/breakdown?by=country&" + range);
        List<String> rows = new ArrayList<>();
        long conversions = 0;
        for (JsonNode row : all.get("rows")) {
            rows.add(row.get("value").asText() + " " + row.get("click_count").asLong() + " "
                    + row.get("conversion_count").asLong());
            conversions += row.get("conversion_count").asLong();
        }
        assertThat(rows).as("most clicks first; values with conversions and no clicks too").containsExactly(
                "DE 5 2", "GB 4 0", "FR 3 1", "AT 0 2", "US 0 1", "ZZ 0 1");
        assertThat(conversions).isEqualTo(campaign(a).get("conversion_count").asLong());

        JsonNode limited = get("/admin/campaigns/" + a + "/breakdown?by=country&limit=2&" + range);
        List<String> folded = new ArrayList<>();
        for (JsonNode row : limited.get("rows")) {
            folded.add(row.get("value").asText() + " " + row.get("click_count").asLong() + " "
                    + row.get("conversion_count").asLong());
        }
        assertThat(folded).containsExactly("DE 5 2", "GB 4 0", "(other) 3 5");

        JsonNode ofAll = get("/admin/stats/breakdown?by=country&" + range);
        long allConversions = 0;
        for (JsonNode row : ofAll.get("rows")) {
            allConversions += row.get("conversion_count").asLong();
        }
        assertThat(allConversions).isEqualTo(campaign(a).get("conversion_count").asLong()
                + campaign(b).get("conversion_count").asLong());

        assertThat(get("/admin/campaigns/" + a + "/breakdown?by=referrer&" + range).get("rows")).hasSize(1)
                .allSatisfy(row -> assertThat(row.has("conversion_count")).as("not in the click id").isFalse());
        String csv = http.adminGet("/admin/campaigns/" + a + "/breakdown?by=country&limit=2&format=csv&" + range).body();
        assertThat(csv.split("\r\n")).containsExactly(
                "value,click_count,android_click_count,iphone_click_count,windowsphone_click_count,other_click_count,"
                        + "bot_click_count,conversion_count",
                "DE,5,5,0,0,0,0,2", "GB,4,4,0,0,0,0,0", "(other),3,3,0,0,0,0,5");
        assertThat(http.adminGet("/admin/campaigns/" + a + "/breakdown?by=referrer&format=csv&" + range).body())
                .isEqualTo("value,click_count,android_click_count,iphone_click_count,windowsphone_click_count,"
                        + "other_click_count,bot_click_count\r\nnews.example,12,12,0,0,0,0\r\n");
    }

    @Test
    void theConversionsSeriesSumsPerEventAndCurrencyToTheCampaignsConversionsAndRevenue() {
        Instant day = day(3);
        long a = twoCampaigns(day)[0];
        JsonNode campaign = campaign(a);
        String range = "from=" + at(day, "10:00") + "&to=" + at(day, "14:00");

        for (String interval : List.of("minute", "hour", "day")) {
            JsonNode series = get("/admin/campaigns/" + a + "/conversions?interval=" + interval + "&" + range);
            assertThat(series.get("campaign_id").asLong()).isEqualTo(a);
            assertThat(series.get("interval").asText()).isEqualTo(interval);
            Map<String, Long> perEvent = new TreeMap<>();
            Map<String, BigDecimal> perCurrency = new TreeMap<>();
            long total = 0;
            for (JsonNode bucket : series.get("buckets")) {
                long inBucket = 0;
                for (JsonNode row : bucket.get("conversions")) {
                    perEvent.merge(row.get("event").asText(), row.get("conversion_count").asLong(), Long::sum);
                    inBucket += row.get("conversion_count").asLong();
                    if (!row.get("currency").isNull()) {
                        assertThat(row.get("revenue").isTextual()).as("a decimal string: " + row).isTrue();
                        perCurrency.merge(row.get("currency").asText(), new BigDecimal(row.get("revenue").asText()),
                                BigDecimal::add);
                    } else {
                        assertThat(row.get("revenue").isNull()).isTrue();
                    }
                }
                assertThat(bucket.get("conversion_count").asLong()).isEqualTo(inBucket);
                total += inBucket;
            }
            assertThat(total).as(interval).isEqualTo(campaign.get("conversion_count").asLong());
            assertThat(perEvent).as(interval).isEqualTo(Map.of("install", 2L, "purchase", 4L, "signup", 1L));
            assertThat(perEvent).isEqualTo(fields(campaign.get("conversions"), JsonNode::asLong));
            Map<String, String> revenue = new TreeMap<>();
            perCurrency.forEach((currency, amount) -> revenue.put(currency, amount.toPlainString()));
            assertThat(revenue).as(interval).isEqualTo(Map.of("EUR", "5.29", "USD", "1.000001"));
            assertThat(revenue).isEqualTo(fields(campaign.get("revenue"), JsonNode::asText));
        }

        JsonNode hours = get("/admin/campaigns/" + a + "/conversions?interval=hour&" + range);
        assertThat(hours.get("buckets")).hasSize(4);
        assertThat(hours.get("buckets").get(0).get("conversions").toString()).isEqualTo(
                "[{\"event\":\"install\",\"currency\":null,\"conversion_count\":2,\"revenue\":null},"
                        + "{\"event\":\"purchase\",\"currency\":\"EUR\",\"conversion_count\":1,\"revenue\":\"4.99\"}]");
        assertThat(hours.get("buckets").get(1).get("conversions").get(0).get("revenue").asText()).as("exact")
                .isEqualTo("0.3");
        assertThat(hours.get("buckets").get(2).get("conversions")).as("every bucket present").isEmpty();
        assertThat(hours.get("buckets").get(2).get("conversion_count").asLong()).isZero();

        HttpResponse<String> csv = http.adminGet("/admin/campaigns/" + a + "/conversions?interval=hour&format=csv&" + range);
        assertThat(csv.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/csv"));
        assertThat(csv.body().split("\r\n")).containsExactly(
                "start,event,currency,conversion_count,revenue",
                at(day, "10:00") + ",install,,2,",
                at(day, "10:00") + ",purchase,EUR,1,4.99",
                at(day, "11:00") + ",purchase,EUR,2,0.3",
                at(day, "12:00") + ",,,0,",
                at(day, "13:00") + ",purchase,USD,1,1.000001",
                at(day, "13:00") + ",signup,,1,");
    }

    @Test
    void theConversionsSeriesRefusesWhatTheStatsRefuseAndUnknownOrDeletedCampaignsAre404() {
        long id = http.createCampaign("https://conversions-bad.example/");
        String base = "/admin/campaigns/" + id + "/conversions";
        assertError(http.adminGet(base + "?interval=week"), 400, "interval must be minute, hour or day");
        assertError(http.adminGet(base + "?from=yesterday"), 400, "from is not an ISO-8601 instant");
        assertError(http.adminGet(base + "?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z"), 400, "from must be before to");
        assertError(http.adminGet(base + "?interval=minute&from=2026-01-01T00:00:00Z&to=2026-02-01T00:00:00Z"), 400,
                "at most 10000 buckets");
        assertError(http.adminGet(base + "?format=xml"), 400, "format must be json or csv");
        assertError(http.adminGet(base + "?country=DE"), 400, "no filter");
        Instant eightDaysAgo = Instant.now().minus(8, ChronoUnit.DAYS).truncatedTo(ChronoUnit.HOURS);
        assertError(http.adminGet(base + "?interval=minute&from=" + eightDaysAgo + "&to=" + eightDaysAgo.plusSeconds(3600)),
                400, "kept per minute");
        assertError(http.adminGet("/admin/campaigns/77777/conversions"), 404, "77777");
        assertError(http.adminGet("/admin/campaigns/abc/conversions"), 400, "'abc'");
        assertThat(http.get(base).statusCode()).as("behind basic auth").isEqualTo(401);
        JsonNode empty = get(base);
        assertThat(empty.get("buckets")).hasSize(24).allSatisfy(bucket -> {
            assertThat(bucket.get("conversion_count").asLong()).isZero();
            assertThat(bucket.get("conversions")).isEmpty();
        });
        assertThat(http.adminDelete("/admin/campaigns/" + id).statusCode()).isEqualTo(204);
        assertError(http.adminGet(base), 404, String.valueOf(id));
    }

    private static <T> Map<String, T> fields(JsonNode object, java.util.function.Function<JsonNode, T> value) {
        Map<String, T> fields = new TreeMap<>();
        object.fields().forEachRemaining(e -> fields.put(e.getKey(), value.apply(e.getValue())));
        return fields;
    }

    private static void assertError(HttpResponse<String> response, int status, String messagePart) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        JsonNode body = Json.parse(response.body());
        assertThat(body.get("status").asText()).isEqualTo("error");
        assertThat(body.get("msg").asText()).contains(messagePart);
    }
}
