package com.o7tracker.stats;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.o7tracker.O7TrackerConfiguration;
import com.o7tracker.support.Http;
import com.o7tracker.support.Json;
import com.o7tracker.support.Tables;
import com.o7tracker.support.TestApp;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Where clicks came from and on what, through the admin API, over rows of click_dimension_hours
 * written here as the flush writes them: the breakdown of a campaign and of all campaigns (order,
 * the {@code (other)} row past the limit, sums, the range rounded out to hours, CSV), the series
 * narrowed to one value, and every client error.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class BreakdownApiIT {

    static final DropwizardAppExtension<O7TrackerConfiguration> APP = TestApp.withoutMemcached();

    private static final String[] COUNTERS = {"click_count", "android_click_count", "iphone_click_count",
        "windowsphone_click_count", "other_click_count", "bot_click_count"};
    /** 10:30 and 12:10 rounded out: the hours 10:00, 11:00 and 12:00 of 2025-06-01. */
    private static final String RANGE = "from=2025-06-01T10:30:00Z&to=2025-06-01T12:10:00Z";

    private Http http;

    @BeforeEach
    void setUp() {
        http = new Http(APP.getLocalPort());
    }

    /** Rows of click_dimension_hours: each (dimension, hour, value, column, clicks), for {@code id}. */
    private static void insert(long id, String dimension, Object... hourValueColumnClicks) {
        List<String> rows = new ArrayList<>();
        for (int i = 0; i < hourValueColumnClicks.length; i += 4) {
            String column = (String) hourValueColumnClicks[i + 2];
            rows.add("INSERT INTO click_dimension_hours (campaign_id, dimension, hour, value, " + column + ") VALUES ("
                    + id + ", '" + dimension + "', '2025-06-01T" + hourValueColumnClicks[i] + ":00:00Z', '"
                    + ((String) hourValueColumnClicks[i + 1]).replace("'", "''") + "', " + hourValueColumnClicks[i + 3] + ")"
                    + " ON CONFLICT (campaign_id, dimension, hour, value) DO UPDATE SET " + column + " = click_dimension_hours."
                    + column + " + EXCLUDED." + column);
        }
        Tables.execute(String.join(";\n", rows));
    }

    /** A campaign whose countries in the range are DE 8 (3 bots), FR 8, AT 3, US 3, (none) 2, (other) 1. */
    private long countries() {
        long id = http.createCampaign("https://breakdown.example/");
        insert(id, "country",
                "10", "DE", "android", 5, "10", "DE", "iphone", 2, "11", "DE", "other", 1, "11", "DE", "bot_android", 3,
                "10", "FR", "iphone", 8,
                "12", "US", "windowsphone", 3, // in the range only as its end is rounded up
                "11", "AT", "android", 3,
                "10", "(other)", "android", 1,
                "10", "(none)", "other", 2,
                "09", "ZZ", "android", 100, // before the range
                "13", "GB", "android", 50); // at its end, which is not in it
        insert(id, "referrer", "10", "DE", "android", 40); // another dimension's row of the same value
        return id;
    }

    private JsonNode breakdown(String path) {
        HttpResponse<String> response = http.adminGet(path);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        return Json.parse(response.body());
    }

    /** Each row as "value clicks/android/iphone/windowsphone/other/bot". */
    private static List<String> rows(JsonNode answer) {
        List<String> rows = new ArrayList<>();
        for (JsonNode row : answer.get("rows")) {
            StringBuilder s = new StringBuilder(row.get("value").asText()).append(' ');
            for (String counter : COUNTERS) {
                s.append(row.get(counter).asLong()).append(counter.equals("bot_click_count") ? "" : "/");
            }
            rows.add(s.toString());
        }
        return rows;
    }

    @Test
    void valuesByClicksThenBotsThenValueWithTheRangeRoundedOutToHours() {
        long id = countries();
        JsonNode answer = breakdown("/admin/campaigns/" + id + "/breakdown?by=country&" + RANGE);
        assertThat(answer.get("campaign_id").asLong()).isEqualTo(id);
        assertThat(answer.get("by").asText()).isEqualTo("country");
        assertThat(answer.get("from").asText()).isEqualTo("2025-06-01T10:00:00Z");
        assertThat(answer.get("to").asText()).isEqualTo("2025-06-01T13:00:00Z");
        assertThat(rows(answer)).containsExactly(
                "DE 8/5/2/0/1/3",
                "FR 8/0/8/0/0/0",
                "AT 3/3/0/0/0/0",
                "US 3/0/0/3/0/0",
                "(none) 2/0/0/0/2/0",
                "(other) 1/1/0/0/0/0");
        assertThat(rows(breakdown("/admin/campaigns/" + id + "/breakdown?by=country&limit=5&" + RANGE)))
                .as("five values and the (other) that was there").isEqualTo(rows(answer));
        assertThat(rows(breakdown("/admin/campaigns/" + id + "/breakdown?by=referrer&" + RANGE))).containsExactly(
                "DE 40/40/0/0/0/0");
        assertThat(breakdown("/admin/campaigns/" + id + "/breakdown?by=os&" + RANGE).get("rows")).isEmpty();
    }

    @Test
    void pastTheLimitTheRestIsOneOtherRowMergedWithTheOtherValueAndTheRowsSumToTheRange() {
        long id = countries();
        String base = "/admin/campaigns/" + id + "/breakdown?by=country&" + RANGE;
        assertThat(rows(breakdown(base + "&limit=2"))).containsExactly(
                "(other) 9/4/0/3/2/0", // AT, US, (none) and the (other) value
                "DE 8/5/2/0/1/3",
                "FR 8/0/8/0/0/0");
        assertThat(rows(breakdown(base + "&limit=4"))).as("(other) 3 before AT 3 and US 3, by value").containsExactly(
                "DE 8/5/2/0/1/3",
                "FR 8/0/8/0/0/0",
                "(other) 3/1/0/0/2/0",
                "AT 3/3/0/0/0/0",
                "US 3/0/0/3/0/0");
        assertThat(rows(breakdown(base + "&limit=1"))).containsExactly("(other) 17/4/8/3/2/0", "DE 8/5/2/0/1/3");
        for (String limit : List.of("1", "2", "4", "5", "1000")) {
            long[] sums = new long[COUNTERS.length];
            for (JsonNode row : breakdown(base + "&limit=" + limit).get("rows")) {
                for (int i = 0; i < COUNTERS.length; i++) {
                    sums[i] += row.get(COUNTERS[i]).asLong();
                }
            }
            assertThat(sums).as("limit " + limit).containsExactly(25, 9, 10, 3, 3, 3);
        }
    }

    @Test
    void allCampaignsTogetherDeletedOnesIncluded() {
        long id = countries();
        long gone = http.createCampaign("https://gone.example/");
        insert(gone, "language", "11", "de", "android", 2, "11", "en", "iphone", 1);
        long other = http.createCampaign("https://other.example/");
        insert(other, "language", "12", "de", "bot_other", 4, "13", "fr", "android", 9);
        assertThat(http.adminDelete("/admin/campaigns/" + gone).statusCode()).isEqualTo(204);
        // Other tests' rows may share the hours: only these values are this test's.
        insert(id, "language", "10", "x-breakdown-all", "other", 6);

        JsonNode answer = breakdown("/admin/stats/breakdown?by=language&" + RANGE);
        assertThat(answer.has("campaign_id")).isFalse();
        assertThat(answer.get("by").asText()).isEqualTo("language");
        assertThat(answer.get("from").asText()).isEqualTo("2025-06-01T10:00:00Z");
        assertThat(rows(answer)).contains("x-breakdown-all 6/0/0/0/6/0");
        assertThat(rows(breakdown("/admin/stats/breakdown?by=language&limit=1000&" + RANGE)).stream()
                .filter(r -> r.startsWith("de ") || r.startsWith("en ") || r.startsWith("fr ")))
                .as("a deleted campaign's clicks stay; 13:00 is past the range")
                .containsExactlyInAnyOrder("de 2/2/0/0/0/4", "en 1/0/1/0/0/0");
        assertError(http.adminGet("/admin/campaigns/" + gone + "/breakdown?by=language"), 404, "Campaign " + gone + " does not exist.");
    }

    @Test
    void csvQuotesValuesAndKeepsSpreadsheetsFromReadingFormulas() {
        long id = http.createCampaign("https://csv.example/");
        insert(id, "utm_source",
                "10", "\"=cmd\",<img src=x>", "android", 4,
                "10", "=SUM(A1:A9)", "android", 3,
                "10", "-2+3", "iphone", 2,
                "10", "@here", "other", 1,
                "10", "+1", "bot_iphone", 1,
                "10", "plain, with comma", "bot_other", 1);
        String path = "/admin/campaigns/" + id + "/breakdown?by=utm_source&" + RANGE;
        HttpResponse<String> csv = http.adminGet(path + "&format=csv");
        assertThat(csv.statusCode()).as(csv.body()).isEqualTo(200);
        assertThat(csv.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/csv"));
        assertThat(csv.headers().firstValue("Content-Disposition"))
                .hasValue("attachment; filename=\"campaign-" + id + "-by-utm_source.csv\"");
        assertThat(csv.body()).isEqualTo("""
                value,click_count,android_click_count,iphone_click_count,windowsphone_click_count,other_click_count,bot_click_count\r
                \"\"\"=cmd\"\",<img src=x>\",4,4,0,0,0,0\r
                '=SUM(A1:A9),3,3,0,0,0,0\r
                '-2+3,2,0,2,0,0,0\r
                '@here,1,0,0,0,1,0\r
                '+1,0,0,0,0,0,1\r
                "plain, with comma",0,0,0,0,0,1\r
                """);
        HttpResponse<String> accepted = http.send(http.admin(path).header("Accept", "text/csv").GET());
        assertThat(accepted.body()).isEqualTo(csv.body());
        JsonNode json = breakdown(path);
        assertThat(json.get("rows").get(0).get("value").asText()).as("JSON as stored").isEqualTo("\"=cmd\",<img src=x>");
        assertThat(json.get("rows").get(1).get("value").asText()).isEqualTo("=SUM(A1:A9)");
        assertThat(http.adminGet("/admin/stats/breakdown?by=utm_source&format=csv&" + RANGE).body())
                .startsWith("value,click_count,").contains("\"\"\"=cmd\"\",<img src=x>\",");
    }

    @Test
    void theSeriesOfOneValueReadsTheDimensionHours() {
        long id = countries();
        long other = http.createCampaign("https://series.example/");
        insert(other, "country", "10", "DE", "iphone", 1);
        // Minute buckets of the same hours are not broken down by country: the series of DE leaves them out.
        Tables.execute("INSERT INTO click_minutes (campaign_id, minute, android) VALUES (" + id + ", '2025-06-01T10:05:00Z', 50)");

        String base = "/admin/campaigns/" + id + "/stats?" + RANGE;
        JsonNode hours = breakdown(base + "&interval=hour&country=DE");
        assertThat(hours.get("buckets")).extracting(b -> b.get("start").asText())
                .containsExactly("2025-06-01T10:00:00Z", "2025-06-01T11:00:00Z", "2025-06-01T12:00:00Z");
        assertThat(hours.get("buckets")).extracting(b -> b.get("click_count").asLong()).containsExactly(7L, 1L, 0L);
        assertThat(hours.get("buckets")).extracting(b -> b.get("bot_click_count").asLong()).containsExactly(0L, 3L, 0L);
        assertThat(hours.get("buckets")).extracting(b -> b.get("android_click_count").asLong()).containsExactly(5L, 0L, 0L);
        assertThat(breakdown(base + "&interval=hour").get("buckets").get(0).get("android_click_count").asLong())
                .as("unfiltered: the minute buckets").isEqualTo(50);

        JsonNode day = breakdown(base + "&interval=day&country=DE");
        assertThat(day.get("buckets")).hasSize(1);
        assertThat(day.get("buckets").get(0).get("click_count").asLong()).isEqualTo(8);
        assertThat(day.get("buckets").get(0).get("bot_click_count").asLong()).isEqualTo(3);
        assertThat(breakdown(base + "&country=(none)").get("buckets")).extracting(b -> b.get("other_click_count").asLong())
                .containsExactly(2L, 0L, 0L);
        assertThat(breakdown(base + "&referrer=DE").get("buckets").get(0).get("click_count").asLong()).isEqualTo(40);

        assertThat(http.adminGet(base + "&country=de&format=csv").body()).as("a country in any case")
                .isEqualTo(http.adminGet(base + "&country=DE&format=csv").body());
        HttpResponse<String> csv = http.adminGet(base + "&country=DE&format=csv");
        assertThat(csv.body()).as("with the country's conversions, none here").isEqualTo("start,click_count,"
                + "android_click_count,iphone_click_count,windowsphone_click_count,other_click_count,bot_click_count,"
                + "conversion_count\r\n2025-06-01T10:00:00Z,7,5,2,0,0,0,0\r\n2025-06-01T11:00:00Z,1,0,0,0,1,3,0\r\n"
                + "2025-06-01T12:00:00Z,0,0,0,0,0,0,0\r\n");

        JsonNode all = breakdown("/admin/stats?" + RANGE + "&country=DE&top=100");
        assertThat(all.get("buckets").get(0).get("click_count").asLong()).as("at least this test's two campaigns")
                .isGreaterThanOrEqualTo(8);
        List<Long> top = new ArrayList<>();
        all.get("top_campaigns").forEach(t -> top.add(t.get("campaign_id").asLong()));
        assertThat(top).contains(id, other);
        JsonNode mine = null;
        for (JsonNode t : all.get("top_campaigns")) {
            if (t.get("campaign_id").asLong() == id) {
                mine = t;
            }
        }
        assertThat(mine.get("click_count").asLong()).as("the top campaigns of DE clicks").isEqualTo(8);
        assertThat(mine.get("bot_click_count").asLong()).isEqualTo(3);
    }

    @Test
    void readsAnswerWithTheJournalPositionsOfTheirSnapshot() {
        long id = countries();
        String journal = "breakdown-" + UUID.randomUUID();
        Tables.execute("INSERT INTO click_journals (journal_id, applied_seq) VALUES ('" + journal + "', 0)");
        Tables.execute("UPDATE click_journals SET applied_seq = 42 WHERE journal_id = '" + journal + "'");
        for (String path : List.of("/admin/campaigns/" + id + "/breakdown?by=country", "/admin/stats/breakdown?by=os",
                "/admin/campaigns/" + id + "/stats?country=DE", "/admin/stats?os=Android&format=csv")) {
            HttpResponse<String> response = http.adminGet(path);
            assertThat(response.statusCode()).as(path + " " + response.body()).isEqualTo(200);
            assertThat(response.headers().firstValue("O7tracker-Applied").orElse("").split(",")).as(path)
                    .contains(journal + "=42");
        }
    }

    @Test
    void badParametersAre400sWithTheReasonAndAnUnknownCampaignA404() {
        long id = http.createCampaign("https://bad-breakdown.example/");
        for (String base : List.of("/admin/campaigns/" + id + "/breakdown", "/admin/stats/breakdown")) {
            String by = "must be one of country, referrer, utm_source, utm_medium, utm_campaign, language, os, browser";
            assertError(http.adminGet(base), 400, "Query parameter by " + by);
            assertError(http.adminGet(base + "?by=city"), 400, by);
            assertError(http.adminGet(base + "?by=Country"), 400, by);
            for (String limit : List.of("0", "1001", "-1", "ten", "")) {
                assertError(http.adminGet(base + "?by=os&limit=" + limit), 400, "Query parameter limit must be an integer from 1 to 1000.");
            }
            assertError(http.adminGet(base + "?by=os&from=yesterday"), 400, "from is not an ISO-8601 instant");
            assertError(http.adminGet(base + "?by=os&from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z"), 400, "from must be before to");
            assertError(http.adminGet(base + "?by=os&to=%2B1000000000-12-31T23:59:59Z"), 400, "to must be between");
            assertError(http.adminGet(base + "?by=os&from=2020-01-01T00:00:00Z&to=2026-01-01T00:00:00Z"), 400,
                    "The range holds 52608 hours; a breakdown covers at most 10000 hours.");
            assertError(http.adminGet(base + "?by=os&format=xml"), 400, "format must be json or csv");
            assertThat(http.get(base + "?by=os").statusCode()).as("behind basic auth").isEqualTo(401);
        }
        for (String base : List.of("/admin/campaigns/" + id + "/stats", "/admin/stats")) {
            assertError(http.adminGet(base + "?country=DE&os=Android"), 400,
                    "At most one of the filters country, referrer, utm_source, utm_medium, utm_campaign, language, os, browser"
                            + " may be given; the request gives country, os.");
            assertError(http.adminGet(base + "?country=DE&country=FR"), 400, "the request gives country, country.");
            assertError(http.adminGet(base + "?interval=minute&referrer=example.com"), 400,
                    "Clicks are broken down by referrer per hour, not per minute: ask for interval=hour or day.");
            assertError(http.adminGet(base + "?utm_source="), 400,
                    "Query parameter utm_source must be 1 to 253 characters, without control characters.");
            assertError(http.adminGet(base + "?utm_source=" + "x".repeat(254)), 400, "utm_source must be 1 to 253 characters");
            assertError(http.adminGet(base + "?utm_source=a%00b"), 400, "utm_source must be 1 to 253 characters");
            assertThat(http.adminGet(base + "?utm_source=" + "x".repeat(253)).statusCode()).isEqualTo(200);
        }
        assertError(http.adminGet("/admin/campaigns/77777/breakdown?by=os"), 404, "Campaign 77777 does not exist.");
        assertError(http.adminGet("/admin/campaigns/abc/breakdown?by=os"), 400, "Campaign id 'abc' is not a positive integer");
        assertError(http.adminGet("/admin/campains/77777/breakdown?by=os"), 404, "Campaign 77777 does not exist.");
    }

    private static void assertError(HttpResponse<String> response, int status, String messagePart) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        JsonNode body = Json.parse(response.body());
        assertThat(body.get("status").asText()).isEqualTo("error");
        assertThat(body.get("msg").asText()).contains(messagePart);
    }
}
