package com.o7tracker;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.simpleNameEndingWith;
import static com.tngtech.archunit.core.domain.properties.CanBeAnnotated.Predicates.annotatedWith;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.dropwizard.logging.common.BootstrapLogging;
import jakarta.ws.rs.Path;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The layout README.md's "Layout" names, held against the code: no two packages import each other,
 * even through others, and each package is reached only from the packages that sit above it. A
 * change that needs a new arrow changes this test and the README with it, in plain sight.
 */
class ArchitectureTest {

    static {
        // Dropwizard's start-up logging (warnings only), as in the other tests: the importer logs each class at debug.
        BootstrapLogging.bootstrap();
    }

    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("com.o7tracker");

    private static final int MAX_LINES = 300;

    /**
     * Files over {@link #MAX_LINES} lines with no "one piece" reason in their class comment, each
     * with why it may be for now. An entry no longer needed fails the test, so that it is removed.
     */
    private static final Map<String, String> TOO_LONG_FOR_NOW = Map.of();

    @Test
    void noPackageDependsOnItselfThroughOthers() {
        slices().matching("com.o7tracker.(*)..").should().beFreeOfCycles().check(MAIN);
    }

    @Test
    void eachPackageIsReachedOnlyFromTheLayersAboveIt() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("Wiring").definedBy("com.o7tracker")
                .layer("Track").definedBy("com.o7tracker.track..")
                .layer("Stats").definedBy("com.o7tracker.stats..")
                .layer("Events").definedBy("com.o7tracker.events..")
                .layer("InfluxDb").definedBy("com.o7tracker.influxdb..")
                .layer("Dashboard").definedBy("com.o7tracker.dashboard..")
                .layer("Auth").definedBy("com.o7tracker.auth..")
                .layer("Cache").definedBy("com.o7tracker.cache..")
                .layer("ClickId").definedBy("com.o7tracker.clickid..")
                .layer("Conversion").definedBy("com.o7tracker.conversion..")
                .layer("Geo").definedBy("com.o7tracker.geo..")
                .layer("Dimension").definedBy("com.o7tracker.dimension..")
                .layer("Notify").definedBy("com.o7tracker.notify..")
                .layer("Counting").definedBy("com.o7tracker.counting..")
                .layer("Campaign").definedBy("com.o7tracker.campaign..")
                .layer("Db").definedBy("com.o7tracker.db..")
                .layer("Web").definedBy("com.o7tracker.web..")
                .layer("Settings").definedBy("com.o7tracker.settings..")
                // The features at the top are wired in O7TrackerApplication and used by nothing else:
                // the click path, the admin side's stats, live events, dashboard and auth, the InfluxDB sink.
                .whereLayer("Track").mayOnlyBeAccessedByLayers("Wiring")
                .whereLayer("Stats").mayOnlyBeAccessedByLayers("Wiring")
                .whereLayer("Events").mayOnlyBeAccessedByLayers("Wiring")
                .whereLayer("InfluxDb").mayOnlyBeAccessedByLayers("Wiring")
                .whereLayer("Dashboard").mayOnlyBeAccessedByLayers("Wiring")
                .whereLayer("Auth").mayOnlyBeAccessedByLayers("Wiring")
                // Campaign lookups serve the click path alone.
                .whereLayer("Cache").mayOnlyBeAccessedByLayers("Wiring", "Track")
                // Click ids: signed on the click path, their keys rotated on the admin side.
                .whereLayer("ClickId").mayOnlyBeAccessedByLayers("Wiring", "Track", "Conversion")
                .whereLayer("ClickId").mayOnlyAccessLayers("Campaign", "Notify", "Web")
                // Conversions: counted from a postback's verified click id, on the admin side; told,
                // as counting tells its clicks, to its sinks (live events, InfluxDB) through a listener.
                .whereLayer("Conversion").mayOnlyBeAccessedByLayers("Wiring", "Events", "InfluxDb")
                .whereLayer("Conversion").mayOnlyAccessLayers("ClickId", "Campaign", "Web")
                // A click's country: read on the click path, from the one rule of the client's address.
                .whereLayer("Geo").mayOnlyBeAccessedByLayers("Wiring", "Track")
                .whereLayer("Geo").mayOnlyAccessLayers("Web", "Settings", "Dimension")
                // What a click records besides its counters: rules on what visitors send, using nothing.
                .whereLayer("Dimension").mayOnlyBeAccessedByLayers("Wiring", "Track", "Geo", "Counting", "Stats", "Events", "InfluxDb")
                .whereLayer("Dimension").mayNotAccessAnyLayer()
                // Notifications hand each channel to its subscribers; they know none of them.
                .whereLayer("Notify").mayOnlyBeAccessedByLayers("Wiring", "Cache", "Events", "ClickId", "Auth")
                .whereLayer("Notify").mayOnlyAccessLayers("Campaign", "Counting", "Db")
                // Counting tells its sinks (live events, InfluxDB) through listeners, and knows no cache.
                .whereLayer("Counting").mayOnlyAccessLayers("Campaign", "Dimension", "Web", "Settings")
                // The admin API tells a change through CampaignChanges, never the caches or events themselves.
                .whereLayer("Campaign").mayOnlyAccessLayers("Web", "Settings")
                .whereLayer("Db").mayOnlyBeAccessedByLayers("Wiring", "Cache", "Notify")
                .whereLayer("Db").mayOnlyAccessLayers("Settings")
                // Shared infrastructure: used by the features, using none of them.
                .whereLayer("Web").mayOnlyAccessLayers("Settings")
                .whereLayer("Settings").mayNotAccessAnyLayer()
                .check(MAIN);
    }

    /** The click path is a Jetty handler ahead of Jersey; it reaches PostgreSQL only through the cache and counting. */
    @Test
    void theClickPathUsesNeitherJerseyNorTheDatabase() {
        noClasses().that().resideInAPackage("com.o7tracker.track..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "jakarta.ws.rs..", "org.glassfish.jersey..", "org.jdbi..", "java.sql..")
                .check(MAIN);
    }

    /** Of the campaign package, the click path uses the values (an id, a platform, a destination), not the admin API. */
    @Test
    void theClickPathUsesNoneOfTheAdminApi() {
        noClasses().that().resideInAPackage("com.o7tracker.track..")
                .should().dependOnClassesThat(resideInAPackage("com.o7tracker.campaign..").and(
                        annotatedWith(Path.class).or(simpleNameEndingWith("Dao")).or(simpleNameEndingWith("Service"))
                                .or(simpleNameEndingWith("Request")).or(simpleNameEndingWith("Mapper"))))
                .check(MAIN);
    }

    @Test
    void noFileIsOverThreeHundredLinesUnlessItSaysWhyItIsOnePiece() throws IOException {
        java.nio.file.Path sources = java.nio.file.Path.of("src/main/java");
        Map<String, Integer> tooLong = new TreeMap<>();
        List<String> notTooLongAnyMore = new ArrayList<>(TOO_LONG_FOR_NOW.keySet());
        try (Stream<java.nio.file.Path> files = Files.walk(sources)) {
            for (java.nio.file.Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String name = sources.relativize(file).toString().replace('\\', '/');
                List<String> lines = Files.readAllLines(file);
                if (lines.size() <= MAX_LINES) {
                    continue;
                }
                notTooLongAnyMore.remove(name);
                if (!TOO_LONG_FOR_NOW.containsKey(name) && !classComment(lines).contains("one piece")) {
                    tooLong.put(name, lines.size());
                }
            }
        }
        assertThat(tooLong).as("files over %d lines whose class comment does not say why they are one piece",
                MAX_LINES).isEmpty();
        assertThat(notTooLongAnyMore).as("allowed to be too long, but no longer are: remove them from TOO_LONG_FOR_NOW")
                .isEmpty();
    }

    private static final Pattern TOP_LEVEL_TYPE = Pattern.compile(
            "^(public |abstract |final |sealed |non-sealed )*(class|interface|record|enum|@interface) .*");

    /** The javadoc of the file's first top-level type, on one line. */
    private static String classComment(List<String> lines) {
        int type = 0;
        while (type < lines.size() && !TOP_LEVEL_TYPE.matcher(lines.get(type)).matches()) {
            type++;
        }
        int start = type;
        while (start > 0 && !lines.get(start).startsWith("/**")) {
            start--;
        }
        StringBuilder comment = new StringBuilder();
        for (String line : lines.subList(start, type)) {
            comment.append(' ').append(line.replaceFirst("^\\s*(/\\*\\*|\\*/|\\*)?", "").trim());
        }
        return comment.toString().replaceAll("\\s+", " ");
    }
}
