package com.o7tracker.geo;

import com.o7tracker.settings.Setting;
import com.o7tracker.web.ClientAddress;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MaxDuration;
import io.dropwizard.validation.MinDuration;
import jakarta.validation.constraints.Pattern;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Where a click's country comes from ({@link Countries}): a trusted edge's header, a country database. */
public class GeoFactory {

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
            } catch (IOException e) {
                throw new UncheckedIOException("GEO_DATABASE: " + e.getMessage(), e);
            }
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
