package com.o7tracker.geo;

import static com.o7tracker.geo.CountryDatabaseTest.resource;
import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.MetricRegistry;
import com.o7tracker.web.ClientAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one rule for a click's country: the trusted edge's header, else the database for the client's address. */
class CountriesTest {

    @TempDir
    Path folder;
    private final ScheduledExecutorService checks = Executors.newSingleThreadScheduledExecutor();
    /** One proxy that appends, trusted from loopback and 10.0.0.0/8 (as App Engine's). */
    private final ClientAddress clientAddress = new ClientAddress(1,
            List.of(ClientAddress.Range.parse("127.0.0.0/8"), ClientAddress.Range.parse("10.0.0.0/8")));
    private CountryDatabase database;

    @BeforeEach
    void openDatabase() throws Exception {
        Path file = Files.write(folder.resolve("GeoLite2-Country.mmdb"), resource("country-geolite2.mmdb"));
        database = CountryDatabase.open(file, checks, 3_600_000, new MetricRegistry());
    }

    @AfterEach
    void stopChecks() {
        checks.shutdownNow();
    }

    @Test
    void theEdgesHeaderBeatsTheDatabaseUnlessItDoesNotKnow() {
        Countries countries = new Countries(Optional.of("X-Appengine-Country"), clientAddress, Optional.of(database));
        assertThat(countries.of("de", "10.1.2.3", List.of("81.2.69.142"))).isEqualTo("DE");
        assertThat(countries.of(" Fr ", "10.1.2.3", List.of("81.2.69.142"))).isEqualTo("FR");
        for (String unknown : new String[] {"ZZ", "zz", "XX", "", "D", "DEU", "D1", "\u00c4E", null}) {
            assertThat(countries.of(unknown, "10.1.2.3", List.of("81.2.69.142"))).as(String.valueOf(unknown)).isEqualTo("GB");
        }
    }

    @Test
    void theEdgesHeaderCountsOnlyOnAConnectionFromATrustedProxy() {
        Countries countries = new Countries(Optional.of("X-Appengine-Country"), clientAddress, Optional.of(database));
        assertThat(countries.of("de", "81.2.69.142", List.of())).as("a visitor reaching the port directly").isEqualTo("GB");
        assertThat(countries.of("de", "not an address", List.of())).isEqualTo("ZZ");
    }

    @Test
    void theAddressIsTheClientsByTheServiceWideRuleXForwardedForOnlyFromATrustedProxy() {
        Countries countries = new Countries(Optional.empty(), clientAddress, Optional.of(database));
        assertThat(countries.of(null, "81.2.69.142", List.of())).isEqualTo("GB");
        assertThat(countries.of(null, "10.1.2.3", List.of("89.160.20.112"))).as("from the proxy").isEqualTo("SE");
        assertThat(countries.of(null, "10.1.2.3", List.of("81.2.69.142, 89.160.20.112")))
                .as("the entry the proxy wrote, not the visitor's own").isEqualTo("SE");
        assertThat(countries.of(null, "81.2.69.142", List.of("89.160.20.112")))
                .as("a visitor's own X-Forwarded-For is ignored").isEqualTo("GB");
    }

    @Test
    void privateLoopbackUnparseableAndUnlistedAddressesAndBadCodesAreUnknown() {
        Countries countries = new Countries(Optional.empty(), clientAddress, Optional.of(database));
        for (String address : new String[] {"127.0.0.1", "10.0.0.7", "192.168.1.1", "172.16.5.4", "100.64.0.1", "169.254.1.1",
                "::1", "fe80::1", "fd00::1", "0.0.0.0", "not an address", "8.8.8.8", "203.0.113.5"}) {
            assertThat(countries.of(null, address, List.of())).as(address).isEqualTo(Countries.UNKNOWN);
        }
    }

    @Test
    void withoutADatabaseOnlyTheEdgeTells() {
        Countries countries = new Countries(Optional.of("CF-IPCountry"), clientAddress, Optional.empty());
        assertThat(countries.of("se", "10.1.2.3", List.of())).isEqualTo("SE");
        assertThat(countries.of("XX", "10.1.2.3", List.of())).isEqualTo(Countries.UNKNOWN);
        assertThat(new Countries(Optional.empty(), clientAddress, Optional.empty()).of(null, "81.2.69.142", List.of()))
                .isEqualTo(Countries.UNKNOWN);
    }
}
