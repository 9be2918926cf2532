package com.o7tracker.geo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.o7tracker.O7TrackerConfiguration;
import io.dropwizard.configuration.ConfigurationValidationException;
import io.dropwizard.configuration.YamlConfigurationFactory;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.jersey.validation.Validators;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The country settings are checked with the rest of the configuration, before anything starts. */
class GeoFactoryTest {

    @TempDir
    Path folder;

    private static O7TrackerConfiguration read(String yaml) throws Exception {
        return new YamlConfigurationFactory<>(O7TrackerConfiguration.class, Validators.newValidator(), Jackson.newObjectMapper(), "o7tracker-geo-test")
                .build(path -> new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "config.yml");
    }

    @Test
    void aDatabaseThatIsNoReadableFileIsRefusedSayingWhich() throws Exception {
        for (String database : new String[] {"/nonexistent.mmdb", folder.toString()}) {
            assertThatThrownBy(() -> read("geo:\n  database: " + database + "\n"))
                    .isInstanceOf(ConfigurationValidationException.class)
                    .hasMessageContaining("geo.database (GEO_DATABASE) must name a readable file");
        }
        assertThatThrownBy(() -> read("geo:\n  countryHeader: 'X Country'\n"))
                .isInstanceOf(ConfigurationValidationException.class).hasMessageContaining("GEO_COUNTRY_HEADER");
        assertThat(read("geo:\n  database:\n  countryHeader: CF-IPCountry\n").getGeo().getCountryHeader()).isEqualTo("CF-IPCountry");
    }
}
