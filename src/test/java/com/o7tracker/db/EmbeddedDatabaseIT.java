package com.o7tracker.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.o7tracker.support.Psql;
import com.o7tracker.support.TestApp;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded default never stops a PostgreSQL that is not a leftover of its own data directory,
 * and lets no one but the service in.
 */
class EmbeddedDatabaseIT {

    private static void assertAnswers(String url, String password) throws Exception {
        try (Connection c = DriverManager.getConnection(url, EmbeddedDatabase.USER, password);
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT 1")) {
            assertThat(rs.next()).isTrue();
        }
    }

    @Test
    void aSecondUserOfTheSameDataIsRefusedAndTheRunningServerLivesOn() throws Exception {
        Path directory = TestApp.tempDir("embedded-lock").resolve("postgresql");
        EmbeddedDatabase running = new EmbeddedDatabase(directory);
        String url = running.startAndGetJdbcUrl();
        try {
            assertThatThrownBy(new EmbeddedDatabase(directory)::startAndGetJdbcUrl)
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("in use by another running o7tracker");
            assertAnswers(url, running.password());
        } finally {
            running.stop();
        }
    }

    @Test
    void aStalePidFileNamingAnotherProcessIsNeverSignalled() throws Exception {
        Path directory = TestApp.tempDir("embedded-pid").resolve("postgresql");
        EmbeddedDatabase first = new EmbeddedDatabase(directory);
        first.startAndGetJdbcUrl();
        first.stop();
        Process unrelated = new ProcessBuilder("sleep", "120").start();
        try {
            Files.writeString(directory.resolve("postmaster.pid"), unrelated.pid() + "\n" + directory + "\n");
            EmbeddedDatabase second = new EmbeddedDatabase(directory);
            String url = second.startAndGetJdbcUrl();
            try {
                assertThat(unrelated.isAlive()).as("the process the stale file names").isTrue();
                assertAnswers(url, second.password());
            } finally {
                second.stop();
            }
        } finally {
            unrelated.destroyForcibly();
        }
    }

    private static final List<String> AS_NOBODY = List.of("runuser", "-u", "nobody", "--");

    private static int port(String url) {
        return Integer.parseInt(url.replaceFirst("^jdbc:postgresql://[^:]+:(\\d+)/.*$", "$1"));
    }

    /**
     * What another local user gets: by TCP, a demand for the password (which it cannot read); by
     * a Unix socket, nothing to connect to, in the directories where clients look for one.
     */
    private static void assertOtherUsersAreRefused(Path directory, int port) {
        Psql.Result tcp = Psql.run(AS_NOBODY, "127.0.0.1", port, EmbeddedDatabase.USER, null, "SELECT 1");
        assertThat(tcp.exitCode()).as(tcp.output()).isNotZero();
        assertThat(tcp.output()).contains("no password supplied");
        Psql.Result wrong = Psql.run(AS_NOBODY, "localhost", port, EmbeddedDatabase.USER, "postgres", "SELECT 1");
        assertThat(wrong.exitCode()).as(wrong.output()).isNotZero();
        assertThat(wrong.output()).contains("password authentication failed");
        for (String socketDirectory : List.of("/tmp", "/var/run/postgresql", directory.toString())) {
            assertThat(Path.of(socketDirectory, ".s.PGSQL." + port)).as("a Unix socket").doesNotExist();
            Psql.Result socket = Psql.run(AS_NOBODY, socketDirectory, port, EmbeddedDatabase.USER, null, "SELECT 1");
            assertThat(socket.exitCode()).as(socket.output()).isNotZero();
            assertThat(socket.output()).containsAnyOf("No such file or directory", "Permission denied");
        }
        assertThat(asNobody("cat", directory.resolve(EmbeddedDatabase.PASSWORD_FILE).toString()))
                .as("the password file").contains("Permission denied");
    }

