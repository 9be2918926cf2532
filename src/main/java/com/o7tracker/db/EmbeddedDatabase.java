package com.o7tracker.db;

import io.dropwizard.lifecycle.Managed;
import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import io.zonky.test.db.postgres.embedded.PgBinaryResolver;
import io.zonky.test.db.postgres.util.LinuxUtils;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL started by the service itself when no DATABASE_URL is given. Its data lives
 * in a directory that survives restarts. The process running it holds a lock next to the
 * directory ({@code postgresql.lock}) for as long as it runs, so a second process on the same data
 * (a {@code db migrate} while the service runs) is refused instead of stopping the live server.
 * Holding the lock, it may stop a postmaster left running by a killed predecessor, so PostgreSQL's
 * own crash recovery takes over; it signals only a process that is a postgres of this directory.
 *
 * <p>Only the service gets in: PostgreSQL listens on loopback TCP only, with no Unix socket, and
 * asks for a password (scram-sha-256) that the service drew at random and keeps in the data
 * directory, readable by its own OS user only (the file 0600, the directory 0700). Any other local
 * user would otherwise be PostgreSQL's superuser, able to run programs as the service's user
 * ({@code COPY … TO PROGRAM}). The access rules are written at every start, so a directory that an
 * earlier version initialised with {@code trust} is locked down by the first start of this one.
 * Loopback with a password, rather than a Unix socket alone, because the JDBC driver reaches a
 * socket only through a native library (a new dependency), and the embedded PostgreSQL's own
 * start-up check connects by TCP.
 */
