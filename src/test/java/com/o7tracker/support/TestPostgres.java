package com.o7tracker.support;

import com.o7tracker.db.DatabaseFactory;

import com.o7tracker.db.Migrations;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Optional;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * One real PostgreSQL for the whole test run (started on first use, on a free port), which a test
 * may stop and start again on the same port and data to play an outage.
 */
public final class TestPostgres {

    private static TestPostgres shared;

    private final Path directory;
    private EmbeddedPostgres postgres;
    private int port;

    private TestPostgres() throws IOException {
        directory = Files.createTempDirectory("o7tracker-test-pg");
        // Not cleaned on close: an outage test stops and restarts it on the same data.
        postgres = EmbeddedPostgres.builder().setDataDirectory(directory).setCleanDataDirectory(false).start();
        port = postgres.getPort();
        Runtime.getRuntime().addShutdownHook(new Thread(this::stopQuietly));
    }

    public static synchronized TestPostgres shared() {
        if (shared == null) {
            try {
                shared = new TestPostgres();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return shared;
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + port + "/postgres";
    }

    public int port() {
        return port;
    }

    /** The same database reached through {@code proxy}, which forwards to {@link #port()}. */
    public String jdbcUrlThrough(TcpProxy proxy) {
        return "jdbc:postgresql://127.0.0.1:" + proxy.port() + "/postgres";
    }

    public String user() {
        return "postgres";
    }

    public String password() {
        return "postgres";
    }

    /** This database as the service's own connections take it (an external database, no embedded one). */
    public DatabaseFactory.Endpoint endpoint() {
        return new DatabaseFactory.Endpoint(jdbcUrl(), user(), password(), Optional.empty());
    }

    /** A plain data source on the database, with the service's migrations applied. */
    public DataSource migratedDataSource() {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(jdbcUrl());
        dataSource.setUser(user());
        dataSource.setPassword(password());
        Migrations.migrate(dataSource);
        return dataSource;
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), user(), password());
    }

    /** Stops the server (clients see connections refused) until {@link #start()}. */
    public synchronized void stop() throws IOException {
        postgres.close();
        postgres = null;
    }

    public synchronized void start() throws IOException {
        postgres = EmbeddedPostgres.builder().setDataDirectory(directory).setCleanDataDirectory(false)
                .setPort(port).start();
    }

    private synchronized void stopQuietly() {
        try {
            if (postgres != null) {
                postgres.close();
            }
        } catch (IOException ignored) {
            // the run is ending
        }
    }
}
