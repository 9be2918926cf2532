package com.o7tracker.db;

import static com.o7tracker.db.EmbeddedDatabase.OWNER_ONLY_DIRECTORY;
import static com.o7tracker.db.EmbeddedDatabase.PASSWORD_FILE;
import static com.o7tracker.db.EmbeddedDatabase.USER;

import com.o7tracker.settings.KeptSecret;
import io.zonky.test.db.postgres.util.LinuxUtils;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Only the service gets into the embedded PostgreSQL: it listens on loopback TCP only, with no Unix
 * socket, and asks for a password (scram-sha-256) that the service drew at random and keeps in the
 * data directory, readable by its own OS user only (the file 0600, the directory 0700). Any other
 * local user would otherwise be PostgreSQL's superuser, able to run programs as the service's user
 * ({@code COPY … TO PROGRAM}). The access rules are written at every start, so a directory that an
 * earlier version initialised with {@code trust} is locked down by the first start of this one.
 * Loopback with a password, rather than a Unix socket alone, because the JDBC driver reaches a
 * socket only through a native library (a new dependency), and the embedded PostgreSQL's own
 * start-up check connects by TCP.
 */
final class ServiceOnlyAccess {

    private static final Logger LOG = LoggerFactory.getLogger(ServiceOnlyAccess.class);

    private static final String HBA_MARK = "# o7tracker: loopback with a password only";
    private static final String HBA = HBA_MARK + """

            # Written by o7tracker at every start: the service's password (o7tracker-password, beside
            # this file) over loopback TCP; no Unix socket, and nothing else, in particular no trust.
            host  all all 127.0.0.1/32 scram-sha-256
            host  all all ::1/128      scram-sha-256
            local all all              reject
            """;

    private final Path directory;
    private final boolean newPassword;
    private final String password;

    /** The password kept in {@code directory}, or a new one drawn at random if it keeps none yet. */
    ServiceOnlyAccess(Path directory) throws IOException {
        this.directory = directory;
        Optional<String> kept = KeptSecret.read(directory.resolve(PASSWORD_FILE));
        this.newPassword = kept.isEmpty();
        this.password = kept.orElseGet(() -> KeptSecret.draw(32));
    }

    String password() {
        return password;
    }

    /**
     * Writes the access rules, keeps the password file, and gives the superuser the password if
     * the directory does not have it yet (new, or made by an earlier version). PostgreSQL is not
     * running here; the password is set in its single-user mode, which opens no connection. Run
     * after initdb (which made the directory with trust), before the server starts, at every start.
     */
    void lockDown(PrivateBinaries binaries) {
        try {
            Files.setPosixFilePermissions(directory, OWNER_ONLY_DIRECTORY);
            Files.setPosixFilePermissions(binaries.unpacked(), OWNER_ONLY_DIRECTORY); // the library opened it to all
            Path hba = directory.resolve("pg_hba.conf");
            boolean lockedDown = Files.exists(hba) && Files.readString(hba).startsWith(HBA_MARK);
            if (newPassword || !lockedDown) {
                setSuperuserPassword(binaries.postgres());
                Path passwordFile = directory.resolve(PASSWORD_FILE);
                KeptSecret.write(passwordFile, password);
                LOG.info("The embedded PostgreSQL in {} now takes the service's password only (kept in {})",
                        directory, passwordFile);
            }
            Files.writeString(hba, HBA);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not lock down the embedded PostgreSQL in " + directory, e);
        }
    }

    /**
     * Sets the superuser's password in PostgreSQL's single-user mode, which opens no connection of
     * any kind. Run as the embedded PostgreSQL runs its binaries: as root, in a user namespace of
     * its own ({@code unshare -U}), since PostgreSQL refuses to run as root.
     */
    private void setSuperuserPassword(Path postgresBinary) throws IOException {
        List<String> command = new ArrayList<>();
        if (LinuxUtils.isUnshareAvailable()) {
            command.addAll(List.of("unshare", "-U"));
        }
        command.addAll(List.of(postgresBinary.toString(), "--single", "-F", "-D", directory.toString(),
                "-c", "listen_addresses=", "-c", "unix_socket_directories=", "-c", "password_encryption=scram-sha-256",
                // PostgreSQL would echo a failing statement, password and all; the error says enough.
                "-c", "log_min_error_statement=panic", USER));
        Process single = new ProcessBuilder(command).redirectErrorStream(true).start();
        try (var in = single.getOutputStream()) {
            in.write(("ALTER ROLE " + USER + " WITH PASSWORD '" + password + "';\n").getBytes(StandardCharsets.US_ASCII));
        }
        // Redacted as well: an error message may still quote part of the statement.
        String output = new String(single.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
                .replace(password, "<password>");
        try {
            if (!single.waitFor(60, TimeUnit.SECONDS) || single.exitValue() != 0 || output.contains("ERROR")) {
                single.destroyForcibly();
                throw new IOException("Setting the superuser's password failed: " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while setting the superuser's password", e);
        }
    }
}
