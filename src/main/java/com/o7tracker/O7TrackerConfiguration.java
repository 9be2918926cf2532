package com.o7tracker;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.o7tracker.auth.AuthFactory;
import com.o7tracker.cache.CacheFactory;
import com.o7tracker.counting.CountingFactory;
import com.o7tracker.db.DatabaseFactory;
import io.dropwizard.core.Configuration;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;

public class O7TrackerConfiguration extends Configuration {

    /** Where every visitor who cannot be sent to a campaign goes. */
    @NotEmpty
    @JsonProperty
    private String fallbackUrl = "http://outfit7.com";

    /** Local state: the click journal and, on the embedded default, PostgreSQL's data. */
    @NotEmpty
    @JsonProperty
    private String dataDirectory = "data";

    @Valid
    @NotNull
    @JsonProperty
    private AuthFactory auth = new AuthFactory();

    @Valid
    @NotNull
    @JsonProperty
    private DatabaseFactory database = new DatabaseFactory();

    @Valid
    @NotNull
    @JsonProperty
    private CacheFactory cache = new CacheFactory();

    @Valid
    @NotNull
    @JsonProperty
    private CountingFactory counting = new CountingFactory();

    public String getFallbackUrl() {
        return fallbackUrl;
    }

    public String getDataDirectory() {
        return dataDirectory;
    }

    public AuthFactory getAuth() {
        return auth;
    }

    public DatabaseFactory getDatabase() {
        return database;
    }

    public CacheFactory getCache() {
        return cache;
    }

    public CountingFactory getCounting() {
        return counting;
    }
}