    private static String asNobody(String... command) {
        List<String> line = new java.util.ArrayList<>(AS_NOBODY);
        line.addAll(List.of(command));
        try {
            Process process = new ProcessBuilder(line).redirectErrorStream(true).start();
            if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(line + " did not finish within 30 s");
            }
            return new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void anotherLocalUserCannotConnectByTcpOrSocketWhileTheServiceCan() throws Exception {
        Path directory = TestApp.tempDir("embedded-auth").resolve("postgresql");
        EmbeddedDatabase database = new EmbeddedDatabase(directory);
        String url = database.startAndGetJdbcUrl();
        try {
            assertAnswers(url, database.password());
            assertThat(database.password()).hasSizeGreaterThanOrEqualTo(32);
            assertThat(Files.getPosixFilePermissions(directory.resolve(EmbeddedDatabase.PASSWORD_FILE)))
                    .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
            assertThat(Files.getPosixFilePermissions(directory))
                    .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
                            PosixFilePermission.OWNER_EXECUTE);
            assertOtherUsersAreRefused(directory, port(url));
        } finally {
            database.stop();
        }
    }

    /**
     * Made with the umask's permissions (0755 as a rule), the data directory would be open to every
     * local user to look into; it holds the admin password and the embedded PostgreSQL's data.
     */
    @Test
    void aDataDirectoryNotThereYetIsMadeTheServiceUsersAlone() throws Exception {
        Path data = TestApp.tempDir("embedded-new").resolve("data");
        Path directory = data.resolve("postgresql");
        EmbeddedDatabase database = new EmbeddedDatabase(directory);
        String url = database.startAndGetJdbcUrl();
        try {
            assertAnswers(url, database.password());
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data))).isEqualTo("rwx------");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(directory))).isEqualTo("rwx------");
        } finally {
            database.stop();
        }
    }

    /** A data directory as the previous version left it: initdb -A trust, every local user a superuser. */
    @Test
    void aDataDirectoryOfThePreviousVersionIsLockedDownAndKeepsItsData() throws Exception {
        Path directory = TestApp.tempDir("embedded-upgrade").resolve("postgresql");
        try (EmbeddedPostgres old = EmbeddedPostgres.builder().setDataDirectory(directory).setCleanDataDirectory(false)
                .setRegisterShutdownHook(false).start()) {
            try (Connection c = old.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE kept (v text)");
                s.execute("INSERT INTO kept VALUES ('from before the upgrade')");
            }
            Psql.Result before = Psql.run(AS_NOBODY, "127.0.0.1", old.getPort(), EmbeddedDatabase.USER, null,
                    "SELECT current_setting('is_superuser')");
            assertThat(before.output()).as("the previous version: anyone is a superuser").isEqualTo("on\n");
        }

        EmbeddedDatabase database = new EmbeddedDatabase(directory);
        String url = database.startAndGetJdbcUrl();
        try (Connection c = DriverManager.getConnection(url, EmbeddedDatabase.USER, database.password());
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT v FROM kept")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("from before the upgrade");
            assertOtherUsersAreRefused(directory, port(url));
        } finally {
            database.stop();
        }

        // and again at the next start, with the password it keeps
        EmbeddedDatabase again = new EmbeddedDatabase(directory);
        String urlAgain = again.startAndGetJdbcUrl();
        try {
            assertThat(again.password()).isEqualTo(database.password());
            assertAnswers(urlAgain, again.password());
            assertOtherUsersAreRefused(directory, port(urlAgain));
        } finally {
            again.stop();
        }
    }

    /**
     * PostgreSQL echoes a failing statement (STATEMENT: ALTER ROLE … WITH PASSWORD '…'); what the
     * service reports of it must not carry the password. The step is made to fail for real: a
     * data directory of the previous version whose configuration makes every transaction read-only.
     */
    @Test
    void aFailedPasswordChangeNeverPutsThePasswordInTheErrorOrTheLog() throws Exception {
        Path directory = TestApp.tempDir("embedded-redact").resolve("postgresql");
        try (EmbeddedPostgres old = EmbeddedPostgres.builder().setDataDirectory(directory).setCleanDataDirectory(false)
                .setRegisterShutdownHook(false).start()) {
            assertThat(old.getPort()).isPositive();
        }
        Files.writeString(directory.resolve("postgresql.auto.conf"), "default_transaction_read_only = on\n",
                StandardOpenOption.APPEND);
        String password = "kept-secret-Zq8rT2vW5xY7aB9cD1eF3gH";
        Files.writeString(directory.resolve(EmbeddedDatabase.PASSWORD_FILE), password + "\n");

        ch.qos.logback.classic.Logger root = (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        root.addAppender(log);
        Throwable failure;
        try {
            EmbeddedDatabase database = new EmbeddedDatabase(directory);
            failure = catchThrowable(database::startAndGetJdbcUrl);
            database.stop();
        } finally {
            root.detachAppender(log);
        }

        StringWriter reported = new StringWriter();
        assertThat(failure).as("the password change must fail here").isNotNull();
        failure.printStackTrace(new PrintWriter(reported));
        assertThat(reported.toString())
                .contains("Setting the superuser's password failed")
                .contains("read-only transaction")
                .doesNotContain(password);
        for (ILoggingEvent event : log.list) {
            assertThat(event.getFormattedMessage()).doesNotContain(password);
            if (event.getThrowableProxy() != null) {
                assertThat(ThrowableProxyUtil.asString(event.getThrowableProxy())).doesNotContain(password);
            }
        }
    }

    /**
     * The embedded PostgreSQL's library unpacks its binaries by default into the shared
     * {@code java.io.tmpdir/embedded-pg} (or {@code ot.epg.working-dir}), where another local user
     * can put programs first. Fakes planted there, each of which would record that it ran and what
     * it was given, are never run; the service's own copy is.
     */
    @Test
    void programsPlantedInTheSharedUnpackDirectoryAreNeverRun() throws Exception {
        Path shared = TestApp.tempDir("embedded-planted");
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path marker = shared.resolve("ran");
        for (int i = 0; i < 8; i++) {
            Path bin = Files.createDirectories(shared.resolve("PG-planted" + i).resolve("bin"));
            Path fake = bin.resolve("postgres");
            Files.writeString(fake, "#!/bin/sh\necho \"$0 $*\" >> " + marker + "\ncat >> " + marker
                    + " &\necho 'postgres (PostgreSQL) 14.22'\n");
            Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwxrwxrwx"));
        }
        String before = System.getProperty("ot.epg.working-dir");
        System.setProperty("ot.epg.working-dir", shared.toString());
        try {
            Path directory = TestApp.tempDir("embedded-own-binaries").resolve("postgresql");
            EmbeddedDatabase database = new EmbeddedDatabase(directory);
            String url = database.startAndGetJdbcUrl();
            try {
                assertAnswers(url, database.password());
                assertThat(marker).as("a planted program ran").doesNotExist();
                Path binaries = directory.resolveSibling("postgresql.binaries");
                assertThat(Files.getPosixFilePermissions(binaries))
                        .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
                                PosixFilePermission.OWNER_EXECUTE);
            } finally {
                database.stop();
            }
        } finally {
            if (before == null) {
                System.clearProperty("ot.epg.working-dir");
            } else {
                System.setProperty("ot.epg.working-dir", before);
            }
        }
    }

    /** Binaries in a directory others may write to could be swapped for theirs: refused, with the reason. */
    @Test
    void aDataDirectoryInADirectoryOthersCanWriteIsRefused() throws Exception {
        Path open = TestApp.tempDir("embedded-open");
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx")); // no sticky bit
        EmbeddedDatabase database = new EmbeddedDatabase(open.resolve("postgresql"));
        try {
            assertThatThrownBy(database::startAndGetJdbcUrl)
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining(open + " is writable by other users");
        } finally {
            database.stop();
        }
    }
}
