package com.o7tracker.db;

import io.dropwizard.lifecycle.Managed;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL started by the service itself when no DATABASE_URL is given. Its data lives
 * in a directory that survives restarts; a postmaster left running by a killed predecessor is
 * stopped first, so PostgreSQL's own crash recovery takes over.
 */
public class EmbeddedDatabase implements Managed {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedDatabase.class);

    public static final String USER = "postgres";

    private final Path directory;
    private EmbeddedPostgres postgres;

    public EmbeddedDatabase(Path directory) {
        this.directory = directory.toAbsolutePath();
    }

    /** Starts PostgreSQL at once (migrations and the pool need it before the server starts). */
    public String startAndGetJdbcUrl() throws IOException, InterruptedException {
        Files.createDirectories(directory);
        stopStalePostmaster();
        postgres = EmbeddedPostgres.builder()
                .setDataDirectory(directory)
                .setCleanDataDirectory(false)
                .setServerConfig("fsync", "on")
                .setServerConfig("synchronous_commit", "on")
                .setServerConfig("max_connections", "100")
                .start();
        LOG.info("Embedded PostgreSQL running on port {} with its data in {}", postgres.getPort(), directory);
        return postgres.getJdbcUrl(USER, "postgres");
    }

    @Override
    public void start() {
        // Started eagerly by startAndGetJdbcUrl(); registered only to be stopped last.
    }

    @Override
    public void stop() throws IOException {
        if (postgres != null) {
            postgres.close();
        }
    }

    private void stopStalePostmaster() throws IOException, InterruptedException {
        Path pidFile = directory.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        List<String> lines = Files.readAllLines(pidFile);
        Optional<ProcessHandle> stale = lines.isEmpty() ? Optional.empty() : parsePid(lines.get(0));
        if (stale.isEmpty() || !stale.get().isAlive()) {
            return;
        }
        ProcessHandle postmaster = stale.get();
        LOG.warn("A PostgreSQL (pid {}) from a previous run still holds {}; stopping it", postmaster.pid(), directory);
        // SIGINT is PostgreSQL's fast shutdown: it ends the dead predecessor's sessions and checkpoints.
        new ProcessBuilder("kill", "-INT", Long.toString(postmaster.pid())).inheritIO().start().waitFor();
        try {
            postmaster.onExit().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("PostgreSQL pid {} did not stop in 30 s; killing it", postmaster.pid());
            postmaster.destroyForcibly();
            postmaster.onExit().join();
        }
    }

    private static Optional<ProcessHandle> parsePid(String line) {
        try {
            return ProcessHandle.of(Long.parseLong(line.trim()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
