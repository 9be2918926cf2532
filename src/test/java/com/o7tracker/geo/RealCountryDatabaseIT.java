package com.o7tracker.geo;

import static com.o7tracker.geo.CountryDatabaseTest.ip;
import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.MetricRegistry;
import com.o7tracker.support.NpmPackage;
import com.o7tracker.web.ClientAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A real, public country database: ip-location-db's geo-whois-asn-country (CC0 and CC-BY, the
 * country each network's registry names), fetched from npm once into target/ at a pinned version.
 * An integration test, as it needs the registry the first time.
 */
class RealCountryDatabaseIT {

    private static final String PACKAGE = "@ip-location-db/geo-whois-asn-country-mmdb@2.3.2026061719";
    private static final ScheduledExecutorService CHECKS = Executors.newSingleThreadScheduledExecutor();
    private static CountryDatabase database;

    @BeforeAll
    static void fetch() throws Exception {
        Path file = NpmPackage.file(PACKAGE, Path.of("target", "ip-location-db"), "package/geo-whois-asn-country.mmdb");
        database = CountryDatabase.open(file, CHECKS, 3_600_000, new MetricRegistry());
    }

    @AfterAll
    static void stop() {
        CHECKS.shutdownNow();
    }

    @Test
    void wellKnownNetworksHaveTheirRegistrysCountry() {
        assertThat(database.lookup(ip("8.8.8.8"))).as("Google's resolver").hasValue("US");
        assertThat(database.lookup(ip("2001:4860:4860::8888"))).as("Google's resolver, IPv6").hasValue("US");
        assertThat(database.lookup(ip("193.0.6.139"))).as("RIPE NCC, Amsterdam").hasValue("NL");
        assertThat(database.lookup(ip("202.12.29.205"))).as("APNIC, Brisbane").hasValue("AU");
        assertThat(database.lookup(ip("10.1.2.3"))).as("private").isEmpty();
    }

    @Test
    void theClickRuleReadsIt() {
        Countries countries = new Countries(Optional.empty(), new ClientAddress(0, List.of()), Optional.of(database));
        assertThat(countries.of(null, "193.0.6.139", List.of())).isEqualTo("NL");
        assertThat(countries.of(null, "192.168.0.10", List.of())).isEqualTo(Countries.UNKNOWN);
    }
}
