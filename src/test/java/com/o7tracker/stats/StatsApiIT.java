package com.o7tracker.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.o7tracker.O7TrackerConfiguration;
import com.o7tracker.support.Http;
import com.o7tracker.support.Json;
import com.o7tracker.support.Tables;
import com.o7tracker.support.TestApp;
import com.o7tracker.support.TestPostgres;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Clicks over time through the admin API: buckets that sum to the counters, in JSON and CSV. */
@ExtendWith(DropwizardExtensionsSupport.class)
class StatsApiIT {

    static final DropwizardAppExtension<O7TrackerConfiguration> APP = TestApp.withoutMemcached();

    private Http http;

    @BeforeEach
    void setUp() {
        http = new Http(APP.getLocalPort());
    }

    @Test
    void theBucketsOfTheLastHoursSumToTheCountersAndEmptyOnesAreZeros() throws Exception {
        long id = http.createCampaign("https://stats.example/");
        for (int i = 0; i < 3; i++) {
            http.get("/track/" + id + "?platform=Android");
        }
        http.get("/track/" + id + "?platform=IPhone");
        http.send(http.request("/track/" + id).setHeader("User-Agent", "Twitterbot/1.0").GET());
        http.get("/track/" + id); // a desktop browser: Other
        http.updateStats();

        JsonNode hours = Json.parse(http.adminGet("/admin/campaigns/" + id + "/stats").body());
        assertThat(hours.get("campaign_id").asLong()).isEqualTo(id);
        assertThat(hours.get("interval").asText()).isEqualTo("hour");
        assertThat(hours.get("buckets")).hasSize(24);
        long[] sum = new long[6];
        String[] names = {"click_count", "android_click_count", "iphone_click_count", "windowsphone_click_count",
            "other_click_count", "bot_click_count"};
        Instant previous = Instant.MIN;
        for (JsonNode bucket : hours.get("buckets")) {
            Instant start = Instant.parse(bucket.get("start").asText());
            assertThat(start).as("oldest first, an hour apart").isAfter(previous);
            assertThat(start.truncatedTo(ChronoUnit.HOURS)).isEqualTo(start);
            previous = start;
            for (int i = 0; i < names.length; i++) {
                sum[i] += bucket.get(names[i]).asLong();
            }
        }
        assertThat(sum).containsExactly(5, 3, 1, 0, 1, 1).containsExactly(Tables.counters(id));

        HttpResponse<String> minutes = http.adminGet("/admin/campaigns/" + id + "/stats?interval=minute&from="
                + Instant.now().minus(10, ChronoUnit.MINUTES) + "&format=csv");
        assertThat(minutes.statusCode()).isEqualTo(200);
        assertThat(minutes.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/csv"));
        String[] lines = minutes.body().split("\r\n");
        assertThat(lines[0]).isEqualTo("start,click_count,android_click_count,iphone_click_count,"
                + "windowsphone_click_count,other_click_count,bot_click_count,conversion_count");
        assertThat(lines.length - 1).as("ten or eleven minutes").isBetween(10, 11);
        long csvClicks = 0;
        for (int i = 1; i < lines.length; i++) {
            csvClicks += Long.parseLong(lines[i].split(",")[1]);
        }
        assertThat(csvClicks).isEqualTo(5);
    }

    @Test
    void bucketsCountTheMinuteEachClickWasServedIn() throws Exception {
        long id = http.createCampaign("https://minutes.example/");
        try (Connection c = TestPostgres.shared().connect(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO click_minutes (campaign_id, minute, android, bot_other) VALUES "
                    + "(" + id + ", '2026-01-01T10:15:00Z', 2, 1), (" + id + ", '2026-01-01T12:59:00Z', 4, 0), "
                    + "(" + id + ", '2026-01-02T00:00:00Z', 8, 0)");
        }
        JsonNode days = Json.parse(http.adminGet("/admin/campaigns/" + id
                + "/stats?interval=day&from=2026-01-01T05:00:00Z&to=2026-01-02T00:00:01Z").body());
        assertThat(days.get("from").asText()).isEqualTo("2026-01-01T00:00:00Z");
        assertThat(days.get("to").asText()).isEqualTo("2026-01-03T00:00:00Z");
        assertThat(days.get("buckets")).hasSize(2);
        assertThat(days.get("buckets").get(0).get("android_click_count").asLong()).isEqualTo(6);
        assertThat(days.get("buckets").get(0).get("bot_click_count").asLong()).isEqualTo(1);
        assertThat(days.get("buckets").get(0).get("click_count").asLong()).isEqualTo(6);
        assertThat(days.get("buckets").get(1).get("android_click_count").asLong()).isEqualTo(8);

        JsonNode hours = Json.parse(http.adminGet("/admin/campaigns/" + id
                + "/stats?interval=hour&from=2026-01-01T10:00:00Z&to=2026-01-01T13:00:00Z").body());
        assertThat(hours.get("buckets")).extracting(b -> b.get("android_click_count").asLong()).containsExactly(2L, 0L, 4L);
    }

    @Test
    void badRangesIntervalsAndIdsAre400sAndAnUnknownCampaignA404() {
        long id = http.createCampaign("https://bad.example/");
        String base = "/admin/campaigns/" + id + "/stats";
        assertError(http.adminGet(base + "?interval=week"), 400, "interval must be minute, hour or day");
        assertError(http.adminGet(base + "?from=yesterday"), 400, "from is not an ISO-8601 instant");
        assertError(http.adminGet(base + "?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z"), 400, "from must be before to");
        assertError(http.adminGet(base + "?interval=minute&from=2026-01-01T00:00:00Z&to=2026-02-01T00:00:00Z"), 400,
                "at most 10000 buckets");
        assertError(http.adminGet(base + "?format=xml"), 400, "format must be json or csv");
        assertError(http.adminGet(base + "?to=%2B1000000000-12-31T23:59:59Z"), 400, "to must be between");
        assertError(http.adminGet(base + "?from=%2B300000-01-01T00:00:00Z&to=%2B300001-01-01T00:00:00Z&interval=day"), 400,
                "must be between 1970-01-01T00:00:00Z and 9999-01-01T00:00:00Z");
        assertError(http.adminGet("/admin/stats?from=-000001-01-01T00:00:00Z&interval=day"), 400, "from must be between");
        assertError(http.adminGet(base + "?to=1970-01-01T00:00:00Z"), 400, "must begin at 1970-01-01T00:00:00Z or later");
        assertThat(http.adminGet(base + "?interval=Day").statusCode()).as("an interval in any case").isEqualTo(200);
        Instant eightDaysAgo = Instant.now().minus(8, ChronoUnit.DAYS).truncatedTo(ChronoUnit.HOURS);
        assertError(http.adminGet(base + "?interval=minute&from=" + eightDaysAgo + "&to=" + eightDaysAgo.plusSeconds(3600)),
                400, "kept per minute for the last 168 hours");
        assertThat(http.adminGet(base + "?interval=minute&from=" + Instant.now().minus(6, ChronoUnit.DAYS)
                + "&to=" + Instant.now().minus(5, ChronoUnit.DAYS)).statusCode()).as("within the retention").isEqualTo(200);
        assertError(http.adminGet("/admin/campaigns/77777/stats"), 404, "77777");
        assertError(http.adminGet("/admin/campaigns/abc/stats"), 400, "'abc'");
        assertThat(http.get(base).statusCode()).as("behind basic auth").isEqualTo(401);
    }

    @Test
    void allCampaignsTogetherWithTheTopOnesOfTheRange() throws Exception {
        long small = http.createCampaign("https://small.example/");
        long big = http.createCampaign("https://big.example/");
        try (Connection c = TestPostgres.shared().connect(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO click_minutes (campaign_id, minute, iphone, bot_android) VALUES "
                    + "(" + small + ", '2025-03-01T10:00:00Z', 1, 5), (" + big + ", '2025-03-01T10:01:00Z', 7, 0), "
                    + "(" + big + ", '2025-03-01T11:30:00Z', 2, 0)");
        }
        JsonNode all = Json.parse(http.adminGet("/admin/stats?from=2025-03-01T10:00:00Z&to=2025-03-01T12:00:00Z&top=2")
                .body());
        assertThat(all.get("buckets")).extracting(b -> b.get("iphone_click_count").asLong()).containsExactly(8L, 2L);
        assertThat(all.get("buckets").get(0).get("bot_click_count").asLong()).isEqualTo(5);
        assertThat(all.get("top_campaigns")).extracting(t -> t.get("campaign_id").asLong()).containsExactly(big, small);
        assertThat(all.get("top_campaigns").get(0).get("click_count").asLong()).isEqualTo(9);
        assertThat(all.get("top_campaigns")).extracting(t -> t.get("deleted").asBoolean()).containsExactly(false, false);
        assertThat(http.adminDelete("/admin/campaigns/" + small).statusCode()).isEqualTo(204);
        JsonNode after = Json.parse(http.adminGet("/admin/stats?from=2025-03-01T10:00:00Z&to=2025-03-01T12:00:00Z&top=2")
                .body());
        assertThat(after.get("buckets")).as("a deleted campaign's clicks stay in the totals").isEqualTo(all.get("buckets"));
        assertThat(after.get("top_campaigns")).extracting(t -> t.get("deleted").asBoolean()).containsExactly(false, true);
        assertError(http.adminGet("/admin/stats?top=0"), 400, "top must be an integer from 1 to 100");
        assertThat(http.adminGet("/admin/stats?format=csv").body()).startsWith("start,click_count,");
    }

    @Test
    void minuteBucketsPastTheRetentionAreRolledUpIntoHoursAndEverySumStays() throws Exception {
        long id = http.createCampaign("https://rollup.example/");
        try (Connection c = TestPostgres.shared().connect(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO click_minutes (campaign_id, minute, android, bot_iphone) VALUES "
                    + "(" + id + ", '2024-05-01T08:05:00Z', 2, 1), (" + id + ", '2024-05-01T08:59:00Z', 3, 0), "
                    + "(" + id + ", '2024-05-01T09:00:00Z', 4, 0), (" + id + ", '2024-05-01T05:10:00Z', 1, 0), "
                    + "(" + id + ", '2024-05-01T06:20:00Z', 1, 1)");
            s.execute("INSERT INTO click_hours (campaign_id, hour, android) VALUES (" + id + ", '2024-05-01T08:00:00Z', 10)");
        }
        String path = "/admin/campaigns/" + id + "/stats?interval=hour&from=2024-05-01T08:00:00Z&to=2024-05-01T10:00:00Z";
        JsonNode before = Json.parse(http.adminGet(path).body()).get("buckets");
        assertThat(before).extracting(b -> b.get("android_click_count").asLong()).containsExactly(15L, 4L);

        StatsDao stats = Jdbi.create(TestPostgres.shared().migratedDataSource()).installPlugin(new SqlObjectPlugin())
                .onDemand(StatsDao.class);
        assertThat(stats.rollUp(Instant.parse("2024-05-01T09:00:00Z"))).as("the minutes of 05:00, 06:00 and 08:00, an hour at a time")
                .isEqualTo(4);
        assertThat(stats.rollUp(Instant.parse("2024-05-01T09:00:00Z"))).as("nothing twice").isZero();

        assertThat(Json.parse(http.adminGet(path).body()).get("buckets")).isEqualTo(before);
        try (Connection c = TestPostgres.shared().connect(); Statement s = c.createStatement();
             var rs = s.executeQuery("SELECT android, bot_iphone FROM click_hours WHERE campaign_id = " + id + " ORDER BY hour")) {
            long[][] hours = new long[3][];
            for (int i = 0; i < 3; i++) {
                assertThat(rs.next()).isTrue();
                hours[i] = new long[] {rs.getLong(1), rs.getLong(2)};
            }
            assertThat(hours).isDeepEqualTo(new long[][] {{1, 0}, {1, 1}, {15, 1}});
            assertThat(rs.next()).isFalse();
        }
        assertThat(stats.now()).as("PostgreSQL's clock").isCloseTo(Instant.now(), within(1, ChronoUnit.MINUTES));
    }

    private static void assertError(HttpResponse<String> response, int status, String messagePart) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        JsonNode body = Json.parse(response.body());
        assertThat(body.get("status").asText()).isEqualTo("error");
        assertThat(body.get("msg").asText()).contains(messagePart);
    }
}
