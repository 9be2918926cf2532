package com.o7tracker.geo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.codahale.metrics.MetricRegistry;
import com.o7tracker.support.Await;
import com.o7tracker.web.ClientAddress;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Country databases in both formats, as MaxMind's own writer makes them (src/test/resources/geo,
 * made by its script), and a database file replaced under a running service.
 */
class CountryDatabaseTest {

    @TempDir
    Path folder;
    private final ScheduledExecutorService checks = Executors.newSingleThreadScheduledExecutor();
    private final MetricRegistry metrics = new MetricRegistry();

    @AfterEach
    void stopChecks() {
        checks.shutdownNow();
    }

    @Test
    void geoLite2CountryGivesTheCountryElseTheRegisteredOne() throws Exception {
        CountryDatabase database = open(copy("country-geolite2.mmdb", "GeoLite2-Country.mmdb"));
        assertThat(database.type()).isEqualTo("GeoLite2-Country");
        assertThat(database.lookup(ip("81.2.69.142"))).hasValue("GB");
        assertThat(database.lookup(ip("89.160.20.112"))).hasValue("SE");
        assertThat(database.lookup(ip("2.125.160.216"))).as("no country: the registered one").hasValue("DE");
        assertThat(database.lookup(ip("2a02:cf40::1"))).hasValue("NO");
        assertThat(database.lookup(ip("::ffff:81.2.69.142"))).as("IPv4-mapped").hasValue("GB");
        assertThat(database.lookup(ip("8.8.8.8"))).as("a network it does not have").isEmpty();
    }

    @Test
    void geoLite2CityAndIpLocationDbReadAsWell() throws Exception {
        assertThat(open(copy("city-geolite2.mmdb", "GeoLite2-City.mmdb")).lookup(ip("81.2.69.142"))).hasValue("GB");
        CountryDatabase ipLocationDb = open(copy("country-ip-location-db.mmdb", "country.mmdb"));
        assertThat(ipLocationDb.lookup(ip("81.2.69.142"))).hasValue("FR");
        assertThat(ipLocationDb.lookup(ip("2a02:cf40::1"))).hasValue("JP");
    }

    @Test
    void aMissingOrUnreadableFileAtStartIsAClearError() throws Exception {
        Path missing = folder.resolve("GeoLite2-Country.mmdb");
        assertThatThrownBy(() -> open(missing)).isInstanceOf(IOException.class).hasMessageContaining(missing.toString());
        Path text = Files.writeString(folder.resolve("country.mmdb"), "not a database");
        assertThatThrownBy(() -> open(text)).isInstanceOf(IOException.class)
                .hasMessageContaining("The country database " + text + " does not read as a MaxMind DB file");
    }

    @Test
    void aNewFileMovedIntoPlaceIsUsedADamagedOneIsNotAndTheOneInUseStays() throws Exception {
        Path file = copy("country-geolite2.mmdb", "GeoLite2-Country.mmdb");
        CountryDatabase database = open(file);
        assertThat(database.lookup(ip("81.2.69.142"))).hasValue("GB");

        // Half a file copied over it: not read, the one in use answers, once logged.
        byte[] next = resource("country-geolite2-next.mmdb");
        Files.write(file, Arrays.copyOf(next, next.length / 2));
        database.check();
        assertThat(database.lookup(ip("81.2.69.142"))).hasValue("GB");
        assertThat(metrics.meter("geo.database.failures").getCount()).isEqualTo(1);
        database.check();
        assertThat(metrics.meter("geo.database.failures").getCount()).as("tried once per change").isEqualTo(1);

        // The whole new edition moved into place, as an updater does.
        Path staged = folder.resolve("GeoLite2-Country.mmdb.new");
        Files.write(staged, next);
        Files.move(staged, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        database.check();
        assertThat(database.lookup(ip("81.2.69.142"))).hasValue("IE");
        assertThat(database.lookup(ip("89.160.20.112"))).as("not in the new edition").isEmpty();
        assertThat(metrics.meter("geo.database.reloads").getCount()).isEqualTo(1);

        // Gone: the one read last stays in use.
        Files.delete(file);
        database.check();
        assertThat(database.lookup(ip("81.2.69.142"))).hasValue("IE");
    }

    @Test
    void theChecksRunOnTheirOwnOnceStarted() throws Exception {
        Path file = copy("country-geolite2.mmdb", "GeoLite2-Country.mmdb");
        CountryDatabase database = CountryDatabase.open(file, checks, 20, metrics);
        database.start();
        Path staged = folder.resolve("staged.mmdb");
        Files.write(staged, resource("country-geolite2-next.mmdb"));
        Files.move(staged, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        Await.until("the new edition in use", Duration.ofSeconds(5), () -> database.lookup(ip("81.2.69.142")).equals(Optional.of("IE")));
    }

    private CountryDatabase open(Path file) throws IOException {
        return CountryDatabase.open(file, checks, 3_600_000, metrics);
    }

    private Path copy(String resource, String name) throws IOException {
        return Files.write(folder.resolve(name), resource(resource));
    }

    static byte[] resource(String name) throws IOException {
        try (InputStream in = CountryDatabaseTest.class.getResourceAsStream("/geo/" + name)) {
            assertThat(in).as(name).isNotNull();
            return in.readAllBytes();
        }
    }

    static InetAddress ip(String literal) {
        return ClientAddress.parse(literal).orElseThrow();
    }
}
