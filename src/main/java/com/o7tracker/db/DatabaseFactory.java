package com.o7tracker.db;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.db.DataSourceFactory;
import io.dropwizard.util.Duration;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.util.Map;

/**
 * Where PostgreSQL is. With no {@code url} the service starts an embedded PostgreSQL of its own,
 * keeping its data under {@code <dataDirectory>/postgresql}.
 */
public class DatabaseFactory {

    @JsonProperty
    private String url = "";

    @JsonProperty
    private String user = "";

    @JsonProperty
    private String password = "";

    @JsonProperty
    private boolean migrateOnStart = true;

    @Min(2)
    @Max(200)
    @JsonProperty
    private int maxConnections = 16;

    public boolean isEmbedded() {
        return url == null || url.isBlank();
    }

    // An empty environment variable reads as YAML null: treat it as "not set".
    public String getUrl() {
        return url == null ? "" : url;
    }

    public String getUser() {
        return user == null ? "" : user;
    }

    public String getPassword() {
        return password == null ? "" : password;
    }

    public boolean isMigrateOnStart() {
        return migrateOnStart;
    }

    /** The pool Dropwizard builds, pointed at {@code jdbcUrl}. */
    public DataSourceFactory dataSource(String jdbcUrl, String jdbcUser, String jdbcPassword) {
        DataSourceFactory ds = new DataSourceFactory();
        ds.setDriverClass("org.postgresql.Driver");
        ds.setUrl(jdbcUrl);
        ds.setUser(jdbcUser);
        ds.setPassword(jdbcPassword);
        ds.setMinSize(2);
        ds.setInitialSize(2);
        ds.setMaxSize(maxConnections);
        ds.setValidationQuery("/* o7tracker health check */ SELECT 1");
        ds.setValidationQueryTimeout(Duration.seconds(2));
        // After a PostgreSQL restart every pooled connection is dead: test before use (at most once a second).
        ds.setCheckConnectionOnBorrow(true);
        ds.setValidationInterval(Duration.seconds(1));
        ds.setCheckConnectionWhileIdle(true);
        // A click never waits on the pool: the admin API and the flusher are the only users,
        // and both would rather fail fast than queue behind an outage.
        ds.setMaxWaitForConnection(Duration.seconds(2));
        ds.setProperties(Map.of(
                "connectTimeout", "3",
                "socketTimeout", "30",
                "ApplicationName", "o7tracker"));
        return ds;
    }
}
