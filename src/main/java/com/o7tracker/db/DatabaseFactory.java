package com.o7tracker.db;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.o7tracker.settings.Absent;
import com.o7tracker.settings.Setting;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.db.DataSourceFactory;
import io.dropwizard.db.ManagedDataSource;
import io.dropwizard.jdbi3.JdbiFactory;
import io.dropwizard.util.Duration;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * Where PostgreSQL is. With no {@code url} the service starts an embedded PostgreSQL of its own,
 * keeping its data under {@code <dataDirectory>/postgresql}.
 */
public class DatabaseFactory {

    /** Absent: an embedded PostgreSQL of this process's own. */
    @Setting
    private String url;

    @Setting
    private String user = "";

    @Setting
    private String password = "";

    @Setting
    private boolean migrateOnStart = true;

    @Min(2)
    @Max(200)
    @Setting
    private int maxConnections = 16;

    /**
     * Connections of the click path's own small pool, used only to look up campaigns that are in
     * no cache: a flood of made-up ids waits for these, never for the flusher's or the admin API's.
     */
    @Min(1)
    @Max(50)
    @Setting
    private int clickLookupConnections = 4;

    /** Whether this process starts its own PostgreSQL (no {@code url}): then it is the only instance on it. */
    @JsonIgnore
    public boolean isEmbedded() {
        return getUrl().isEmpty();
    }

    /** Where PostgreSQL answers; {@code embedded} is present when this process started it. */
    public record Endpoint(String url, String user, String password, Optional<EmbeddedDatabase> embedded) {
    }

    /** PostgreSQL as the service uses it: where it answers, the main pool, the click path's lookup pool. */
    public record Database(Endpoint endpoint, Jdbi jdbi, Jdbi clickLookups) {
    }

    /**
     * Opens PostgreSQL (starting the embedded one if no URL is set; it is stopped last), brings
     * the schema up to date unless {@code migrateOnStart} is off, and builds both pools, each with
     * its health check.
     */
    public Database build(Environment environment, String dataDirectory) throws Exception {
        Endpoint endpoint = open(dataDirectory);
        endpoint.embedded().ifPresent(environment.lifecycle()::manage);
        DataSourceFactory dataSource = dataSource(endpoint);
        if (migrateOnStart) {
            ManagedDataSource migrations = dataSource.build(environment.metrics(), "migrations");
            try {
                Migrations.migrate(migrations);
            } finally {
                migrations.stop();
            }
        }
        JdbiFactory jdbis = new JdbiFactory();
        return new Database(endpoint, jdbis.build(environment, dataSource, "postgresql"),
                jdbis.build(environment, clickLookupDataSource(endpoint), "postgresql-click-lookups"));
    }

    /** The configured PostgreSQL, or the embedded one under {@code <dataDirectory>/postgresql}, started now. */
    public Endpoint open(String dataDirectory) throws IOException, InterruptedException {
        Optional<String> external = getUrl();
        if (external.isPresent()) {
            return new Endpoint(external.get(), user, password, Optional.empty());
        }
        EmbeddedDatabase embedded = new EmbeddedDatabase(Path.of(dataDirectory, "postgresql"));
        String jdbcUrl = embedded.startAndGetJdbcUrl();
        return new Endpoint(jdbcUrl, EmbeddedDatabase.USER, embedded.password(), Optional.of(embedded));
    }

    public Optional<String> getUrl() {
        return Absent.ifBlank(url);
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
