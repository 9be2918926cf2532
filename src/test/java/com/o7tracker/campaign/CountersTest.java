package com.o7tracker.campaign;

import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.o7tracker.counting.Buckets;
import com.o7tracker.counting.CounterStore;
import com.o7tracker.stats.Bucket;
import io.dropwizard.jackson.Jackson;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;
import org.junit.jupiter.api.Test;

/**
 * The click counters are named once, in {@link Counters}; what cannot derive its names from there
 * (the migrations, the OpenAPI document, the dashboard's platforms.js, the JSON records) is held to it
 * here, so that a platform added to one and forgotten in another fails this test.
 */
class CountersTest {

    @Test
    void theCountersAreTheHumansThePlatformsAndTheBots() {
        assertThat(Counters.NAMES).containsExactly("click_count", "android_click_count", "iphone_click_count",
                "windowsphone_click_count", "other_click_count", "bot_click_count");
        assertThat(Counters.BUCKET_COLUMNS).containsExactly("android", "iphone", "windowsphone", "other",
                "bot_android", "bot_iphone", "bot_windowsphone", "bot_other");
        assertThat(Counters.named(new long[] {1, 2, 3, 4, 5})).containsExactly(
                entry("click_count", 10L), entry("android_click_count", 1L),
                entry("iphone_click_count", 2L), entry("windowsphone_click_count", 3L),
                entry("other_click_count", 4L), entry("bot_click_count", 5L));
    }

    /** The SQL that moves the counters and buckets is fixed text (annotations), held to the names here. */
    @Test
    void theCountingSqlMovesEveryCounterAndBucketColumn() throws NoSuchMethodException {
        assertThat(Buckets.COLUMNS).isEqualTo(String.join(", ", Counters.BUCKET_COLUMNS));
        for (String column : Counters.BUCKET_COLUMNS) {
            assertThat(Buckets.ADD_ON_CONFLICT).as(column).contains(column + " = b." + column + " + EXCLUDED." + column);
        }
        Method add = Arrays.stream(CounterStore.class.getDeclaredMethods())
                .filter(m -> m.getName().equals("addToCounters")).findFirst().orElseThrow();
        String counters = add.getAnnotation(SqlUpdate.class).value();
        for (String name : Counters.NAMES) {
            assertThat(counters).as(name).contains(name + " = c." + name + " +");
        }
    }

    @Test
    void theMigrationsGiveEveryCounterAColumn() throws IOException {
        String campaigns = tableDefinitions("campaigns");
        for (String name : Counters.NAMES) {
            assertThat(campaigns).as("campaigns.%s", name).containsPattern("\\b" + name + "\\s+bigint");
        }
        for (String table : List.of("click_minutes", "click_hours")) {
            String buckets = tableDefinitions(table);
            for (String column : Counters.BUCKET_COLUMNS) {
                assertThat(buckets).as("%s.%s", table, column).containsPattern("\\b" + column + "\\s+bigint");
            }
        }
    }

    @Test
    void theOpenApiDocumentNamesEveryCounterOfACampaignAndABucket() throws IOException {
        JsonNode schemas = new ObjectMapper(new YAMLFactory()).readTree(Path.of("src/main/resources/openapi.yaml").toFile())
                .get("components").get("schemas");
        for (String schema : List.of("Campaign", "Bucket")) {
            List<String> properties = new ArrayList<>();
            schemas.get(schema).get("properties").fieldNames().forEachRemaining(properties::add);
            assertThat(properties).as(schema).containsSubsequence(Counters.NAMES);
        }
    }

    @Test
    void theDashboardShowsEveryCounterAndPlatform() throws IOException {
        String script = Files.readString(Path.of("src/main/resources/dashboard/platforms.js"));
        assertThat(quoted(constant(script, "COUNTERS"))).isEqualTo(Counters.NAMES);
        List<String> series = new ArrayList<>();
        for (Platform platform : Platform.values()) {
            series.addAll(List.of(platform.column(), Counters.name(platform)));
        }
        series.addAll(List.of("bot", Counters.BOTS));
        assertThat(quoted(constant(script, "SERIES")).stream().filter(s -> !s.startsWith("#")).toList()).isEqualTo(series);
        assertThat(quoted(constant(script, "PLATFORMS")))
                .isEqualTo(Arrays.stream(Platform.values()).map(Platform::canonical).toList());
    }

    @Test
    void aBucketCarriesTheCountersByTheirNamesInTheirOrder() {
        Bucket bucket = new Bucket(Instant.parse("2026-01-01T00:00:00Z"), 10, 1, 2, 3, 4, 5);
        JsonNode json = Jackson.newObjectMapper().valueToTree(bucket);
        List<String> fields = new ArrayList<>();
        json.fieldNames().forEachRemaining(fields::add);
        assertThat(fields).containsExactlyElementsOf(Stream.concat(Stream.of("start"), Counters.NAMES.stream()).toList());
        long[] inJsonOrder = Counters.NAMES.stream().mapToLong(name -> json.get(name).asLong()).toArray();
        assertThat(bucket.counters()).containsExactly(inJsonOrder);
    }

    /** Every CREATE TABLE of {@code table} and ALTER TABLE on it, across the migrations. */
    private static String tableDefinitions(String table) throws IOException {
        StringBuilder found = new StringBuilder();
        Pattern statement = Pattern.compile("(CREATE|ALTER)\\s+TABLE\\s+" + table + "\\b[^;]*;", Pattern.CASE_INSENSITIVE);
        try (Stream<Path> files = Files.list(Path.of("migrations"))) {
            for (Iterator<Path> it = files.sorted().iterator(); it.hasNext(); ) {
                Matcher m = statement.matcher(Files.readString(it.next()));
                while (m.find()) {
                    found.append(m.group()).append('\n');
                }
            }
        }
        assertThat(found).as("the migrations define %s", table).isNotEmpty();
        return found.toString();
    }

    /** The text of {@code const NAME = …;} in the script. */
    private static String constant(String script, String name) {
        Matcher m = Pattern.compile("const " + name + " = ([^;]*);").matcher(script);
        assertThat(m.find()).as("const %s in the dashboard's platforms.js", name).isTrue();
        return m.group(1);
    }

    private static List<String> quoted(String text) {
        List<String> strings = new ArrayList<>();
        Matcher m = Pattern.compile("'([^']*)'").matcher(text);
        while (m.find()) {
            strings.add(m.group(1));
        }
        return strings;
    }
}
