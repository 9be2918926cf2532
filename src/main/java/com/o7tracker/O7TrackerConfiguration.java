package com.o7tracker;

import com.o7tracker.auth.AuthFactory;
import com.o7tracker.cache.CacheFactory;
import com.o7tracker.counting.CountingFactory;
import com.o7tracker.db.DatabaseFactory;
import com.o7tracker.influxdb.InfluxDbFactory;
import com.o7tracker.settings.Setting;
import com.o7tracker.stats.StatsFactory;
import com.o7tracker.geo.GeoFactory;
import com.o7tracker.track.UserAgentsFactory;
import com.o7tracker.web.ClientAddressFactory;
import io.dropwizard.core.Configuration;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;

public class O7TrackerConfiguration extends Configuration {

    /** Where every visitor who cannot be sent to a campaign goes. */
    @NotEmpty
    @Setting
    private String fallbackUrl = "http://outfit7.com";

    /** Local state: the click journal and, on the embedded default, PostgreSQL's data. */
    @NotEmpty
    @Setting
    private String dataDirectory = "data";

    /** Who sent a request: the one rule for the whole server (behind which proxies, from where). */
    @Valid
    @NotNull
    @Setting
    private ClientAddressFactory clientAddress = new ClientAddressFactory();

    @Valid
    @NotNull
    @Setting
    private AuthFactory auth = new AuthFactory();

    @Valid
    @NotNull
    @Setting
    private DatabaseFactory database = new DatabaseFactory();

    @Valid
    @NotNull
    @Setting
    private CacheFactory cache = new CacheFactory();

    /** How clicks wait for the User-Agent parser. */
    @Valid
    @NotNull
    @Setting
    private UserAgentsFactory userAgents = new UserAgentsFactory();

    /** Where a click's country comes from. */
    @Valid
    @NotNull
    @Setting
    private GeoFactory geo = new GeoFactory();

    @Valid
    @NotNull
    @Setting
    private CountingFactory counting = new CountingFactory();

    @Valid
    @NotNull
    @Setting
    private InfluxDbFactory influxdb = new InfluxDbFactory();

    @Valid
    @NotNull
    @Setting
    private StatsFactory stats = new StatsFactory();

    /**
     * Refuses to serve with a generated password on an external PostgreSQL: a generated password is
     * one process's own, there may be several instances on it, and an admin request would succeed
     * or fail depending on the instance it reached. Checked when the server starts, not when the
     * configuration is read: {@code db migrate} serves no admin API and needs no password.
     */
    public void requireSharedAdminPassword() {
        if (!auth.hasPassword() && !database.isEmbedded()) {
            throw new IllegalStateException("AUTH_PASSWORD (auth.password) must be set when DATABASE_URL (database.url)"
                    + " names an external PostgreSQL: every instance on it would generate a different admin password."
                    + " Set AUTH_PASSWORD to the same password, at least " + AuthFactory.MIN_PASSWORD_LENGTH
                    + " characters, on every instance");
        }
    }

    public String getFallbackUrl() {
        return fallbackUrl;
    }

    public String getDataDirectory() {
        return dataDirectory;
    }

    public ClientAddressFactory getClientAddress() {
        return clientAddress;
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

    public GeoFactory getGeo() {
        return geo;
    }

    public UserAgentsFactory getUserAgents() {
        return userAgents;
    }

    public CountingFactory getCounting() {
        return counting;
    }

    public StatsFactory getStats() {
        return stats;
    }

    public InfluxDbFactory getInfluxdb() {
        return influxdb;
    }
}
