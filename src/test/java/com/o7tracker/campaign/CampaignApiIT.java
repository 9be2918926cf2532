package com.o7tracker.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.o7tracker.O7TrackerConfiguration;
import com.o7tracker.support.Http;
import com.o7tracker.support.Json;
import com.o7tracker.support.Tables;
import com.o7tracker.support.TestApp;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Every status code, header and error body of the admin API, through the whole service. */
@ExtendWith(DropwizardExtensionsSupport.class)
class CampaignApiIT {

    static final DropwizardAppExtension<O7TrackerConfiguration> APP = TestApp.withMemcached();
    static final String SEED = """
            {"redirect_url":"https://github.com/otobrglez/o7tracker","platforms":["WindowsPhone","Android","IPhone"]}""";

    private Http http;

    @BeforeEach
    void setUp() {
        http = new Http(APP.getLocalPort());
    }

    private JsonNode create(String body) {
        HttpResponse<String> response = http.adminPost("/admin/campaigns", body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return Json.parse(response.body());
    }

    private static List<Long> ids(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        List<Long> ids = new ArrayList<>();
        Json.parse(response.body()).forEach(c -> ids.add(c.get("id").asLong()));
        return ids;
    }

    private static void assertError(HttpResponse<String> response, int status, String messagePart) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        JsonNode body = Json.parse(response.body());
        assertThat(body.get("status").asText()).isEqualTo("error");
        assertThat(body.get("msg").asText()).contains(messagePart);
        assertThat(body.size()).isEqualTo(2);
    }

    @Test
    void createAnswers201WithLocationAndTheSeedShape() {
        HttpResponse<String> response = http.adminPost("/admin/campaigns", SEED);
        assertThat(response.statusCode()).isEqualTo(201);
        JsonNode body = Json.parse(response.body());
        long id = body.get("id").asLong();
        assertThat(response.headers().firstValue("Location")).hasValue("/admin/campaigns/" + id);
        assertThat(id).isPositive().isLessThan(1L << 53);
        assertThat(body.get("redirect_url").asText()).isEqualTo("https://github.com/otobrglez/o7tracker");
        assertThat(body.get("platforms").toString()).isEqualTo("[\"WindowsPhone\",\"Android\",\"IPhone\"]");
        for (String counter : List.of("click_count", "android_click_count", "iphone_click_count", "windowsphone_click_count",
                "other_click_count", "bot_click_count")) {
            assertThat(body.get(counter).asLong()).isZero();
        }
        assertThat(Instant.parse(body.get("created_at").asText())).isBeforeOrEqualTo(Instant.now());
        assertThat(body.get("created_at").asText()).endsWith("Z");
        List<String> fields = new ArrayList<>();
        body.fieldNames().forEachRemaining(fields::add);
        assertThat(fields).containsExactly("id", "redirect_url", "created_at", "updated_at", "platforms",
                "click_count", "android_click_count", "iphone_click_count", "windowsphone_click_count",
                "other_click_count", "bot_click_count", "platform_urls", "forward_query", "name", "tags",
                "conversion_window_days", "conversion_count", "conversions", "revenue");
    }

    @Test
    void idsAreNotSequential() {
        long first = create(SEED).get("id").asLong();
        long second = create(SEED).get("id").asLong();
        assertThat(Math.abs(second - first)).isGreaterThan(1000);
    }

    @Test
    void theOriginalMisspelledPathServesTheSameApi() {
        HttpResponse<String> created = http.adminPost("/admin/campains", SEED);
        assertThat(created.statusCode()).isEqualTo(201);
        long id = Json.parse(created.body()).get("id").asLong();
        assertThat(http.adminGet("/admin/campains/" + id).statusCode()).isEqualTo(200);
        assertThat(http.adminGet("/admin/campains").statusCode()).isEqualTo(200);
        assertThat(http.adminDelete("/admin/campains/" + id).statusCode()).isEqualTo(204);
    }

