package com.o7tracker.campaign;

import com.fasterxml.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.o7tracker.support.Json;
import com.o7tracker.support.Tables;
import com.o7tracker.support.TestPostgres;
import com.o7tracker.web.AdminFeature;
import com.o7tracker.web.ErrorMapper;
import com.o7tracker.web.Fallback;
import com.o7tracker.web.JsonBody;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.dropwizard.testing.junit5.ResourceExtension;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.client.Invocation;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.glassfish.jersey.server.ServerProperties;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every client error of the campaigns API, with its status and its whole JSON body: the resource as
 * the service registers it (its service and DAO on a real PostgreSQL, the admin filters, the one
 * ErrorMapper, no default exception mappers), without starting the service. Authentication and the
 * stories are the whole-service tests' (CampaignApiIT, AdminAuthIT).
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class CampaignResourceTest {

    private static final ObjectMapper MAPPER = Jackson.newObjectMapper()
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    private static final Jdbi JDBI = Jdbi.create(TestPostgres.shared().migratedDataSource()).installPlugin(new SqlObjectPlugin());
    private static final CampaignDao DAO = JDBI.onDemand(CampaignDao.class);
    private static final String SEED = """
            {"redirect_url":"https://github.com/otobrglez/o7tracker","platforms":["WindowsPhone","Android","IPhone"]}""";
    private static final String KNOWN = "known: Android, IPhone, WindowsPhone, Other.";
    private static final String BAD_ID = " is not a positive integer below 2^53.";
    private static final String WINDOW = "conversion_window_days must be a whole number of days from 1 to 365.";
    private static final String FIELDS = "redirect_url, platforms, platform_urls, forward_query, name, tags"
            + " and conversion_window_days.";
    private static final String TAG_RULE = ", which is not a tag: 1 to 50 letters, digits, '-' or '_'.";

    static final ResourceExtension RESOURCES = ResourceExtension.builder()
            .setMapper(MAPPER)
            .setRegisterDefaultExceptionMappers(false) // as config.yml says
            .addProperty(ServerProperties.LOCATION_HEADER_RELATIVE_URI_RESOLUTION_DISABLED, true)
            .addResource(new CampaignResource(new CampaignService(DAO), new AppliedPositions(JDBI), new JsonBody(MAPPER)))
            .addProvider(new AdminFeature())
            .addProvider(new ErrorMapper(new Fallback("https://fallback.example/", new MetricRegistry())))
            .build();

    /** {@code path} as sent on the wire, query string included (WebTarget.path would encode its '?'). */
    private static Invocation.Builder request(String path) {
        return RESOURCES.client().target(RESOURCES.target("").getUri().resolve(path)).request();
    }

    private static Response post(String body) {
        return request("/admin/campaigns").post(Entity.entity(body, MediaType.APPLICATION_JSON_TYPE));
    }

    private static Response put(String path, String body) {
        return request(path).put(Entity.entity(body, MediaType.APPLICATION_JSON_TYPE));
    }

    private static long create() {
        Response response = post(SEED);
        String body = response.readEntity(String.class);
        assertThat(response.getStatus()).as(body).isEqualTo(201);
        return Json.parse(body).get("id").asLong();
    }

    /** The whole answer: the status, JSON never cached, and exactly {@code {"status":"error","msg":msg}}. */
    private static void assertError(Response response, int status, String msg) {
        String body = response.readEntity(String.class);
        assertThat(response.getStatus()).as(body).isEqualTo(status);
        assertThat(response.getMediaType().toString()).isEqualTo("application/json");
        assertThat(response.getHeaderString("Cache-Control")).isEqualTo("no-store");
        assertThat(body).isEqualTo("{\"status\":\"error\",\"msg\":\"" + msg + "\"}");
    }

    @Test
    void aMalformedIdIs400AndAnUnknownOne404OnEveryMethod() {
        for (String id : List.of("abc", "-4", "+12345", "0", "9007199254740992", "1.5")) {
            assertError(request("/admin/campaigns/" + id).get(), 400, "Campaign id '" + id + "'" + BAD_ID);
            assertError(put("/admin/campaigns/" + id, "{}"), 400, "Campaign id '" + id + "'" + BAD_ID);
            assertError(request("/admin/campaigns/" + id).delete(), 400, "Campaign id '" + id + "'" + BAD_ID);
        }
        assertError(request("/admin/campains/x77").get(), 400, "Campaign id 'x77'" + BAD_ID);
        assertError(request("/admin/campaigns/12345").get(), 404, "Campaign 12345 does not exist.");
        assertError(put("/admin/campaigns/77777", "{\"platforms\":[]}"), 404, "Campaign 77777 does not exist.");
        assertError(request("/admin/campaigns/77777").delete(), 404, "Campaign 77777 does not exist.");
        long id = create();
        assertThat(request("/admin/campaigns/" + id).delete().getStatus()).isEqualTo(204);
        assertError(request("/admin/campaigns/" + id).delete(), 404, "Campaign " + id + " does not exist.");
        assertError(request("/admin/campaigns/" + id).get(), 404, "Campaign " + id + " does not exist.");
    }

    @Test
    void badListParametersAre400() {
        assertError(request("/admin/campaigns?platforms=Android,Symbian").get(), 400,
                "Query parameter platforms holds unknown platform 'Symbian'; " + KNOWN);
        assertError(request("/admin/campaigns?platform=iphone&platform=%20Desktop%20").get(), 400,
                "Query parameter platforms holds unknown platform 'Desktop'; " + KNOWN);
        for (String limit : List.of("0", "1001", "-1", "abc", "1.5", "")) {
            assertError(request("/admin/campaigns?limit=" + limit).get(), 400,
                    "Query parameter limit must be an integer from 1 to 1000.");
        }
        for (String after : List.of("nonsense", "9223372036854775807_5928566696968192", "253402300800000000_5928566696968192",
                "-1_5928566696968192", "1460324864519184_0", "1460324864519184_9007199254740992", "+1460324864519184_1",
                "_", "1_", "_1", "1_2_3", "1.5_2", "", "%E2%82%AC_1", "1e6_1")) {
            assertError(request("/admin/campaigns?after=" + after).get(), 400,
                    "Query parameter after is not a cursor from a Link header.");
        }
    }

    @Test
    void bodiesThatAreNoJsonObjectAre400AndNameOnlyThePosition() {
        assertError(post("{\"redirect_url\": leaked-token-123}"), 400, "Request body is not valid JSON (line 1, column 18).");
        assertError(post("{\"redirect_url\":\"https://x.example\n\u0001\"}"), 400,
                "Request body is not valid JSON (line 1, column 35).");
        assertError(post("{\"a\":1,\n\"b\":}"), 400, "Request body is not valid JSON (line 2, column 5).");
        assertError(post("{\"redirect_url\":"), 400, "Request body is not valid JSON (line 1, column 17).");
        assertError(post("{\"redirect_url\":\"https://a.example/\"}{\"x\":1}"), 400,
                "Request body is not valid JSON (line 1, column 38).");
        assertError(post("{\"redirect_url\":\"https://a.example/\"} garbage"), 400,
                "Request body is not valid JSON (line 1, column 39).");
        assertError(post("{\"redirect_url\":\"https://a.example/\"}]"), 400,
                "Request body is not valid JSON (line 1, column 38).");
        assertError(post("{\"redirect_url\":\"https://x.example\",\"redirect_url\":1}"), 400,
                "Request body has the field redirect_url twice.");
        assertError(post(""), 400, "Request body is empty; a JSON object is expected.");
        assertError(post("   "), 400, "Request body is empty; a JSON object is expected.");
        assertError(post("[1,2]"), 400, "Request body must be a JSON object.");
        assertError(post("\"text\""), 400, "Request body must be a JSON object.");
        assertError(post("{\"redirect_url\":\"https://x.example/" + "a".repeat(70_000) + "\"}"), 413,
                "Request body is larger than 64 KiB.");
    }

    @Test
    void everyFieldThatBreaksARuleIs422AndNamesTheField() {
        long id = create();
        String path = "/admin/campaigns/" + id;
        record Bad(Supplier<Response> call, String msg) {
        }
        List<Bad> cases = List.of(
                new Bad(() -> post("{\"platforms\":[\"Android\"]}"), "redirect_url is required."),
                new Bad(() -> post("{\"redirect_url\":42}"), "redirect_url must be a string."),
                new Bad(() -> post("{\"redirect_url\":null}"), "redirect_url must be a string."),
                new Bad(() -> post("{\"redirect_url\":\" \"}"), "redirect_url must not be empty."),
                new Bad(() -> post("{\"redirect_url\":\"/relative\"}"), "redirect_url must be an absolute http or https URL."),
                new Bad(() -> post("{\"redirect_url\":\"javascript:alert(1)\"}"),
                        "redirect_url must be an absolute http or https URL."),
                new Bad(() -> post("{\"redirect_url\":\"ftp://x.example\"}"), "redirect_url must be an absolute http or https URL."),
                new Bad(() -> post("{\"redirect_url\":\"http:///nohost\"}"), "redirect_url must have a host."),
                new Bad(() -> post("{\"redirect_url\":\"https://b\uFFFDcher.de/\"}"), "redirect_url must have a host."),
                new Bad(() -> post("{\"redirect_url\":\"http:///n\u00f6host\"}"), "redirect_url must have a host."),
                // Full-width delimiters that IDNA 2003 would turn into their ASCII twins, sending
                // visitors to another host than the one shown (accounts.example.com@evil.example).
                new Bad(() -> post("{\"redirect_url\":\"https://accounts.example.com\uFF20evil.example/\"}"),
                        "redirect_url must have a host."),
                new Bad(() -> post("{\"redirect_url\":\"https://evil.example\uFF0F.good.example/\"}"),
                        "redirect_url must have a host."),
                // Characters IDNA 2003 maps away (faß.de would become fass.de, another domain).
                new Bad(() -> post("{\"redirect_url\":\"https://fa\u00df.de/\"}"), "redirect_url must have a host."),
                new Bad(() -> post("{\"redirect_url\":\"https://b\u00fc" + "x".repeat(64) + ".de/\"}"),
                        "redirect_url must have a host."),
                new Bad(() -> post("{\"redirect_url\":\"http://a b.example\"}"),
                        "redirect_url is not a valid URL: it holds a space in its host (at position 9), where URLs may not;"
                                + " percent-encode it or leave it out."),
                new Bad(() -> post("{\"redirect_url\":\"https://x.example/a|b\"}"),
                        "redirect_url is not a valid URL: it holds the character | in its path (at position 20), where URLs"
                                + " may not; percent-encode it or leave it out."),
                new Bad(() -> post("{\"redirect_url\":\"https://x.example/" + "a".repeat(2100) + "\"}"),
                        "redirect_url must be at most 2048 characters."),
                new Bad(() -> post("{\"redirect_url\":\"https://x.example/" + "\u00e4".repeat(1200) + "\"}"),
                        "redirect_url is too long for a redirect once its non-ASCII characters are percent-encoded and"
                                + " its placeholders filled (at most 6144 characters)."),
                new Bad(() -> post("{\"redirect_url\":\"https://x.example/?c={clickid}\"}"),
                        "redirect_url is not a valid URL: only {click_id}, {campaign_id} and {platform} may stand in braces."),
                new Bad(() -> post("{\"redirect_url\":\"https://x.example\",\"platforms\":[\"Symbian\"]}"),
                        "platforms holds unknown platform 'Symbian'; " + KNOWN),
                new Bad(() -> post("{\"redirect_url\":\"https://x.example\",\"platforms\":\"Android\"}"),
                        "platforms must be an array of platform names."),
                new Bad(() -> post("{\"redirect_url\":\"https://x.example\",\"platforms\":[1]}"), "platforms must hold only strings."),
                new Bad(() -> post("{\"redirect_url\":\"https://x.example\",\"colour\":\"red\"}"),
                        "Unknown field 'colour'; a campaign has " + FIELDS),
                new Bad(() -> post("{\"redirect_url\":\"https://x.example\",\"platform_urls\":[]}"),
                        "platform_urls must be an object of platform names to URLs, or null."),
                new Bad(() -> post("{\"redirect_url\":\"https://x.example\",\"platform_urls\":{\"Desktop\":\"https://d.example\"}}"),
                        "platform_urls holds unknown platform 'Desktop'; " + KNOWN),
                new Bad(() -> post("{\"redirect_url\":\"https://x.example\",\"platform_urls\":{\"android\":\"market://details?id=x\"}}"),
                        "platform_urls.Android must be an absolute http or https URL."),
                new Bad(() -> post("{\"redirect_url\":\"https://x.example\",\"platform_urls\":{\"IPhone\":42}}"),
                        "platform_urls.IPhone must be a string."),
                new Bad(() -> post("{\"redirect_url\":\"https://x.example\",\"platform_urls\":{\"Other\":\"https://x.example/"
                        + "a".repeat(2100) + "\"}}"), "platform_urls.Other must be at most 2048 characters."),
                new Bad(() -> post("{\"redirect_url\":\"https://x.example\",\"platform_urls\":"
                        + "{\"Android\":\"https://a.example\",\"ANDROID\":\"https://b.example\"}}"),
                        "platform_urls names Android more than once."),
                new Bad(() -> post("{\"redirect_url\":\"https://x.example\",\"platform_urls\":{\""
                        + "k".repeat(5_000) + "\":\"https://x.example\"}}"),
                        "platform_urls holds unknown platform '" + "k".repeat(64) + "…'; " + KNOWN),
                new Bad(() -> post("{\"redirect_url\":\"https://x.example\",\"forward_query\":\"yes\"}"),
                        "forward_query must be true or false."),
                new Bad(() -> put(path, "{\"redirect_url\":\"mailto:a@b.example\"}"), "redirect_url must be an absolute http or https URL."),
                new Bad(() -> put(path, "{\"platforms\":[\"Android\",\"Blackberry\"]}"),
                        "platforms holds unknown platform 'Blackberry'; " + KNOWN),
                new Bad(() -> put(path, "{\"redirect_url\":\"https://ok.example\",\"bogus\":1}"),
                        "Unknown field 'bogus'; a campaign has " + FIELDS),
                new Bad(() -> put(path, "{\"platform_urls\":{\"WindowsPhone\":\"http:///nohost\"}}"),
                        "platform_urls.WindowsPhone must have a host."),
                new Bad(() -> put(path, "{\"platform_urls\":\"https://x.example\"}"),
                        "platform_urls must be an object of platform names to URLs, or null."),
                new Bad(() -> put(path, "{\"platform_urls\":{\"Android\":\"https://x.example/{user}\"}}"),
                        "platform_urls.Android is not a valid URL: only {click_id}, {campaign_id} and {platform} may stand in braces."),
                new Bad(() -> put(path, "{\"forward_query\":1}"), "forward_query must be true or false."),
                new Bad(() -> post("{\"redirect_url\":\"https://x.example\",\"conversion_window_days\":0}"), WINDOW),
                new Bad(() -> post("{\"redirect_url\":\"https://x.example\",\"conversion_window_days\":366}"), WINDOW),
                new Bad(() -> post("{\"redirect_url\":\"https://x.example\",\"conversion_window_days\":1.5}"), WINDOW),
                new Bad(() -> post("{\"redirect_url\":\"https://x.example\",\"conversion_window_days\":\"30\"}"), WINDOW),
                new Bad(() -> put(path, "{\"conversion_window_days\":null}"), WINDOW),
                new Bad(() -> put(path, "{\"conversion_window_days\":4294967326}"), WINDOW),
                new Bad(() -> post("{\"redirect_url\":\"https://x.example\",\"name\":42}"), "name must be a string or null."),
                new Bad(() -> put(path, "{\"name\":[\"Spring\"]}"), "name must be a string or null."),
                new Bad(() -> put(path, "{\"name\":\"" + "n".repeat(201) + "\"}"), "name must be at most 200 characters."),
                new Bad(() -> put(path, "{\"name\":\"" + "\uD83D\uDE00".repeat(201) + "\"}"),
                        "name must be at most 200 characters."),
                new Bad(() -> put(path, "{\"name\":\"Spring\\nsale\"}"), "name must not hold control characters or broken Unicode."),
                new Bad(() -> put(path, "{\"name\":\"Spring\\t\"}"), "name must not hold control characters or broken Unicode."),
                new Bad(() -> put(path, "{\"name\":\"a\\u0085b\"}"), "name must not hold control characters or broken Unicode."),
                new Bad(() -> put(path, "{\"name\":\"a\\ud800b\"}"), "name must not hold control characters or broken Unicode."),
                new Bad(() -> post("{\"redirect_url\":\"https://x.example\",\"tags\":\"spring\"}"),
                        "tags must be an array of tags, or null."),
                new Bad(() -> put(path, "{\"tags\":{\"spring\":true}}"), "tags must be an array of tags, or null."),
                new Bad(() -> put(path, "{\"tags\":[\"spring\",7]}"), "tags must hold only strings."),
                new Bad(() -> put(path, "{\"tags\":[null]}"), "tags must hold only strings."),
                new Bad(() -> put(path, "{\"tags\":[\"spring sale\"]}"), "tags holds 'spring sale'" + TAG_RULE),
                new Bad(() -> put(path, "{\"tags\":[\"\"]}"), "tags holds ''" + TAG_RULE),
                new Bad(() -> put(path, "{\"tags\":[\"sommer\u00e9\"]}"), "tags holds 'sommer\u00e9'" + TAG_RULE),
                new Bad(() -> put(path, "{\"tags\":[\"" + "t".repeat(51) + "\"]}"), "tags holds '" + "t".repeat(51) + "'" + TAG_RULE),
                new Bad(() -> put(path, "{\"tags\":[\"<b>x</b>\"]}"), "tags holds '<b>x</b>'" + TAG_RULE),
                new Bad(() -> put(path, "{\"tags\":[" + String.join(",", IntStream.rangeClosed(1, 21)
                        .mapToObj(i -> "\"t" + i + "\"").toList()) + "]}"), "tags must hold at most 20 different tags."));
        List<String> before = Tables.campaigns();
        for (Bad bad : cases) {
            assertError(bad.call().get(), 422, bad.msg());
        }
        assertThat(Tables.campaigns()).as("a refused request changes no campaign").isEqualTo(before);
    }

    @Test
    void badTagAndTextFiltersAre400() {
        assertError(request("/admin/campaigns?tag=spring,summer%20sale").get(), 400,
                "Query parameter tag holds 'summer sale'" + TAG_RULE);
        assertError(request("/admin/campaigns?tags=%3Cb%3E").get(), 400, "Query parameter tag holds '<b>'" + TAG_RULE);
        assertError(request("/admin/campaigns?tag=" + "t".repeat(51)).get(), 400,
                "Query parameter tag holds '" + "t".repeat(51) + "'" + TAG_RULE);
        String many = String.join(",", IntStream.rangeClosed(1, 101).mapToObj(i -> "t" + i).toList());
        assertError(request("/admin/campaigns?tag=" + many).get(), 400, "Query parameter tag may name at most 100 tags.");
        String q = "Query parameter q must be 1 to 200 characters of text, without control characters.";
        assertError(request("/admin/campaigns?q=").get(), 400, q);
        assertError(request("/admin/campaigns?q=" + "x".repeat(201)).get(), 400, q);
        assertError(request("/admin/campaigns?q=a%0Ab").get(), 400, q);
        assertError(request("/admin/campaigns?q=a%C2%85").get(), 400, q);
        assertThat(request("/admin/campaigns?q=" + "x".repeat(200) + "&tag=Spring,,%20summer%20&platforms=android").get()
                .getStatus()).as("within the bounds, trimmed, in any case").isEqualTo(200);
    }

    @Test
    void theConversionWindowIsThirtyDaysUnlessSetAndAnAnswerSentBackChangesNothing() {
        Response plain = post("{\"redirect_url\":\"https://window.example/\"}");
        JsonNode created = Json.parse(plain.readEntity(String.class));
        assertThat(created.get("conversion_window_days").asInt()).isEqualTo(30);
        assertThat(created.get("conversion_count").asLong()).isZero();
        assertThat(created.get("conversions").toString()).isEqualTo("{}");
        assertThat(created.get("revenue").toString()).isEqualTo("{}");

        Response week = post("{\"redirect_url\":\"https://window.example/\",\"conversion_window_days\":7}");
        String body = week.readEntity(String.class);
        assertThat(week.getStatus()).as(body).isEqualTo(201);
        assertThat(Json.parse(body).get("conversion_window_days").asInt()).isEqualTo(7);
        long id = Json.parse(body).get("id").asLong();
        String resent = put("/admin/campaigns/" + id, body).readEntity(String.class);
        assertThat(Json.parse(resent).get("conversion_window_days").asInt()).as(resent).isEqualTo(7);
        String year = put("/admin/campaigns/" + id, "{\"conversion_window_days\":365}").readEntity(String.class);
        assertThat(Json.parse(year).get("conversion_window_days").asInt()).as(year).isEqualTo(365);
        String renamed = put("/admin/campaigns/" + id, "{\"name\":\"Week\"}").readEntity(String.class);
        assertThat(Json.parse(renamed).get("conversion_window_days").asInt()).as("kept when absent").isEqualTo(365);
    }

    @Test
    void nameAndTagsAreAnsweredAsStoredAndAnAnswerSentBackChangesNothing() {
        Response created = post("""
                {"redirect_url":"https://labels.example/","name":"  Spring sale  ","tags":["Spring","SI","spring"]}""");
        String body = created.readEntity(String.class);
        assertThat(created.getStatus()).as(body).isEqualTo(201);
        assertThat(Json.parse(body).get("name").asText()).isEqualTo("Spring sale");
        assertThat(Json.parse(body).get("tags").toString()).isEqualTo("[\"spring\",\"si\"]");
        long id = Json.parse(body).get("id").asLong();
        Response resent = put("/admin/campaigns/" + id, body);
        String answer = resent.readEntity(String.class);
        assertThat(resent.getStatus()).as(answer).isEqualTo(200);
        assertThat(Json.parse(answer).get("name")).isEqualTo(Json.parse(body).get("name"));
        assertThat(Json.parse(answer).get("tags")).isEqualTo(Json.parse(body).get("tags"));
        assertThat(Tables.campaigns().stream().filter(row -> row.startsWith("(" + id + ",")).toList())
                .as("the row keeps the name and tags").hasSize(1)
                .allSatisfy(row -> assertThat(row).contains(",\"Spring sale\",\"{spring,si}\","));

        String plain = request("/admin/campaigns/" + create()).get(String.class);
        assertThat(Json.parse(plain).get("name").isNull()).as("null when unset").isTrue();
        assertThat(Json.parse(plain).get("tags").toString()).as("[] when unset").isEqualTo("[]");
    }

    @Test
    void urlsWithAnInternationalisedHostAreAcceptedAndKeptAsGiven() {
        String url = "https://b\u00fccher.de/stra\u00dfe?q=\u00e4";
        Response created = post("{\"redirect_url\":\"" + url + "\",\"platform_urls\":{\"Android\":\"https://\u0444.example/\"}}");
        String body = created.readEntity(String.class);
        assertThat(created.getStatus()).as(body).isEqualTo(201);
        assertThat(Json.parse(body).get("redirect_url").asText()).isEqualTo(url);
        assertThat(Json.parse(body).get("platform_urls").get("Android").asText()).isEqualTo("https://\u0444.example/");
        long id = Json.parse(body).get("id").asLong();
        assertThat(Json.parse(request("/admin/campaigns/" + id).get(String.class)).get("redirect_url").asText()).isEqualTo(url);
        Response updated = put("/admin/campaigns/" + id, "{\"redirect_url\":\"http://m\u00fcller.example:8080/\"}");
        assertThat(updated.getStatus()).as(updated.readEntity(String.class)).isEqualTo(200);
    }

    @Test
    void crossSiteWritesAre403AndChangeNothing() {
        long id = create();
        List<String> before = Tables.campaigns();
        String msg = "Cross-site requests may not change campaigns.";
        assertError(request("/admin/campaigns").header("Origin", "https://evil.example")
                .post(Entity.json(SEED)), 403, msg);
        assertError(request("/admin/campaigns/" + id).header("Sec-Fetch-Site", "cross-site")
                .put(Entity.json("{\"redirect_url\":\"https://evil.example\"}")), 403, msg);
        assertError(request("/admin/campaigns/" + id).header("Origin", "null").delete(), 403, msg);
        assertThat(Tables.campaigns()).isEqualTo(before);
    }

    @Test
    void unknownPathsMethodsAndMediaTypesAreJsonErrors() {
        assertError(request("/admin/nothing").get(), 404, "Not found.");
        Response patch = request("/admin/campaigns/1").method("PATCH", Entity.json("{}"));
        assertThat(patch.getAllowedMethods()).contains("GET", "PUT", "DELETE");
        assertError(patch, 405, "Method not allowed.");
        assertError(request("/admin/campaigns").delete(), 405, "Method not allowed.");
        assertError(request("/admin/campaigns").accept(MediaType.TEXT_HTML_TYPE).get(), 406,
                "The media type asked for (Accept) is not served here.");
    }
}
