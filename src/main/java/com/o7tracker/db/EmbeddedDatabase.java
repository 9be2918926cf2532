package com.o7tracker.db;

import io.dropwizard.lifecycle.Managed;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL started by the service itself when no DATABASE_URL is given. Its data lives
 * in a directory that survives restarts. Starting it takes three steps, each its own class: the
 * data directory is taken by this process alone ({@link DataDirectoryLock}, which also stops a
 * postmaster a killed predecessor left running), the binaries are unpacked where only the service
 * can write ({@link PrivateBinaries}), and only the service gets in ({@link ServiceOnlyAccess}: a
 * password over loopback TCP). This class starts PostgreSQL with them, gives the JDBC URL, and
 * stops it last.
 */
public class EmbeddedDatabase implements Managed {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedDatabase.class);

    public static final String USER = "postgres";
    /** The service's password for {@link #USER}, beside PostgreSQL's files in the data directory (mode 0600). */
    public static final String PASSWORD_FILE = "o7tracker-password";
    /** The data directory and the binaries' directory: the service's user alone may enter them. */
    static final Set<PosixFilePermission> OWNER_ONLY_DIRECTORY = PosixFilePermissions.fromString("rwx------");

    private final Path directory;
    private String password;
    private EmbeddedPostgres postgres;
    private DataDirectoryLock lock;

    public EmbeddedDatabase(Path directory) {
        this.directory = directory.toAbsolutePath();
    }

    /** Starts PostgreSQL at once (migrations and the pool need it before the server starts). */
    public String startAndGetJdbcUrl() throws IOException, InterruptedException {
        // The service's data directory too, if this makes it: not with the umask's permissions, open to all.
        Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIRECTORY));
        lock = DataDirectoryLock.take(directory);
        try {
            lock.stopStalePostmaster();
            ServiceOnlyAccess access = new ServiceOnlyAccess(directory);
            password = access.password();
            PrivateBinaries binaries = PrivateBinaries.beside(directory);
            postgres = EmbeddedPostgres.builder()
                    .setOverrideWorkingDirectory(binaries.unpacked().toFile())
                    .setPgBinaryResolver(binaries.resolver())
                    .setDataDirectory(directory)
                    .setCleanDataDirectory(false)
                    // Stopped by the service's lifecycle, last, so the shutdown drain can still reach it.
                    .setRegisterShutdownHook(false)
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("max_connections", "100")
                    .setServerConfig("listen_addresses", "localhost")
                    .setServerConfig("unix_socket_directories", "")
                    .setServerConfig("password_encryption", "scram-sha-256")
                    // Its start-up check connects too.
                    .setConnectConfig("password", password)
                    // After initdb (which made it with trust), before the server starts, at every start.
                    .setDataDirectoryCustomizer(data -> access.lockDown(binaries))
                    .start();
        } catch (IOException | InterruptedException | RuntimeException e) {
            lock.release();
            throw e;
        }
        LOG.info("Embedded PostgreSQL running on port {} with its data in {}", postgres.getPort(), directory);
        return postgres.getJdbcUrl(USER, "postgres");
    }

    /** The superuser's password; set by {@link #startAndGetJdbcUrl}. */
    public String password() {
        return password;
    }

    @Override
    public void start() {
        // Started eagerly by startAndGetJdbcUrl(); registered only to be stopped last.
    }

    @Override
    public void stop() throws IOException {
        try {
            if (postgres != null) {
                postgres.close();
            }
        } finally {
            if (lock != null) {
                lock.release();
            }
        }
    }
}
