package com.o7tracker.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.o7tracker.O7TrackerConfiguration;
import com.o7tracker.dimension.Dimension;
import com.o7tracker.support.FuzzInput;
import com.o7tracker.support.Http;
import com.o7tracker.support.Json;
import com.o7tracker.support.TestApp;
import com.o7tracker.support.TestPostgres;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Fuzzes every input of the admin API through the whole service: the JSON bodies of create and
 * update, the list's query parameters, the id in the path, and the query parameters of the stats
 * series (their filters among them) and of the breakdowns (by, limit), over campaigns with clicks
 * of every dimension. The service never answers 5xx, every
 * error has the API's JSON error body, and a refused request leaves the campaigns table exactly as
 * it was (every row, every column).
 *
 * <p>Input: a first byte choosing the request ({@link #kind}), then its bytes: a body as sent, a
 * query or path made sendable by {@link FuzzInput#query} and {@link FuzzInput#pathSegment}. Of
 * {@link Kind#STATS}, the second byte's bits choose the campaign (1), one campaign's path or all
 * campaigns' (2), the series or the breakdown (4). For {@link Kind#LABELS}, a name (any UTF-16
 * code units, lone surrogates and control characters included, or UTF-8) and comma-separated
 * tags, written as valid JSON, whose answer is checked against the README's rules for names and
 * tags.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class AdminApiFuzzTest {

    static final DropwizardAppExtension<O7TrackerConfiguration> APP = TestApp.withoutMemcached();

    static final String FALLBACK = "https://fallback.example/";

    enum Kind { CREATE, UPDATE, LIST, UPDATE_BY_PATH, GET_BY_PATH, CREATE_OVERSIZED, STATS, LABELS }

    private static HttpClient client;
    private static Connection database;
    private static final List<Long> existing = new ArrayList<>();

    static {
        // Idle connections leave the client's pool well before Jetty's idle timeout (30 s) closes them.
        System.setProperty("jdk.httpclient.keepalive.timeout", "5");
    }

    @BeforeAll
    static void start() throws Exception {
        client = newClient();
        database = TestPostgres.shared().connect();
        Http http = new Http(APP.getLocalPort());
        existing.add(http.createCampaign("https://a.example/"));
        existing.add(http.createCampaign("https://b.example/path?q=1"));
        // Rows in the default range (the last 24 hours) of every dimension, values from visitors included.
        String[] values = {"DE", "(none)", "(other)", "\"=cmd\",<img src=x>", "-1+2", "ä\u00a0ü", "x".repeat(253)};
        try (Statement s = database.createStatement()) {
            for (long id : existing) {
                for (Dimension dimension : Dimension.values()) {
                    for (int i = 0; i < values.length; i++) {
                        s.execute("INSERT INTO click_dimension_hours (campaign_id, dimension, hour, value, android, bot_other)"
                                + " VALUES (" + id + ", '" + dimension.wireName() + "', date_trunc('hour', now()) - interval '"
                                + i + " hours', '" + values[i].replace("'", "''") + "', " + (i + 1) + ", " + i + ")");
                    }
                }
            }
        }
    }

    @AfterAll
    static void stop() throws SQLException {
        if (database != null) {
            database.close();
        }
    }

    @FuzzTest(maxDuration = "45s")
    @DictionaryEntries({"\"redirect_url\"", "\"platforms\"", "\"Android\"", "\"IPhone\"", "\"WindowsPhone\"",
        "\"https://", "http://", "\"id\"", "\"created_at\"", "\"click_count\"", "platforms=", "platform=",
        "limit=", "after=", "_", "&", ",", "null", "true", "1e400", "\\u0000", "\\ud800", "\"platform_urls\"",
        "\"forward_query\"", "\"Other\"", "{click_id}", "{platform}", "{campaign_id}", "interval=", "from=", "to=",
        "top=", "format=csv", "minute", "day", "2026-11-29T10:00:00Z", "+1000000000-12-31T23:59:59Z", "by=",
        "country=", "referrer=", "utm_source=", "utm_medium=", "utm_campaign=", "language=", "os=", "browser=",
        "(other)", "(none)", "DE", "limit=1000", "utm_", "\"name\"", "\"tags\"", "tag=", "tags=", "q=", "%25", "%5C",
        "%5F", "\u0085", "\u212a"})
    void neverA5xxAndARefusedRequestChangesNothing(byte[] data) throws Exception {
        FuzzInput.allowLoopbackConnections();
        Kind kind = kind(data);
        byte[] rest = FuzzInput.fields(data, 1)[0];
        String before = snapshot();
        String base = "http://127.0.0.1:" + APP.getLocalPort() + "/admin/campaigns";
        long target = existing.get((data.length > 1 ? data[1] & 1 : 0));
        SentLabels labels = SentLabels.of(data);

        HttpRequest.Builder request = switch (kind) {
            case CREATE -> post(base, rest);
            case CREATE_OVERSIZED -> post(base, repeatPast(rest, 64 * 1024));
            case UPDATE -> put(base + "/" + target, rest);
            case LIST -> HttpRequest.newBuilder(URI.create(base + "?" + FuzzInput.query(rest))).GET();
            case UPDATE_BY_PATH -> {
                byte[][] idAndBody = FuzzInput.fields(data, 2);
                yield put(base + "/" + FuzzInput.pathSegment(idAndBody[0]), idAndBody[1]);
            }
            case GET_BY_PATH -> HttpRequest.newBuilder(URI.create(base + "/" + FuzzInput.pathSegment(rest))).GET();
            case STATS -> HttpRequest.newBuilder(URI.create((data.length > 1 && (data[1] & 2) != 0
                    ? base + "/" + target + "/stats" : base.replace("/admin/campaigns", "/admin/stats"))
                    + (breakdown(data) ? "/breakdown" : "") + "?" + FuzzInput.query(rest))).GET();
            case LABELS -> {
                String body = labels.body();
                yield labels.create()
                        ? post(base, ("{\"redirect_url\":\"https://labels.example/\"," + body.substring(1)).getBytes(StandardCharsets.UTF_8))
                        : put(base + "/" + target, body.getBytes(StandardCharsets.UTF_8));
            }
        };
        HttpRequest built = authorized(request);
        HttpResponse<String> response;
        try {
            response = send(built);
        } catch (IOException e) {
            // Nothing may have been stored by a request that got no answer.
            assertThat(snapshot()).as("%s: %s", e, FuzzInput.utf8(rest)).isEqualTo(before);
            if (kind == Kind.CREATE_OVERSIZED) {
                // The 413 comes as soon as the declared length is read, and the connection closes
                // with the rest of the body unread: the client may see the reset before the answer
                // (a known limit, in the README).
                return;
            }
            // A pooled connection the server closed just then (the client does not resend a PUT or
            // a POST by itself): once more on a new connection, where an answer is due.
            client = newClient();
            response = send(built);
        }
        int status = response.statusCode();
        String what = kind + " " + response.request().uri() + " " + (kind == Kind.LABELS ? labels.body() : FuzzInput.utf8(rest))
                + " -> " + status + " " + response.body();

        assertThat(status).as(what).isLessThan(500).isIn(200, 201, 204, 307, 400, 404, 405, 413, 415, 422);
        if (status == 307) {
            // Jetty's parser refuses a path holding an encoded NUL before the service sees it, and
            // hands it on without its path: such a request gets the fallback (README, "a malformed URI").
            assertThat(response.request().uri().getRawPath()).as(what).contains("%00");
            assertThat(response.headers().firstValue("Location")).as(what).hasValue(FALLBACK);
            assertThat(snapshot()).as("a refused request changed the campaigns table: " + what).isEqualTo(before);
            return;
        }
        if (status >= 400) {
            assertThat(response.headers().firstValue("Content-Type")).as(what)
                    .hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
            JsonNode body = Json.parse(response.body());
            assertThat(body.size()).as(what).isEqualTo(2);
            assertThat(body.path("status").asText()).as(what).isEqualTo("error");
            assertThat(body.path("msg").isTextual()).as(what).isTrue();
            if (kind == Kind.LABELS) {
                assertThat(status).as(what).isEqualTo(422);
                assertThat(labels.expectedName() == null || labels.expectedTags() == null).as("refused, though valid: " + what).isTrue();
                assertThat(body.path("msg").asText()).as(what).startsWith(labels.expectedName() == null ? "name " : "tags ");
            }
            assertThat(snapshot()).as("a refused request changed the campaigns table: " + what).isEqualTo(before);
            return;
        }
        if (kind == Kind.LABELS) {
            JsonNode answer = Json.parse(response.body());
            assertThat(labels.expectedName()).as("accepted, though not a name: " + what).isNotNull();
            assertThat(labels.expectedTags()).as("accepted, though not tags: " + what).isNotNull();
            assertThat(answer.path("name").isNull() ? "" : answer.path("name").asText()).as(what).isEqualTo(labels.expectedName());
            List<String> tags = new ArrayList<>();
            answer.path("tags").forEach(tag -> tags.add(tag.asText()));
            assertThat(tags).as(what).isEqualTo(labels.expectedTags());
            if (labels.create()) {
                send(authorized(HttpRequest.newBuilder(URI.create(base + "/" + answer.get("id").asLong())).DELETE()));
            }
            return;
        }
        switch (kind) {
            case CREATE, CREATE_OVERSIZED -> {
                assertThat(status).as(what).isEqualTo(201);
                long id = Json.parse(response.body()).get("id").asLong();
                assertThat(count()).as(what).isEqualTo(countIn(before) + 1);
                HttpResponse<String> deleted = send(authorized(HttpRequest.newBuilder(URI.create(base + "/" + id)).DELETE()));
                assertThat(deleted.statusCode()).as(what).isEqualTo(204);
                assertThat(snapshot()).as("only the created row was added: " + what).isEqualTo(before);
            }
            case UPDATE, UPDATE_BY_PATH -> {
                assertThat(status).as(what).isEqualTo(200);
                assertThat(count()).as(what).isEqualTo(countIn(before));
            }
            case STATS -> {
                assertThat(status).as(what).isEqualTo(200);
                if (response.headers().firstValue("Content-Type").orElse("").startsWith("text/csv")) {
                    assertThat(response.body()).as(what).startsWith(breakdown(data) ? "value,click_count," : "start,click_count,");
                } else {
                    assertThat(Json.parse(response.body()).path(breakdown(data) ? "rows" : "buckets").isArray()).as(what).isTrue();
                }
                assertThat(snapshot()).as(what).isEqualTo(before);
            }
            case LIST -> {
                assertThat(status).as(what).isEqualTo(200);
                assertThat(Json.parse(response.body()).isArray()).as(what).isTrue();
                assertThat(snapshot()).as(what).isEqualTo(before);
            }
            case GET_BY_PATH -> {
                assertThat(status).as(what).isEqualTo(200);
                JsonNode body = Json.parse(response.body());
                if (body.isArray()) {
                    // ";x" is a segment of path parameters only: the path is /admin/campaigns/, the list.
                    String segment = FuzzInput.pathSegment(rest);
                    assertThat(segment.indexOf(';') < 0 ? segment : segment.substring(0, segment.indexOf(';')))
                            .as(what).isEmpty();
                } else {
                    assertThat(body.path("id").asLong()).as(what).isIn(existing);
                }
                assertThat(snapshot()).as(what).isEqualTo(before);
            }
        }
    }

    /**
     * A name and tags from the fuzzer's bytes, as a JSON body every client could send (non-ASCII as
     * \\u escapes, so a lone surrogate arrives as one), and what the README says becomes of them: the
     * name trimmed ("" for none), the tags in lower case without duplicates; null for a value the
     * service must refuse.
     */
    record SentLabels(String name, List<String> sentTags, boolean create) {

        static SentLabels of(byte[] data) {
            byte[][] fields = FuzzInput.fields(data, 2);
            boolean utf16 = data.length > 1 && (data[1] & 4) != 0;
            String name;
            if (utf16) {
                StringBuilder units = new StringBuilder();
                for (int i = 0; i + 1 < fields[0].length; i += 2) {
                    units.append((char) (((fields[0][i] & 0xFF) << 8) | (fields[0][i + 1] & 0xFF)));
                }
                name = units.toString();
            } else {
                name = FuzzInput.utf8(fields[0]);
            }
            List<String> tags = List.of(FuzzInput.utf8(fields[1]).split(",", -1));
            return new SentLabels(name, fields[1].length == 0 ? List.of() : tags, data.length > 1 && (data[1] & 2) != 0);
        }

        String body() {
            StringBuilder json = new StringBuilder("{\"name\":");
            string(json, name);
            json.append(",\"tags\":[");
            for (int i = 0; i < sentTags.size(); i++) {
                string(json.append(i == 0 ? "" : ","), sentTags.get(i));
            }
            return json.append("]}").toString();
        }

        private static void string(StringBuilder json, String s) {
            json.append('"');
            for (char c : s.toCharArray()) {
                if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
                    json.append(String.format("\\u%04x", (int) c));
                } else {
                    json.append(c);
                }
            }
            json.append('"');
        }

        String expectedName() {
            for (int i = 0; i < name.length(); i++) {
                char c = name.charAt(i);
                boolean paired = Character.isHighSurrogate(c) && i + 1 < name.length() && Character.isLowSurrogate(name.charAt(i + 1));
                if (Character.isISOControl(c) || (Character.isSurrogate(c) && !paired
                        && !(Character.isLowSurrogate(c) && i > 0 && Character.isHighSurrogate(name.charAt(i - 1))))) {
                    return null;
                }
            }
            String trimmed = name.strip();
            return trimmed.codePointCount(0, trimmed.length()) <= 200 ? trimmed : null;
        }

        List<String> expectedTags() {
            LinkedHashSet<String> tags = new LinkedHashSet<>();
            for (String tag : sentTags) {
                if (!tag.matches("[A-Za-z0-9_-]{1,50}")) {
                    return null;
                }
                tags.add(tag.toLowerCase(Locale.ROOT));
            }
            return tags.size() <= 20 ? List.copyOf(tags) : null;
        }
    }

    /**
     * The first byte's kind: 0xF0-0xF7 is {@link Kind#LABELS}, added later, and any other byte one
     * of the first seven, by its value modulo seven as before, so that every stored input (none
     * starts with 0xF0-0xF7) keeps the kind it was found with.
     */
    private static Kind kind(byte[] data) {
        int first = data.length == 0 ? 0 : data[0] & 0xFF;
        return first >= 0xF0 && first <= 0xF7 ? Kind.LABELS : Kind.values()[FuzzInput.choice(data, Kind.LABELS.ordinal())];
    }

    /** Of {@link Kind#STATS}: the breakdown, not the series. */
    private static boolean breakdown(byte[] data) {
        return data.length > 1 && (data[1] & 4) != 0;
    }

    private static HttpClient newClient() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();
    }

    private static HttpRequest.Builder post(String uri, byte[] body) {
        return HttpRequest.newBuilder(URI.create(uri)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    }

    private static HttpRequest.Builder put(String uri, byte[] body) {
        return HttpRequest.newBuilder(URI.create(uri)).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(body));
    }

    /** {@code bytes} repeated until the whole is longer than {@code limit}: the body-size limit's edge. */
    private static byte[] repeatPast(byte[] bytes, int limit) {
        if (bytes.length == 0) {
            return bytes;
        }
        byte[] out = new byte[limit + 1];
        for (int i = 0; i < out.length; i++) {
            out[i] = bytes[i % bytes.length];
        }
        return out;
    }

    /** Built once: a resend must not carry the Authorization header twice (a 401, rightly). */
    private static HttpRequest authorized(HttpRequest.Builder request) {
        return request.timeout(Duration.ofSeconds(10))
                .header("Authorization", Http.basic(Http.USER, Http.PASSWORD)).build();
    }

    private static HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    /** Every row, every column of the campaigns table, as one comparable value: "count:md5". */
    private static String snapshot() throws SQLException {
        try (Statement s = database.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT count(*), coalesce(md5(string_agg(c::text, '|' ORDER BY id)), '') FROM campaigns c")) {
            rs.next();
            return rs.getLong(1) + ":" + rs.getString(2);
        }
    }

    private static long count() throws SQLException {
        return countIn(snapshot());
    }

    private static long countIn(String snapshot) {
        return Long.parseLong(snapshot.substring(0, snapshot.indexOf(':')));
    }
}
