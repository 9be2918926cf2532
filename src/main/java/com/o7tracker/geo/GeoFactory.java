package com.o7tracker.geo;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.o7tracker.settings.Setting;
import com.o7tracker.web.ClientAddress;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MaxDuration;
import io.dropwizard.validation.MinDuration;
import io.dropwizard.validation.ValidationMethod;
import jakarta.validation.constraints.Pattern;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Where a click's country comes from ({@link Countries}): a trusted edge's header, a country database. */
public class GeoFactory {

    private static final Logger LOG = LoggerFactory.getLogger(GeoFactory.class);

    /**
     * The header a trusted edge sets with the visitor's country: X-Appengine-Country on App Engine
     * (app.yaml), CF-IPCountry behind Cloudflare. Empty: none is trusted (a visitor could send it).
     */
    @Pattern(regexp = "[A-Za-z0-9-]*", message = "must be a header name such as X-Appengine-Country (GEO_COUNTRY_HEADER)")
    @Setting
    private String countryHeader = "";

    /**
     * A country database in the MaxMind DB format (GeoLite2-Country, GeoIP2-Country, GeoLite2-City,
     * ip-location-db's country files), read into memory. Empty: none, a country comes from the
     * edge's header only. Watched: a new file moved into place is used from then on.
     */
    @Setting
    private String database = "";

    /** How often the database file is checked for a new one. */
    @MinDuration(value = 1, unit = TimeUnit.SECONDS)
    @MaxDuration(value = 1, unit = TimeUnit.DAYS)
    @Setting
    private Duration checkEvery = Duration.seconds(60);

    /**
     * A database named must be a readable file: checked with the rest of the configuration,
     * before anything starts (a file that does not read as a MaxMind DB fails {@link #build}).
     */
    @JsonIgnore
    @ValidationMethod(message = "geo.database (GEO_DATABASE) must name a readable file, a country database in the"
            + " MaxMind DB format (.mmdb)")
    public boolean isDatabaseReadable() {
        return database.isBlank() || Files.isReadable(Path.of(database)) && !Files.isDirectory(Path.of(database));
    }

    /** The countries of the clicks; opens the database (a start-up error when it cannot be read). */
    public Countries build(Environment environment, ClientAddress clientAddress) {
        Optional<CountryDatabase> opened = Optional.empty();
        if (!database.isBlank()) {
            try {
                CountryDatabase db = CountryDatabase.open(Path.of(database), environment.lifecycle()
                        .scheduledExecutorService("country-database-checks", true).threads(1).build(),
                        checkEvery.toMilliseconds(), environment.metrics());
                environment.lifecycle().manage(db);
                opened = Optional.of(db);
                LOG.info("Countries from {}{} ({}), checked for a new file every {}",
                        countryHeader.isBlank() ? "" : "the trusted edge's " + countryHeader + ", else ", database,
                        db.type(), checkEvery);
            } catch (IOException e) {
                throw new UncheckedIOException("GEO_DATABASE: " + e.getMessage(), e);
            }
        }
        if (opened.isEmpty()) {
            LOG.info(countryHeader.isBlank() ? "Countries: none is told (no GEO_COUNTRY_HEADER, no GEO_DATABASE); every click is ZZ"
                    : "Countries from the trusted edge's {} alone (no GEO_DATABASE)", countryHeader);
        }
        return new Countries(countryHeader.isBlank() ? Optional.empty() : Optional.of(countryHeader), clientAddress, opened);
    }

    public String getCountryHeader() {
        return countryHeader;
    }

    public String getDatabase() {
        return database;
    }

    public Duration getCheckEvery() {
        return checkEvery;
    }
}
