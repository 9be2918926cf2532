package com.o7tracker.geo;

import com.maxmind.db.MaxMindDbConstructor;
import com.maxmind.db.MaxMindDbParameter;
import java.util.Optional;

/**
 * The fields of a MaxMind DB record that name a country, whatever the database: GeoLite2 and
 * GeoIP2 Country and City ({@code country.iso_code}, else {@code registered_country.iso_code} for a
 * network without a country of its own) and the ip-location-db country files (a top-level
 * {@code country_code}). Only these are decoded: a City record's names and coordinates are skipped.
 */
public final class CountryRecord {

    private final String countryCode;
    private final IsoCode country;
    private final IsoCode registeredCountry;

    @MaxMindDbConstructor
    public CountryRecord(@MaxMindDbParameter(name = "country_code") String countryCode,
                         @MaxMindDbParameter(name = "country") IsoCode country,
                         @MaxMindDbParameter(name = "registered_country") IsoCode registeredCountry) {
        this.countryCode = countryCode;
        this.country = country;
        this.registeredCountry = registeredCountry;
    }

    /** The record's country as written, unchecked: the country's, the registrant's, or the file's single field. */
    Optional<String> code() {
        if (country != null && country.isoCode != null) {
            return Optional.of(country.isoCode);
        }
        if (registeredCountry != null && registeredCountry.isoCode != null) {
            return Optional.of(registeredCountry.isoCode);
        }
        return Optional.ofNullable(countryCode);
    }

    /** A GeoIP2 country map, of which only the code is read. */
    public static final class IsoCode {

        private final String isoCode;

        @MaxMindDbConstructor
        public IsoCode(@MaxMindDbParameter(name = "iso_code") String isoCode) {
            this.isoCode = isoCode;
        }
    }
}
