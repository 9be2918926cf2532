package com.o7tracker.db;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded PostgreSQL's data directory, used by one process at a time: the process running
 * PostgreSQL holds a lock next to the directory ({@code postgresql.lock}) for as long as it runs,
 * so a second process on the same data (a {@code db migrate} while the service runs) is refused
 * instead of stopping the live server. Holding the lock, it may stop a postmaster left running by
 * a killed predecessor, so PostgreSQL's own crash recovery takes over; it signals only a process
 * that is a postgres of this directory.
 */
final class DataDirectoryLock {

    private static final Logger LOG = LoggerFactory.getLogger(DataDirectoryLock.class);

    private final Path directory;
    private final FileChannel lockChannel;

    private DataDirectoryLock(Path directory, FileChannel lockChannel) {
        this.directory = directory;
        this.lockChannel = lockChannel;
    }

    /** Takes the lock beside {@code directory}; refused while another process holds it. */
    static DataDirectoryLock take(Path directory) throws IOException {
        Path lockFile = directory.resolveSibling(directory.getFileName() + ".lock");
        FileChannel lockChannel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
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
        return new DataDirectoryLock(directory, lockChannel);
    }

    /** Releases the lock (by closing its channel). */
    void release() throws IOException {
        lockChannel.close();
    }

    /** Stops a PostgreSQL of this directory that a killed predecessor left running, if there is one. */
    void stopStalePostmaster() throws IOException, InterruptedException {
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
