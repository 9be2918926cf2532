package com.o7tracker.stats;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.o7tracker.campaign.AppliedPositions;
import com.o7tracker.campaign.CampaignDao;
import com.o7tracker.campaign.CampaignRequest;
import com.o7tracker.support.TestPostgres;
import com.o7tracker.web.AdminFeature;
import com.o7tracker.web.ErrorMapper;
import com.o7tracker.web.Fallback;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.dropwizard.testing.junit5.ResourceExtension;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every client error of the stats API, the breakdowns and a campaign's conversions, with its status and
 * its whole JSON body:
 * the resources as the service registers them (their DAOs on a real PostgreSQL, a week of minutes
 * kept, the admin filters, the one ErrorMapper), on a fixed clock, without starting the service.
 * The buckets and rows themselves are StatsApiIT's and BreakdownApiIT's.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class StatsResourceTest {

    private static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");
    private static final Jdbi JDBI = Jdbi.create(TestPostgres.shared().migratedDataSource()).installPlugin(new SqlObjectPlugin());
    private static final CampaignDao CAMPAIGNS = JDBI.onDemand(CampaignDao.class);
    private static final StatsDao STATS = JDBI.onDemand(StatsDao.class);
    private static final StatsQuery.Reader QUERIES = new StatsQuery.Reader(Duration.ofDays(7), Clock.fixed(NOW, ZoneOffset.UTC));
    private static final String RANGE = "must be between 1970-01-01T00:00:00Z and 9999-01-01T00:00:00Z.";

    static final ResourceExtension RESOURCES = ResourceExtension.builder()
            .setMapper(Jackson.newObjectMapper().disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS))
            .setRegisterDefaultExceptionMappers(false) // as config.yml says
            .addResource(new CampaignStatsResource(CAMPAIGNS, STATS, QUERIES, new AppliedPositions(JDBI)))
            .addResource(new StatsResource(STATS, QUERIES, new AppliedPositions(JDBI)))
            .addResource(new CampaignBreakdownResource(CAMPAIGNS, STATS, QUERIES, new AppliedPositions(JDBI)))
            .addResource(new BreakdownResource(STATS, QUERIES, new AppliedPositions(JDBI)))
            .addResource(new CampaignConversionsResource(CAMPAIGNS, STATS, QUERIES, new AppliedPositions(JDBI)))
            .addProvider(new AdminFeature())
            .addProvider(new ErrorMapper(new Fallback("https://fallback.example/", new MetricRegistry())))
            .build();

    /** {@code path} as sent on the wire, query string included (WebTarget.path would encode its '?'). */
    private static Response get(String path) {
        return RESOURCES.client().target(RESOURCES.target("").getUri().resolve(path)).request().get();
    }

    private static void assertError(Response response, int status, String msg) {
        String body = response.readEntity(String.class);
        assertThat(response.getStatus()).as(body).isEqualTo(status);
        assertThat(response.getMediaType().toString()).isEqualTo("application/json");
        assertThat(body).isEqualTo("{\"status\":\"error\",\"msg\":\"" + msg + "\"}");
    }

    private static long campaign() {
        long id = ThreadLocalRandom.current().nextLong(1L << 33, 1L << 52);
        CAMPAIGNS.insert(id, new CampaignRequest("https://stats-resource.example/", new String[0], null, null)).orElseThrow();
        return id;
    }

    @Test
    void badRangesIntervalsAndFormatsAre400OnEveryPathOfASeries() {
        long id = campaign();
        for (String base : List.of("/admin/campaigns/" + id + "/stats", "/admin/stats", "/admin/campaigns/" + id + "/conversions")) {
            assertError(get(base + "?interval=week"), 400, "Query parameter interval must be minute, hour or day.");
            assertError(get(base + "?from=yesterday"), 400,
                    "Query parameter from is not an ISO-8601 instant such as 2026-11-29T10:00:00Z.");
            assertError(get(base + "?to=2026-13-01T00:00:00Z"), 400,
                    "Query parameter to is not an ISO-8601 instant such as 2026-11-29T10:00:00Z.");
            assertError(get(base + "?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z"), 400,
                    "Query parameter from must be before to.");
            assertError(get(base + "?interval=minute&from=2026-01-01T00:00:00Z&to=2026-02-01T00:00:00Z"), 400,
                    "The range holds 44640 minutes; at most 10000 buckets are answered at once.");
            assertError(get(base + "?format=xml"), 400, "Query parameter format must be json or csv.");
            assertError(get(base + "?to=%2B1000000000-12-31T23:59:59Z"), 400, "Query parameter to " + RANGE);
            assertError(get(base + "?from=%2B300000-01-01T00:00:00Z&to=%2B300001-01-01T00:00:00Z&interval=day"), 400,
                    "Query parameter to " + RANGE);
            assertError(get(base + "?from=-000001-01-01T00:00:00Z&interval=day"), 400, "Query parameter from " + RANGE);
            assertError(get(base + "?to=1970-01-01T00:00:00Z"), 400, "The range must begin at 1970-01-01T00:00:00Z or later.");
            assertError(get(base + "?interval=minute&from=2026-11-30T11:00:00Z&to=2026-11-30T13:00:00Z"), 400,
                    "Clicks are kept per minute for the last 168 hours (minute ranges may begin at 2026-11-30T12:00:00Z"
                            + " or later), then per hour: ask for interval=hour or day over an earlier range.");
            assertThat(get(base + "?interval=minute&from=2026-11-30T12:00:00Z&to=2026-11-30T13:00:00Z").getStatus())
                    .as("the first minute kept").isEqualTo(200);
        }
    }

    @Test
    void aMalformedCampaignIdIs400AndAnUnknownOne404() {
        assertError(get("/admin/campaigns/abc/stats"), 400, "Campaign id 'abc' is not a positive integer below 2^53.");
        assertError(get("/admin/campains/-1/stats"), 400, "Campaign id '-1' is not a positive integer below 2^53.");
        assertError(get("/admin/campaigns/77777/stats"), 404, "Campaign 77777 does not exist.");
        assertError(get("/admin/campaigns/77777/stats?interval=week"), 400, "Query parameter interval must be minute, hour or day.");
        assertError(get("/admin/campaigns/abc/conversions"), 400, "Campaign id 'abc' is not a positive integer below 2^53.");
        assertError(get("/admin/campaigns/77777/conversions"), 404, "Campaign 77777 does not exist.");
    }

    @Test
    void aCampaignsConversionsTakeNoFilterAndAnswerEveryBucketTheLast24HoursByDefault() {
        long id = campaign();
        String base = "/admin/campaigns/" + id + "/conversions";
        for (String filter : List.of("?country=DE", "?os=Android&interval=day", "?utm_source=")) {
            String name = filter.substring(1, filter.indexOf('='));
            assertError(get(base + filter), 400, "The conversions series takes no filter (" + name + "=): the conversions"
                    + " of one country are the stats API's ?country=.");
        }
        String answer = get(base).readEntity(String.class);
        assertThat(answer).startsWith("{\"campaign_id\":" + id + ",\"interval\":\"hour\",\"from\":\"2026-12-06T12:00:00Z\","
                + "\"to\":\"2026-12-07T12:00:00Z\",\"buckets\":[{\"start\":\"2026-12-06T12:00:00Z\",\"conversion_count\":0,"
                + "\"conversions\":[]},");
        assertThat(answer.split("\"start\"")).hasSize(25);
        String csv = get(base + "?format=csv&from=2026-12-07T10:00:00Z").readEntity(String.class);
        assertThat(csv).isEqualTo("start,event,currency,conversion_count,revenue\r\n2026-12-07T10:00:00Z,,,0,\r\n"
                + "2026-12-07T11:00:00Z,,,0,\r\n");
    }

    @Test
    void aTopOutsideOneToAHundredIs400() {
        for (String top : List.of("0", "101", "-3", "ten", "")) {
            assertError(get("/admin/stats?top=" + top), 400, "Query parameter top must be an integer from 1 to 100.");
        }
        assertThat(get("/admin/stats?top=100").getStatus()).isEqualTo(200);
    }

    private static final String DIMENSIONS = "country, referrer, utm_source, utm_medium, utm_campaign, language, os, browser";

    @Test
    void aBreakdownNeedsAKnownDimensionALimitFromOneToAThousandAndARangeOfAtMostTenThousandHours() {
        long id = campaign();
        for (String base : List.of("/admin/campaigns/" + id + "/breakdown", "/admin/campains/" + id + "/breakdown",
                "/admin/stats/breakdown")) {
            for (String by : List.of("", "?by=", "?by=city", "?by=Country", "?by=utm-source", "?by=%00")) {
                assertError(get(base + by), 400, "Query parameter by must be one of " + DIMENSIONS + ".");
            }
            for (String limit : List.of("0", "1001", "-1", "ten", "", "1e3", "2147483648")) {
                assertError(get(base + "?by=os&limit=" + limit), 400, "Query parameter limit must be an integer from 1 to 1000.");
            }
            assertError(get(base + "?by=os&from=yesterday"), 400,
                    "Query parameter from is not an ISO-8601 instant such as 2026-11-29T10:00:00Z.");
            assertError(get(base + "?by=os&from=2026-01-02T00:00:00Z&to=2026-01-01T23:59:59Z"), 400,
                    "Query parameter from must be before to.");
            assertError(get(base + "?by=os&from=2025-08-26T08:00:00Z&to=2026-10-17T00:00:01Z"), 400,
                    "The range holds 10001 hours; a breakdown covers at most 10000 hours.");
            assertError(get(base + "?by=os&format=xml"), 400, "Query parameter format must be json or csv.");
            assertError(get(base + "?by=os&to=%2B1000000000-12-31T23:59:59Z"), 400, "Query parameter to " + RANGE);
            assertError(get(base + "?by=os&to=1970-01-01T00:00:00Z"), 400, "The range must begin at 1970-01-01T00:00:00Z or later.");
            for (String ok : List.of("?by=os", "?by=utm_campaign&limit=1000&from=2025-08-26T08:00:00Z&to=2026-10-17T00:00:00Z",
                    "?by=country&limit=1", "?by=%20browser%20&format=csv")) {
                Response response = get(base + ok);
                assertThat(response.getStatus()).as(base + ok + " " + response.readEntity(String.class)).isEqualTo(200);
            }
        }
        assertError(get("/admin/campaigns/77777/breakdown?by=os"), 404, "Campaign 77777 does not exist.");
        assertError(get("/admin/campaigns/0/breakdown?by=os"), 400, "Campaign id '0' is not a positive integer below 2^53.");
        assertError(get("/admin/campaigns/77777/breakdown?by=city"), 400, "Query parameter by must be one of " + DIMENSIONS + ".");
        for (String base : List.of("/admin/campaigns/" + id + "/breakdown", "/admin/stats/breakdown")) {
            assertError(get(base + "?by=country&by=os"), 400, "Query parameter by must be given once.");
            assertError(get(base + "?by=browser&country=DE"), 400, "A breakdown takes no filter (country=): a click's"
                    + " dimensions are counted one by one, not together. The series of one value is the stats API's ?country=.");
        }
    }

    @Test
    void aBreakdownAnswersItsRangeRoundedOutToHoursTheLast24ByDefault() {
        long id = campaign();
        String answer = get("/admin/campaigns/" + id + "/breakdown?by=language").readEntity(String.class);
        assertThat(answer).isEqualTo("{\"campaign_id\":" + id + ",\"by\":\"language\",\"from\":\"2026-12-06T12:00:00Z\","
                + "\"to\":\"2026-12-07T12:00:00Z\",\"rows\":[]}");
        assertThat(get("/admin/stats/breakdown?by=os&from=2026-12-01T10:59:59Z&to=2026-12-01T11:00:01Z").readEntity(String.class))
                .startsWith("{\"by\":\"os\",\"from\":\"2026-12-01T10:00:00Z\",\"to\":\"2026-12-01T12:00:00Z\",\"rows\":[");
    }

    @Test
    void aSeriesTakesOneFilterByTheHourOrDayWithAValueThatCanBeStored() {
        long id = campaign();
        for (String base : List.of("/admin/campaigns/" + id + "/stats", "/admin/stats")) {
            assertError(get(base + "?country=DE&os=Android"), 400, "At most one of the filters " + DIMENSIONS
                    + " may be given; the request gives country, os.");
            assertError(get(base + "?utm_medium=a&utm_medium=b&browser=x"), 400, "At most one of the filters " + DIMENSIONS
                    + " may be given; the request gives utm_medium, utm_medium, browser.");
            assertError(get(base + "?interval=minute&language=de&from=2026-12-07T10:00:00Z"), 400,
                    "Clicks are broken down by language per hour, not per minute: ask for interval=hour or day.");
            for (String value : List.of("", "a%00b", "%0A", "x".repeat(254), "%C3%A9".repeat(254))) {
                assertError(get(base + "?utm_source=" + value), 400,
                        "Query parameter utm_source must be 1 to 253 characters, without control characters.");
            }
            for (String ok : List.of("?country=DE", "?referrer=" + "%C3%A9".repeat(253), "?interval=day&os=(none)",
                    "?utm_campaign=%22%3D1%22%2C%3Cb%3E&format=csv", "?browser=Chrome&interval=Hour")) {
                Response response = get(base + ok);
                assertThat(response.getStatus()).as(base + ok + " " + response.readEntity(String.class)).isEqualTo(200);
            }
        }
        assertError(get("/admin/campaigns/77777/stats?country=DE"), 404, "Campaign 77777 does not exist.");
    }

    @Test
    void csvCellsAreQuotedAndNeverReadAsFormulas() {
        assertThat(StatsQuery.cell("DE")).isEqualTo("DE");
        assertThat(StatsQuery.cell("(none)")).isEqualTo("(none)");
        assertThat(StatsQuery.cell("a,b")).isEqualTo("\"a,b\"");
        assertThat(StatsQuery.cell("say \"hi\"")).isEqualTo("\"say \"\"hi\"\"\"");
        assertThat(StatsQuery.cell("two\nlines")).isEqualTo("\"two\nlines\"");
        assertThat(StatsQuery.cell("=1+2")).isEqualTo("'=1+2");
        assertThat(StatsQuery.cell("+1")).isEqualTo("'+1");
        assertThat(StatsQuery.cell("-1")).isEqualTo("'-1");
        assertThat(StatsQuery.cell("@x")).isEqualTo("'@x");
        assertThat(StatsQuery.cell("\t=x")).isEqualTo("'\t=x");
        assertThat(StatsQuery.cell("=HYPERLINK(\"http://x\",\"y\")")).isEqualTo("\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"");
        assertThat(StatsQuery.cell("a=b")).isEqualTo("a=b");
    }
}