public class EmbeddedDatabase implements Managed {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedDatabase.class);

    public static final String USER = "postgres";
    /** The service's password for {@link #USER}, beside PostgreSQL's files in the data directory (mode 0600). */
    public static final String PASSWORD_FILE = "o7tracker-password";

    private static final String HBA_MARK = "# o7tracker: loopback with a password only";
    private static final String HBA = HBA_MARK + """

            # Written by o7tracker at every start: the service's password (o7tracker-password, beside
            # this file) over loopback TCP; no Unix socket, and nothing else, in particular no trust.
            host  all all 127.0.0.1/32 scram-sha-256
            host  all all ::1/128      scram-sha-256
            local all all              reject
            """;
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_ONLY_DIRECTORY = PosixFilePermissions.fromString("rwx------");

    private final Path directory;
    private String password;
    /** Where the binaries are unpacked, in a directory only the service's user can write or enter. */
    private Path unpacked;
    private Archive archive;
    private EmbeddedPostgres postgres;
    private FileChannel lockChannel;
    private FileLock lock;

    public EmbeddedDatabase(Path directory) {
        this.directory = directory.toAbsolutePath();
    }

    /** Starts PostgreSQL at once (migrations and the pool need it before the server starts). */
    public String startAndGetJdbcUrl() throws IOException, InterruptedException {
        Files.createDirectories(directory);
        lock();
        try {
            stopStalePostmaster();
            Path passwordFile = directory.resolve(PASSWORD_FILE);
            boolean newPassword = !Files.exists(passwordFile);
            password = newPassword ? drawPassword() : Files.readString(passwordFile).strip();
            unpacked = privateWorkingDirectory();
            archive = new Archive();
            postgres = EmbeddedPostgres.builder()
                    .setOverrideWorkingDirectory(unpacked.toFile())
                    .setPgBinaryResolver(archive)
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
                    .setDataDirectoryCustomizer(data -> lockDown(newPassword))
                    .start();
        } catch (IOException | InterruptedException | RuntimeException e) {
            lockChannel.close();
            throw e;
        }
        LOG.info("Embedded PostgreSQL running on port {} with its data in {}", postgres.getPort(), directory);
        return postgres.getJdbcUrl(USER, "postgres");
    }

    private static String drawPassword() {
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }

    /**
     * Writes the access rules, keeps the password file, and gives the superuser the password if
     * the directory does not have it yet (new, or made by an earlier version). PostgreSQL is not
     * running here; the password is set in its single-user mode, which opens no connection.
     */
    private void lockDown(boolean newPassword) {
        try {
            Files.setPosixFilePermissions(directory, OWNER_ONLY_DIRECTORY);
            Files.setPosixFilePermissions(unpacked, OWNER_ONLY_DIRECTORY); // the library opened it to all
            Path hba = directory.resolve("pg_hba.conf");
            boolean lockedDown = Files.exists(hba) && Files.readString(hba).startsWith(HBA_MARK);
            if (newPassword || !lockedDown) {
                setSuperuserPassword();
                Path passwordFile = directory.resolve(PASSWORD_FILE);
                Files.deleteIfExists(passwordFile);
                Files.createFile(passwordFile, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
                Files.writeString(passwordFile, password + "\n");
                LOG.info("The embedded PostgreSQL in {} now takes the service's password only (kept in {})",
                        directory, passwordFile);
            }
            Files.setPosixFilePermissions(directory.resolve(PASSWORD_FILE), OWNER_ONLY);
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
    private void setSuperuserPassword() throws IOException {
        Path postgresBinary = unpackedPostgres();
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

    /**
     * The directory the embedded PostgreSQL's binaries are unpacked into and run from, beside the
     * data directory ({@code postgresql.binaries}), and only the service's user may write to it or
     * to any directory above it. The library's default is the shared {@code java.io.tmpdir/embedded-pg}
     * (or {@code ot.epg.working-dir}), where another local user could put programs first and have
     * them run as the service, with the password. Not inside the data directory: initdb wants it
     * empty. The library makes its working directory writable by all; that is the subdirectory
     * {@code unpacked}, which others cannot reach through this one (mode 0700).
     */
    private Path privateWorkingDirectory() throws IOException {
        Path binaries = directory.resolveSibling(directory.getFileName() + ".binaries");
        try {
            Files.createDirectory(binaries, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIRECTORY));
        } catch (FileAlreadyExistsException e) {
            // made by an earlier start; checked below like every directory above it
        }
        if (!Files.isDirectory(binaries, LinkOption.NOFOLLOW_LINKS) || ownerOf(binaries) != myUid()) {
            throw new IOException(binaries + " is not a directory of the service's user; remove it");
        }
        Files.setPosixFilePermissions(binaries, OWNER_ONLY_DIRECTORY);
        checkOnlyTheServiceCanWrite(binaries);
        return binaries.resolve("unpacked");
    }

    /**
     * Refuses a path that a user other than the service's (or root) could replace: it, or a
     * directory above it, owned by another user, or writable by others without the sticky bit
     * (which, as on /tmp, keeps others from renaming or removing what is not theirs).
     */
    private static void checkOnlyTheServiceCanWrite(Path path) throws IOException {
        int me = myUid();
        Path real = path.toRealPath();
        for (Path p = real; p != null; p = p.getParent()) {
            int owner = ownerOf(p);
            int mode = (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            boolean sticky = (mode & 01000) != 0;
            if (owner != me && owner != 0) {
                throw new IOException(p + " belongs to another user (uid " + owner + "); the embedded PostgreSQL's"
                        + " binaries are run from " + path + " only if no other user can replace them");
            }
            if ((mode & 0022) != 0 && !(sticky && Files.isDirectory(p) && !p.equals(real))) {
                throw new IOException(p + " is writable by other users; the embedded PostgreSQL's binaries are run"
                        + " from " + path + " only if no other user can replace them (chmod go-w " + p + ")");
            }
        }
    }

    private static int ownerOf(Path path) throws IOException {
        return (Integer) Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS);
    }

    private static int myUid() {
        return (int) new com.sun.security.auth.module.UnixSystem().getUid();
    }

    /**
     * The postgres binary that the embedded PostgreSQL unpacked for this start: in the service's
     * own working directory, under the name the library gives the archive it read (PG-&lt;its MD5&gt;),
     * checked again to be writable by the service only.
     */
    private Path unpackedPostgres() throws IOException {
        Path binary = unpacked.resolve("PG-" + archive.digest()).resolve("bin/postgres");
        if (!Files.isExecutable(binary)) {
            throw new IOException("The embedded PostgreSQL's binaries were not unpacked where expected: " + binary);
        }
        checkOnlyTheServiceCanWrite(binary);
        return binary;
    }

    /**
     * The library's own archive of binaries, with the MD5 it names their directory by (taken as
     * the library reads it). A new instance for every start: the library reuses what it prepared
     * for a resolver it has seen, wherever that was.
     */
    private static final class Archive implements PgBinaryResolver {
        private final MessageDigest md5;

        Archive() {
            try {
                md5 = MessageDigest.getInstance("MD5");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("MD5 is part of every Java runtime", e);
            }
        }

        @Override
        public InputStream getPgBinary(String system, String architecture) throws IOException {
            InputStream archive = DefaultPostgresBinaryResolver.INSTANCE.getPgBinary(system, architecture);
            return archive == null ? null : new DigestInputStream(archive, md5);
        }

        String digest() {
            return HexFormat.of().formatHex(md5.digest());
        }
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
            if (lockChannel != null) {
                lockChannel.close(); // releases the lock
            }
        }
    }

    private void lock() throws IOException {
        Path lockFile = directory.resolveSibling(directory.getFileName() + ".lock");
        lockChannel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            lock = lockChannel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            lockChannel.close();
            throw new IOException("The embedded PostgreSQL in " + directory + " is in use by another running o7tracker"
                    + " (it holds " + lockFile + "). Stop it first, or point DATABASE_URL at a PostgreSQL of your own.");
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
        Optional<Boolean> ours = isPostgresOf(postmaster);
        if (ours.isEmpty()) {
            throw new IOException(pidFile + " names pid " + postmaster.pid() + ", which may be a PostgreSQL of this"
                    + " directory but cannot be told apart; stop it, or remove the file if it is not one");
        }
        if (!ours.get()) {
            // A PID reused by an unrelated process: never signal it; PostgreSQL would refuse the live PID.
            LOG.warn("{} names pid {}, which is not a PostgreSQL of this directory; removing the stale file",
                    pidFile, postmaster.pid());
            Files.delete(pidFile);
            return;
        }
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

    /**
     * Whether the process is a postgres server whose command line names this data directory (by
     * any path to it); empty if its command line cannot be read.
     */
    private Optional<Boolean> isPostgresOf(ProcessHandle process) {
        Optional<String> command = process.info().command();
        Optional<String[]> arguments = process.info().arguments();
        if (command.isEmpty() || arguments.isEmpty()) {
            return Optional.empty();
        }
        if (!Path.of(command.get()).getFileName().toString().equals("postgres")) {
            return Optional.of(false);
        }
        for (String argument : arguments.get()) {
            try {
                Path path = Path.of(argument);
                if (Files.exists(path) && Files.isSameFile(path, directory)) {
                    return Optional.of(true);
                }
            } catch (InvalidPathException | IOException e) {
                // not a path to this directory
            }
        }
        return Optional.of(false);
    }

    private static Optional<ProcessHandle> parsePid(String line) {
        try {
            return ProcessHandle.of(Long.parseLong(line.trim()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