    @Test
    void curlsDefaultFormContentTypeIsReadAsJson() {
        HttpResponse<String> response = http.send(http.admin("/admin/campaigns")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(SEED)));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        assertThat(Json.parse(response.body()).get("redirect_url").asText()).isEqualTo("https://github.com/otobrglez/o7tracker");
        HttpResponse<String> plain = http.send(http.admin("/admin/campaigns")
                .header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString(SEED)));
        assertThat(plain.statusCode()).isEqualTo(201);
    }

    @Test
    void aUrlWithAnInternationalisedHostIsKeptAsGivenAndRedirectedToInTheFormBrowsersSend() {
        String url = "https://b\u00fccher.de/stra\u00dfe?q=\u00e4";
        JsonNode created = create("{\"redirect_url\":\"" + url + "\",\"platform_urls\":{\"Android\":\"https://\u0444.example/\u0444\"}}");
        assertThat(created.get("redirect_url").asText()).isEqualTo(url);
        long id = created.get("id").asLong();
        JsonNode read = Json.parse(http.adminGet("/admin/campaigns/" + id).body());
        assertThat(read.get("redirect_url").asText()).isEqualTo(url);
        assertThat(read.get("platform_urls").get("Android").asText()).isEqualTo("https://\u0444.example/\u0444");

        HttpResponse<String> click = http.get("/track/" + id);
        assertThat(click.statusCode()).isEqualTo(307);
        assertThat(click.headers().firstValue("Location")).hasValue("https://xn--bcher-kva.de/stra%C3%9Fe?q=%C3%A4");
        assertThat(http.get("/track/" + id + "?platform=Android").headers().firstValue("Location"))
                .hasValue("https://xn--t1a.example/%D1%84");
        assertError(http.adminPost("/admin/campaigns", "{\"redirect_url\":\"https://b\uFFFDcher.de/\"}"), 422,
                "redirect_url must have a host.");
    }

    @Test
    void getAnswersTheCampaignOr404() {
        long id = create(SEED).get("id").asLong();
        HttpResponse<String> found = http.adminGet("/admin/campaigns/" + id);
        assertThat(found.statusCode()).isEqualTo(200);
        assertThat(Json.parse(found.body()).get("id").asLong()).isEqualTo(id);
        assertError(http.adminGet("/admin/campaigns/12345"), 404, "12345");
        assertError(http.adminGet("/admin/campaigns/abc"), 400, "abc");
        assertError(http.adminGet("/admin/campaigns/-4"), 400, "-4");
        assertError(http.adminGet("/admin/campaigns/+12345"), 400, "+12345");
        assertError(http.adminGet("/admin/campaigns/9007199254740992"), 400, "9007199254740992");
    }

    @Test
    void missingOrWrongCredentialsAre401WithTheChallenge() {
        List<HttpRequest.Builder> requests = List.of(
                http.request("/admin/campaigns").GET(),
                http.request("/admin/campaigns").header("Authorization", Http.basic(Http.USER, "secret-pa55")).GET(),
                http.request("/admin/campaigns").header("Authorization", Http.basic("ADMIN", Http.PASSWORD)).GET(),
                http.request("/admin/campaigns").header("Authorization", "Basic !!!").GET(),
                http.request("/admin/campaigns").POST(HttpRequest.BodyPublishers.ofString(SEED)),
                http.request("/tasks/update_stats").GET());
        for (HttpRequest.Builder request : requests) {
            HttpResponse<String> response = http.send(request);
            assertThat(response.statusCode()).isEqualTo(401);
            assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"o7tracker\"");
            assertThat(response.body()).isEqualTo("{\"status\":\"error\",\"msg\":\"Missing or wrong credentials.\"}");
        }
    }

    @Test
    void listIsABareArrayNewestFirst() {
        long older = create(SEED).get("id").asLong();
        long newer = create(SEED).get("id").asLong();
        HttpResponse<String> response = http.adminGet("/admin/campaigns");
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode list = Json.parse(response.body());
        assertThat(list.isArray()).isTrue();
        List<Long> ids = new ArrayList<>();
        list.forEach(c -> ids.add(c.get("id").asLong()));
        assertThat(ids.indexOf(newer)).isGreaterThanOrEqualTo(0).isLessThan(ids.indexOf(older));
    }

    @Test
    void listFiltersByAnyOfThePlatforms() {
        long android = create("{\"redirect_url\":\"https://a.example\",\"platforms\":[\"Android\"]}").get("id").asLong();
        long iphone = create("{\"redirect_url\":\"https://i.example\",\"platforms\":[\"IPhone\"]}").get("id").asLong();
        long windows = create("{\"redirect_url\":\"https://w.example\",\"platforms\":[\"WindowsPhone\"]}").get("id").asLong();
        List<Long> both = ids(http.adminGet("/admin/campaigns?platforms=Android,WindowsPhone&limit=1000"));
        assertThat(both).contains(android, windows).doesNotContain(iphone);
        List<Long> original = ids(http.adminGet("/admin/campaigns?platform=iphone&limit=1000"));
        assertThat(original).contains(iphone).doesNotContain(android, windows);
        assertError(http.adminGet("/admin/campaigns?platforms=Android,Symbian"), 400, "Symbian");
    }

    /** Every campaign a list answers, following its Link headers from {@code first}, with pages of at most {@code size}. */
    private List<Long> walk(String first, int size) {
        List<Long> all = new ArrayList<>();
        String next = first;
        for (int pages = 0; next != null; pages++) {
            assertThat(pages).as("pages of " + first).isLessThan(100);
            HttpResponse<String> page = http.adminGet(next);
            List<Long> ids = ids(page);
            assertThat(ids.size()).isLessThanOrEqualTo(size);
            all.addAll(ids);
            next = page.headers().firstValue("Link").map(link -> link.substring(1, link.indexOf('>'))).orElse(null);
        }
        return all;
    }

    @Test
    void nameAndTagsAreSetChangedAndClearedAndEveryAnswerHasThem() {
        JsonNode plain = create(SEED);
        assertThat(plain.get("name").isNull()).isTrue();
        assertThat(plain.get("tags").toString()).isEqualTo("[]");
        long plainId = plain.get("id").asLong();
        assertThat(Json.parse(http.adminGet("/admin/campaigns/" + plainId).body()).get("tags").toString()).isEqualTo("[]");

        JsonNode created = create("""
                {"redirect_url":"https://example.com/spring","name":" Spring sale ","tags":["Spring","EU","spring"]}""");
        long id = created.get("id").asLong();
        assertThat(created.get("name").asText()).isEqualTo("Spring sale");
        assertThat(created.get("tags").toString()).isEqualTo("[\"spring\",\"eu\"]");
        assertThat(Json.parse(http.adminGet("/admin/campaigns/" + id).body())).isEqualTo(created);

        JsonNode other = Json.parse(http.adminPut("/admin/campaigns/" + id, "{\"forward_query\":true}").body());
        assertThat(other.get("name")).isEqualTo(created.get("name"));
        assertThat(other.get("tags")).isEqualTo(created.get("tags"));
        JsonNode renamed = Json.parse(http.adminPut("/admin/campaigns/" + id, "{\"name\":\"Summer\",\"tags\":[\"summer\"]}").body());
        assertThat(renamed.get("name").asText()).isEqualTo("Summer");
        assertThat(renamed.get("tags").toString()).isEqualTo("[\"summer\"]");

        HttpResponse<String> resent = http.adminPut("/admin/campaigns/" + id, renamed.toString());
        assertThat(resent.statusCode()).as(resent.body()).isEqualTo(200);
        assertThat(Json.parse(resent.body()).get("name")).isEqualTo(renamed.get("name"));
        assertThat(Json.parse(resent.body()).get("tags")).isEqualTo(renamed.get("tags"));

        JsonNode cleared = Json.parse(http.adminPut("/admin/campaigns/" + id, "{\"name\":null,\"tags\":null}").body());
        assertThat(cleared.get("name").isNull()).isTrue();
        assertThat(cleared.get("tags").toString()).isEqualTo("[]");
        JsonNode blank = Json.parse(http.adminPut("/admin/campaigns/" + id, "{\"name\":\"x\",\"tags\":[\"x\"]}").body());
        assertThat(blank.get("name").asText()).isEqualTo("x");
        JsonNode emptied = Json.parse(http.adminPut("/admin/campaigns/" + id, "{\"name\":\"  \",\"tags\":[]}").body());
        assertThat(emptied.get("name").isNull()).isTrue();
        assertThat(emptied.get("tags").toString()).isEqualTo("[]");
        assertThat(ids(http.adminGet("/admin/campaigns?limit=1000"))).contains(id, plainId);
    }

    @Test
    void listFiltersByAnyTagAndByTextWithThePlatformsAcrossPages() {
        String run = "r" + System.nanoTime();
        long a = create("{\"redirect_url\":\"https://a.example/" + run + "\",\"platforms\":[\"Android\"],\"tags\":[\"" + run + "-spring\"]}")
                .get("id").asLong();
        long b = create("{\"redirect_url\":\"https://b.example/\",\"platforms\":[\"IPhone\"],\"name\":\"50% OFF " + run + "\","
                + "\"tags\":[\"" + run + "-summer\"]}").get("id").asLong();
        long c = create("{\"redirect_url\":\"https://c.example/\",\"platforms\":[\"Android\"],\"name\":\"500 off " + run + "\","
                + "\"tags\":[\"" + run + "-SPRING\",\"" + run + "-summer\"]}").get("id").asLong();
        long d = create("{\"redirect_url\":\"https://d.example/\",\"platforms\":[\"Android\"],\"tags\":[\"" + run + "-winter\"]}")
                .get("id").asLong();

        assertThat(walk("/admin/campaigns?tag=" + run + "-Spring," + run + "-summer&limit=1", 1)).containsExactly(c, b, a);
        assertThat(walk("/admin/campaigns?tag=" + run + "-spring&tags=" + run + "-winter&platforms=Android&limit=2", 2))
                .containsExactly(d, c, a);
        assertThat(walk("/admin/campaigns?q=" + run + "&limit=1", 1)).containsExactly(c, b, a);
        assertThat(walk("/admin/campaigns?q=50%25%20off%20" + run.toUpperCase(java.util.Locale.ROOT) + "&limit=1", 1))
                .as("%% as itself, in any case").containsExactly(b);
        assertThat(walk("/admin/campaigns?q=" + run + "&tag=" + run + "-summer&platform=android&limit=1", 1)).containsExactly(c);
        assertThat(walk("/admin/campaigns?q=" + run + "&tag=" + run + "-winter", 100)).isEmpty();
        assertError(http.adminGet("/admin/campaigns?tag=spring%20sale"), 400, "Query parameter tag holds 'spring sale'");
        assertError(http.adminGet("/admin/campaigns?q="), 400, "Query parameter q must be 1 to 200 characters");
    }

    @Test
    void listPagesWithAKeysetCursorInTheLinkHeader() {
        for (int i = 0; i < 5; i++) {
            create(SEED);
        }
        List<Long> all = ids(http.adminGet("/admin/campaigns?limit=1000"));
        List<Long> paged = new ArrayList<>();
        String next = "/admin/campaigns?limit=2";
        int pages = 0;
        while (next != null && pages < 1000) {
            HttpResponse<String> page = http.adminGet(next);
            assertThat(page.statusCode()).isEqualTo(200);
            List<Long> ids = ids(page);
            assertThat(ids.size()).isLessThanOrEqualTo(2);
            paged.addAll(ids);
            next = page.headers().firstValue("Link")
                    .map(link -> {
                        assertThat(link).endsWith("; rel=\"next\"");
                        return link.substring(1, link.indexOf('>'));
                    })
                    .orElse(null);
            pages++;
        }
        assertThat(paged).isEqualTo(all);
        assertError(http.adminGet("/admin/campaigns?limit=0"), 400, "limit");
        assertError(http.adminGet("/admin/campaigns?limit=1001"), 400, "limit");
        assertError(http.adminGet("/admin/campaigns?after=nonsense"), 400, "after");
    }

    @Test
    void cursorsThatNoLinkHeaderGivesAre400() {
        create(SEED);
        for (String after : List.of("9223372036854775807_5928566696968192", "-9223372036854775808_5928566696968192",
                "253402300800000000_5928566696968192", "-1_5928566696968192", "1460324864519184_-5",
                "1460324864519184_0", "1460324864519184_9223372036854775807", "1460324864519184_9007199254740992",
                "99999999999999999999_1", "1460324864519184_99999999999999999999", "+1460324864519184_1",
                "1460324864519184_+1", "_", "1_", "_1", "1_2_3", "1.5_2", "", "%E2%82%AC_1", "1e6_1")) {
            assertError(http.adminGet("/admin/campaigns?after=" + after), 400, "after");
        }
    }

    @Test
    void malformedJsonIsAnsweredByPositionWithoutEchoingTheBody() {
        HttpResponse<String> token = http.adminPost("/admin/campaigns", "{\"redirect_url\": leaked-token-123}");
        assertError(token, 400, "Request body is not valid JSON (line 1, column ");
        assertThat(token.body()).doesNotContain("leaked", "token", "123", "expecting");
        HttpResponse<String> control = http.adminPost("/admin/campaigns", "{\"redirect_url\":\"https://x.example\n\u0001\"}");
        assertError(control, 400, "Request body is not valid JSON (line 1, column ");
        assertThat(control.body()).doesNotContain("CTRL", "code");
        assertError(http.adminPost("/admin/campaigns", "{\"a\":1,\n\"b\":}"), 400,
                "Request body is not valid JSON (line 2, column 5).");
        assertError(http.adminPost("/admin/campaigns", "{\"redirect_url\":\"https://x.example\",\"redirect_url\":1}"), 400,
                "Request body has the field redirect_url twice.");
    }

    @Test
    void updateReplacesOnlyTheFieldsGivenAndMovesUpdatedAt() {
        JsonNode created = create(SEED);
        long id = created.get("id").asLong();
        HttpResponse<String> response = http.adminPut("/admin/campaigns/" + id, """
                {"redirect_url":"https://new.example/path?q=1","id":1,"click_count":99,"created_at":"2000-01-01T00:00:00Z"}""");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode updated = Json.parse(response.body());
        assertThat(updated.get("id").asLong()).isEqualTo(id);
        assertThat(updated.get("redirect_url").asText()).isEqualTo("https://new.example/path?q=1");
        assertThat(updated.get("platforms")).isEqualTo(created.get("platforms"));
        assertThat(updated.get("click_count").asLong()).isZero();
        assertThat(updated.get("created_at")).isEqualTo(created.get("created_at"));
        assertThat(Instant.parse(updated.get("updated_at").asText()))
                .isAfter(Instant.parse(created.get("updated_at").asText()));

        JsonNode platformsOnly = Json.parse(http.adminPut("/admin/campaigns/" + id,
                "{\"platforms\":[\"android\",\"Android\"]}").body());
        assertThat(platformsOnly.get("platforms").toString()).isEqualTo("[\"Android\"]");
        assertThat(platformsOnly.get("redirect_url").asText()).isEqualTo("https://new.example/path?q=1");

        assertError(http.adminPut("/admin/campaigns/77777", "{\"platforms\":[]}"), 404, "77777");
    }

    @Test
    void platformUrlsAndForwardQueryAreSetPartlyChangedAndRemoved() {
        JsonNode plain = create(SEED);
        assertThat(plain.get("platform_urls").toString()).as("{} when none").isEqualTo("{}");
        assertThat(plain.get("forward_query").booleanValue()).isFalse();
        assertThat(plain.get("other_click_count").asLong()).isZero();
        assertThat(plain.get("bot_click_count").asLong()).isZero();

        JsonNode created = create("""
                {"redirect_url":"https://example.com/landing","platforms":["Android","IPhone","Other"],
                 "platform_urls":{"android":"https://play.google.com/store/apps/details?id=com.example",
                                  "IPHONE":"https://apps.apple.com/app/id123"},
                 "forward_query":true}""");
        long id = created.get("id").asLong();
        assertThat(created.get("platforms").toString()).isEqualTo("[\"Android\",\"IPhone\",\"Other\"]");
        assertThat(created.get("platform_urls").toString()).as("keys stored canonically").isEqualTo(
                "{\"Android\":\"https://play.google.com/store/apps/details?id=com.example\","
                        + "\"IPhone\":\"https://apps.apple.com/app/id123\"}");
        assertThat(created.get("forward_query").booleanValue()).isTrue();
        assertThat(Json.parse(http.adminGet("/admin/campaigns/" + id).body())).isEqualTo(created);

        // Set one entry, remove one, keep the rest and every other field.
        JsonNode changed = Json.parse(http.adminPut("/admin/campaigns/" + id,
                "{\"platform_urls\":{\"IPhone\":null,\"windowsphone\":\"https://www.microsoft.com/store/apps/9x\"}}").body());
        assertThat(changed.get("platform_urls").toString()).isEqualTo(
                "{\"Android\":\"https://play.google.com/store/apps/details?id=com.example\","
                        + "\"WindowsPhone\":\"https://www.microsoft.com/store/apps/9x\"}");
        assertThat(changed.get("forward_query").booleanValue()).isTrue();
        assertThat(changed.get("redirect_url")).isEqualTo(created.get("redirect_url"));

        JsonNode cleared = Json.parse(http.adminPut("/admin/campaigns/" + id,
                "{\"platform_urls\":null,\"forward_query\":false}").body());
        assertThat(cleared.get("platform_urls").toString()).isEqualTo("{}");
        assertThat(cleared.get("forward_query").booleanValue()).isFalse();

        // A campaign as read, sent back, changes nothing but updated_at.
        JsonNode resent = Json.parse(http.adminPut("/admin/campaigns/" + id, changed.toString()).body());
        assertThat(resent.get("platform_urls")).isEqualTo(changed.get("platform_urls"));
        assertThat(resent.get("forward_query")).isEqualTo(changed.get("forward_query"));

        assertThat(ids(http.adminGet("/admin/campaigns?platforms=Other&limit=1000"))).contains(id)
                .doesNotContain(plain.get("id").asLong());
    }

    @Test
    void deleteAnswers204Then404() {
        long id = create(SEED).get("id").asLong();
        HttpResponse<String> deleted = http.adminDelete("/admin/campaigns/" + id);
        assertThat(deleted.statusCode()).isEqualTo(204);
        assertThat(deleted.body()).isEmpty();
        assertError(http.adminDelete("/admin/campaigns/" + id), 404, Long.toString(id));
        assertError(http.adminGet("/admin/campaigns/" + id), 404, Long.toString(id));
    }

    @Test
    void unknownAdminPathsAndMethodsAreJsonErrors() {
        assertError(http.adminGet("/admin/nothing"), 404, "Not found");
        HttpResponse<String> patch = http.send(http.admin("/admin/campaigns/1").method("PATCH",
                HttpRequest.BodyPublishers.ofString("{}")));
        assertError(patch, 405, "Method not allowed");
        assertError(http.send(http.admin("/admin/campaigns").DELETE()), 405, "Method not allowed");
    }

    @Test
    void updateStatsAppliesEveryServedClickBeforeAnswering() {
        long id = create(SEED).get("id").asLong();
        for (int i = 0; i < 7; i++) {
            assertThat(http.get("/track/" + id + "?platform=IPhone").statusCode()).isEqualTo(307);
        }
        HttpResponse<String> response = http.adminGet("/tasks/update_stats");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("Updated.");
        assertThat(Tables.counters(id)).containsExactly(7, 0, 7, 0, 0, 0);
    }

    @Test
    void crossSiteWritesAreRefused() throws InterruptedException {
        long id = create(SEED).get("id").asLong();
        http.updateStats(); // other tests' clicks applied first: the rows below change only by what this test does
        List<String> before = Tables.campaigns();
        HttpResponse<String> foreign = http.send(http.admin("/admin/campaigns").header("Origin", "https://evil.example")
                .POST(HttpRequest.BodyPublishers.ofString(SEED)));
        assertError(foreign, 403, "Cross-site requests may not change campaigns.");
        assertThat(foreign.body()).doesNotContain("evil");
        assertError(http.send(http.admin("/admin/campaigns/" + id).header("Sec-Fetch-Site", "cross-site")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"redirect_url\":\"https://evil.example\"}"))), 403, "Cross-site");
        assertError(http.send(http.admin("/admin/campaigns/" + id).header("Origin", "null").DELETE()), 403, "Cross-site");
        assertThat(Tables.campaigns()).isEqualTo(before);
        HttpResponse<String> sameOrigin = http.send(http.admin("/admin/campaigns/" + id)
                .header("Origin", "http://127.0.0.1:" + APP.getLocalPort()).header("Sec-Fetch-Site", "same-origin")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"redirect_url\":\"https://ok.example\"}")));
        assertThat(sameOrigin.statusCode()).isEqualTo(200);
    }

    @Test
    void everyKindOfBadInputIsRefusedAndChangesNothing() {
        long id = create(SEED).get("id").asLong();
        String big = "{\"redirect_url\":\"https://x.example/" + "a".repeat(70_000) + "\"}";
        record Bad(Supplier<HttpResponse<String>> call, int status, String messagePart) {
        }
        List<Bad> cases = List.of(
                new Bad(() -> http.adminPost("/admin/campaigns", "{\"redirect_url\":"), 400, "not valid JSON"),
                new Bad(() -> http.adminPost("/admin/campaigns", ""), 400, "empty"),
                new Bad(() -> http.adminPost("/admin/campaigns", "[1,2]"), 400, "JSON object"),
                new Bad(() -> http.adminPost("/admin/campaigns", "{\"platforms\":[\"Android\"]}"), 422, "redirect_url is required"),
                new Bad(() -> http.adminPost("/admin/campaigns", "{\"redirect_url\":42}"), 422, "redirect_url must be a string"),
                new Bad(() -> http.adminPost("/admin/campaigns", "{\"redirect_url\":\"\"}"), 422, "redirect_url"),
                new Bad(() -> http.adminPost("/admin/campaigns", "{\"redirect_url\":\"/relative\"}"), 422, "absolute http or https"),
                new Bad(() -> http.adminPost("/admin/campaigns", "{\"redirect_url\":\"javascript:alert(1)\"}"), 422, "absolute http or https"),
                new Bad(() -> http.adminPost("/admin/campaigns", "{\"redirect_url\":\"ftp://x.example\"}"), 422, "absolute http or https"),
                new Bad(() -> http.adminPost("/admin/campaigns", "{\"redirect_url\":\"http:///nohost\"}"), 422, "host"),
                new Bad(() -> http.adminPost("/admin/campaigns", "{\"redirect_url\":\"http://a b.example\"}"), 422, "redirect_url"),
                new Bad(() -> http.adminPost("/admin/campaigns", "{\"redirect_url\":\"https://x.example/"
                        + "a".repeat(2100) + "\"}"), 422, "2048"),
                new Bad(() -> http.adminPost("/admin/campaigns", "{\"redirect_url\":\"https://x.example\",\"platforms\":[\"Symbian\"]}"), 422, "Symbian"),
                new Bad(() -> http.adminPost("/admin/campaigns", "{\"redirect_url\":\"https://x.example\",\"platforms\":\"Android\"}"), 422, "platforms must be an array"),
                new Bad(() -> http.adminPost("/admin/campaigns", "{\"redirect_url\":\"https://x.example\",\"platforms\":[1]}"), 422, "platforms"),
                new Bad(() -> http.adminPost("/admin/campaigns", "{\"redirect_url\":\"https://x.example\",\"colour\":\"red\"}"), 422, "colour"),
                new Bad(() -> http.adminPost("/admin/campaigns", "{\"redirect_url\":\"https://x.example\",\"redirect_url\":\"https://y.example\"}"), 400, "redirect_url"),
                new Bad(() -> http.adminPost("/admin/campaigns", big), 413, "64 KiB"),
                new Bad(() -> http.adminPut("/admin/campaigns/" + id, "{\"redirect_url\":\"mailto:a@b.example\"}"), 422, "absolute http or https"),
                new Bad(() -> http.adminPut("/admin/campaigns/" + id, "{\"platforms\":[\"Android\",\"Blackberry\"]}"), 422, "Blackberry"),
                new Bad(() -> http.adminPut("/admin/campaigns/" + id, "{\"redirect_url\":\"https://ok.example\",\"bogus\":1}"), 422, "bogus"),
                new Bad(() -> http.adminPut("/admin/campaigns/" + id, "nope"), 400, "not valid JSON"),
                new Bad(() -> http.adminPut("/admin/campaigns/" + id, big), 413, "64 KiB"),
                new Bad(() -> http.adminPut("/admin/campaigns/x" + id, "{}"), 400, "x" + id),
                // platform_urls: an object of platform names to URLs, each URL held to redirect_url's rules.
                new Bad(() -> http.adminPost("/admin/campaigns", "{\"redirect_url\":\"https://x.example\",\"platform_urls\":[]}"), 422, "platform_urls must be an object"),
                new Bad(() -> http.adminPost("/admin/campaigns", "{\"redirect_url\":\"https://x.example\",\"platform_urls\":{\"Desktop\":\"https://d.example\"}}"), 422, "platform_urls holds unknown platform 'Desktop'"),
                new Bad(() -> http.adminPost("/admin/campaigns", "{\"redirect_url\":\"https://x.example\",\"platform_urls\":{\"android\":\"market://details?id=x\"}}"), 422, "platform_urls.Android must be an absolute http or https URL"),
                new Bad(() -> http.adminPost("/admin/campaigns", "{\"redirect_url\":\"https://x.example\",\"platform_urls\":{\"IPhone\":42}}"), 422, "platform_urls.IPhone must be a string"),
                new Bad(() -> http.adminPost("/admin/campaigns", "{\"redirect_url\":\"https://x.example\",\"platform_urls\":{\"Other\":\"https://x.example/"
                        + "a".repeat(2100) + "\"}}"), 422, "platform_urls.Other must be at most 2048"),
                new Bad(() -> http.adminPost("/admin/campaigns", "{\"redirect_url\":\"https://x.example\",\"platform_urls\":{\"Android\":\"https://a.example\",\"ANDROID\":\"https://b.example\"}}"), 422, "platform_urls names Android more than once"),
                new Bad(() -> http.adminPut("/admin/campaigns/" + id, "{\"platform_urls\":{\"WindowsPhone\":\"http:///nohost\"}}"), 422, "platform_urls.WindowsPhone must have a host"),
                new Bad(() -> http.adminPut("/admin/campaigns/" + id, "{\"platform_urls\":\"https://x.example\"}"), 422, "platform_urls must be an object"),
                // forward_query: a boolean; templates: only the three placeholders.
                new Bad(() -> http.adminPost("/admin/campaigns", "{\"redirect_url\":\"https://x.example\",\"forward_query\":\"yes\"}"), 422, "forward_query must be true or false"),
                new Bad(() -> http.adminPut("/admin/campaigns/" + id, "{\"forward_query\":1}"), 422, "forward_query must be true or false"),
                new Bad(() -> http.adminPost("/admin/campaigns", "{\"redirect_url\":\"https://x.example/?c={clickid}\"}"), 422, "{click_id}, {campaign_id} and {platform}"),
                new Bad(() -> http.adminPut("/admin/campaigns/" + id, "{\"platform_urls\":{\"Android\":\"https://x.example/{user}\"}}"), 422, "platform_urls.Android is not a valid URL"),
                new Bad(() -> http.adminPost("/admin/campaigns", "{\"redirect_url\":\"https://x.example/" + "\u00e4".repeat(1200) + "\"}"), 422, "redirect_url is too long for a redirect"),
                // What the client sent is quoted in part only.
                new Bad(() -> http.adminPost("/admin/campaigns", "{\"redirect_url\":\"https://x.example\",\"platform_urls\":{\""
                        + "k".repeat(5_000) + "\":\"https://x.example\"}}"), 422, "'" + "k".repeat(64) + "…'; known"),
                // name and tags: text without control characters, tags of a-z, 0-9, '-' and '_'.
                new Bad(() -> http.adminPost("/admin/campaigns", "{\"redirect_url\":\"https://x.example\",\"name\":\"a\\u0000b\"}"), 422, "name must not hold control characters"),
                new Bad(() -> http.adminPut("/admin/campaigns/" + id, "{\"name\":\"" + "n".repeat(201) + "\"}"), 422, "name must be at most 200"),
                new Bad(() -> http.adminPut("/admin/campaigns/" + id, "{\"tags\":[\"ok\",\"not ok\"]}"), 422, "tags holds 'not ok'"),
                new Bad(() -> http.adminPut("/admin/campaigns/" + id, "{\"tags\":\"ok\"}"), 422, "tags must be an array"),
                new Bad(() -> http.adminGet("/admin/campaigns?tag=%25"), 400, "Query parameter tag holds '%'"),
                new Bad(() -> http.adminGet("/admin/campaigns?q=" + "q".repeat(201)), 400, "Query parameter q must be 1 to 200"));
        List<String> before = Tables.campaigns();
        for (Bad bad : cases) {
            assertError(bad.call().get(), bad.status(), bad.messagePart());
        }
        assertThat(Tables.campaigns()).isEqualTo(before);
    }

    @Test
    void theOpsPortAnswersUnknownPathsWithA404NotARedirect() {
        HttpResponse<String> response = new Http(APP.getAdminPort()).get("/no-such-endpoint");
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body()).contains("\"status\":\"error\"");
    }

    @Test
    void anythingAfterTheJsonObjectIsRefusedAndNothingIsStored() {
        Http http = new Http(APP.getLocalPort());
        List<String> before = Tables.campaigns();
        for (String body : List.of("{\"redirect_url\":\"https://a.example/\"}{\"x\":1}",
                "{\"redirect_url\":\"https://a.example/\"} garbage", "{\"redirect_url\":\"https://a.example/\"}]")) {
            HttpResponse<String> response = http.adminPost("/admin/campaigns", body);
            assertThat(response.statusCode()).as(body).isEqualTo(400);
            assertThat(response.body()).contains("\"status\":\"error\"");
        }
        assertThat(Tables.campaigns()).isEqualTo(before);
    }
}
