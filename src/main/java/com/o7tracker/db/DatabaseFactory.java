package com.o7tracker.db;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.db.DataSourceFactory;
import io.dropwizard.util.Duration;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

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

    /**
     * Connections of the click path's own small pool, used only to look up campaigns that are in
     * no cache: a flood of made-up ids waits for these, never for the flusher's or the admin API's.
     */
    @Min(1)
    @Max(50)
    @JsonProperty
    private int clickLookupConnections = 4;

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

    /** Where PostgreSQL answers; {@code embedded} is present when this process started it. */
    public record Endpoint(String url, String user, String password, Optional<EmbeddedDatabase> embedded) {
    }

    /** The configured PostgreSQL, or the embedded one under {@code <dataDirectory>/postgresql}, started now. */
    public Endpoint open(String dataDirectory) throws IOException, InterruptedException {
        if (!isEmbedded()) {
            return new Endpoint(getUrl(), getUser(), getPassword(), Optional.empty());
        }
        EmbeddedDatabase embedded = new EmbeddedDatabase(Path.of(dataDirectory, "postgresql"));
        return new Endpoint(embedded.startAndGetJdbcUrl(), EmbeddedDatabase.USER, "", Optional.of(embedded));
    }

    /**
     * The click path's lookup pool: a visitor waits at most 100 ms for a connection and 2 s for an
     * answer before being sent to the fallback.
     */
    public DataSourceFactory clickLookupDataSource(Endpoint endpoint) {
        return pool(endpoint, clickLookupConnections, Duration.milliseconds(100), 2, "o7tracker-click-lookups");
    }

    /**
     * The pool of the admin API, the flusher and the cache's reloads, which would rather fail fast
     * (2 s without a connection) than queue behind an outage.
     */
    public DataSourceFactory dataSource(Endpoint endpoint) {
        return pool(endpoint, maxConnections, Duration.seconds(2), 30, "o7tracker");
    }

    private static DataSourceFactory pool(Endpoint endpoint, int maxSize, Duration maxWait, int socketTimeoutSeconds,
                                          String applicationName) {
        DataSourceFactory ds = new DataSourceFactory();
        ds.setDriverClass("org.postgresql.Driver");
        ds.setUrl(endpoint.url());
        ds.setUser(endpoint.user());
        ds.setPassword(endpoint.password());
        ds.setMinSize(Math.min(2, maxSize));
        ds.setInitialSize(Math.min(2, maxSize));
        ds.setMaxSize(maxSize);
        ds.setValidationQuery("/* o7tracker health check */ SELECT 1");
        ds.setValidationQueryTimeout(Duration.seconds(2));
        // After a PostgreSQL restart every pooled connection is dead: test before use (at most once a second).
        ds.setCheckConnectionOnBorrow(true);
        ds.setValidationInterval(Duration.seconds(1));
        ds.setCheckConnectionWhileIdle(true);
        ds.setMaxWaitForConnection(maxWait);
        ds.setProperties(Map.of(
                "connectTimeout", "3",
                "socketTimeout", Integer.toString(socketTimeoutSeconds),
                "ApplicationName", applicationName));
        return ds;
    }
}
