package com.o7tracker.counting;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;

/**
 * The journal's directory, apart from what its segments hold: the lock that keeps a second
 * process out, the names of its files, and the small files that say which journal it is
 * ({@code journal.id}), where that journal starts ({@code journal.start}), where its records not
 * yet covered by a claim of the journal's row begin ({@code journal.unclaimed}) and with which
 * owner tokens its processes claimed that row ({@code journal.owner}). A small file is replaced
 * whole (written, synced, renamed, the directory synced), so a crash leaves the old one or the new.
 *
 * <p>The directory's monitor is the journal's one lock on its files: it guards the lock and the
 * small files here, and {@link JournalSegments} takes it for the open segment as well, so opening,
 * appending, closing and every change of a small file exclude one another.
 */
final class JournalDirectory {

    /**
     * A segment file, named by the position of its first record; its suffix names its record
     * format ({@link JournalRecord.Format}).
     */
    static final Pattern SEGMENT = Pattern.compile("clicks-(\\d{20})\\.journal2?");

    private final Path path;
    private FileChannel lockChannel;
    private FileLock fileLock;
    private volatile String journalId;

    JournalDirectory(Path path) {
        this.path = path.toAbsolutePath();
    }

    Path path() {
        return path;
    }

    String journalId() {
        return journalId;
    }

    /** The segment file whose first record is at {@code base}, in the format {@code format}. */
    Path segment(long base, JournalRecord.Format format) {
        return path.resolve(String.format("clicks-%020d", base) + format.suffix);
    }

    /** Creates the directory if need be, locks it and reads or creates the journal id. */
    synchronized void lock() throws IOException {
        Files.createDirectories(path);
        lockChannel = FileChannel.open(path.resolve("journal.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            fileLock = lockChannel.tryLock();
        } catch (OverlappingFileLockException e) {
            fileLock = null;
        }
        if (fileLock == null) {
            throw new IOException("another process or journal holds the journal " + path);
        }
        journalId = readOrCreateId();
    }

    /** Releases the lock; each step on its own, so a failed one does not keep the directory locked. */
    synchronized void unlock() {
        if (fileLock != null) {
            try {
                fileLock.release();
            } catch (IOException ignored) {
                // Closing its channel releases it too.
            }
        }
        if (lockChannel != null) {
            try {
                lockChannel.close();
            } catch (IOException ignored) {
                // Closing on the way out or after a failure: nothing left to protect.
            }
        }
        fileLock = null;
        lockChannel = null;
    }

    private String readOrCreateId() throws IOException {
        String id = firstLine("journal.id");
        if (id != null) {
            return id;
        }
        id = UUID.randomUUID().toString();
        writeAtomically("journal.id", id);
        return id;
    }

    /**
     * Where this journal starts counting: 0, or for a journal started in a copied directory
     * ({@link #startNewJournal}) the position of its first record. Records below it belong to the
     * journal the directory was copied from.
     */
    synchronized long startPosition() throws IOException {
        return positionIn("journal.start").orElse(0);
    }

    /**
     * This directory is a copy of another instance's: from now on it is a new journal whose
     * records start at {@code start}. The start is on disk before the new id, so a crash in between
     * leaves the old id and an ignored start.
     */
    synchronized void startNewJournal(long start) throws IOException {
        String id = UUID.randomUUID().toString();
        writeAtomically("journal.start", id + " " + start);
        writeAtomically("journal.id", id);
        journalId = id;
    }

    /** At open: the journal's end, unless an earlier open since the last claim already noted where it was. */
    synchronized void noteUnclaimedFrom(long end) throws IOException {
        if (positionIn("journal.unclaimed").isEmpty()) {
            writeAtomically("journal.unclaimed", journalId + " " + end);
        }
    }

    /**
     * Where this directory's records not yet covered by a claim of the journal's row begin: the
     * end of the journal when it was first opened since the last claim ({@code end}, read under
     * this monitor, when none is noted). If the directory turns out to be a copy, the records from
     * here on are its own.
     */
    synchronized long unclaimedStart(LongSupplier end) throws IOException {
        OptionalLong noted = positionIn("journal.unclaimed");
        return noted.isPresent() ? noted.getAsLong() : end.getAsLong();
    }

    /** After a claim of the journal's row: every record of this directory is covered. */
    synchronized void claimed() throws IOException {
        if (Files.deleteIfExists(path.resolve("journal.unclaimed"))) {
            syncDirectory();
        }
    }

    /** The owner tokens this directory's processes have claimed its row with, oldest first. */
    synchronized List<String> ownerTokens() throws IOException {
        Path owners = path.resolve("journal.owner");
        if (!Files.exists(owners)) {
            return List.of();
        }
        return Files.readAllLines(owners, StandardCharsets.UTF_8).stream().map(String::trim).filter(t -> !t.isEmpty()).toList();
    }

    /** Records the owner tokens: before a claim, the held ones and the new one. */
    synchronized void writeOwnerTokens(List<String> tokens) throws IOException {
        writeAtomically("journal.owner", String.join("\n", tokens));
    }

    /**
     * The position a small file of this directory holds ("journal-id position"), if it holds one
     * for this journal: a file written for an id that never became this journal's (a crash in
     * between) is ignored.
     */
    private OptionalLong positionIn(String file) throws IOException {
        String line = firstLine(file);
        String[] parts = line == null ? null : line.split(" ");
        if (parts == null || parts.length != 2 || !parts[0].equals(journalId)) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(parts[1]));
        } catch (NumberFormatException e) {
            throw new IOException(file + " in " + path + " is damaged");
        }
    }

    /** The first line of a small file of this directory, or null if it has none. */
    private String firstLine(String file) throws IOException {
        Path small = path.resolve(file);
        if (!Files.exists(small)) {
            return null;
        }
        List<String> lines = Files.readAllLines(small, StandardCharsets.UTF_8);
        return lines.isEmpty() || lines.get(0).isBlank() ? null : lines.get(0).trim();
    }

    /** Replaces a small file of this directory whole: written, synced, renamed, directory synced. */
    private void writeAtomically(String file, String content) throws IOException {
        Path tmp = path.resolve(file + ".tmp");
        try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            channel.write(ByteBuffer.wrap((content + "\n").getBytes(StandardCharsets.UTF_8)));
            channel.force(true);
        }
        Files.move(tmp, path.resolve(file), StandardCopyOption.ATOMIC_MOVE);
        syncDirectory();
    }

    /** Makes the directory's entries durable: a created, renamed or deleted file survives a power loss. */
    void syncDirectory() throws IOException {
        try (FileChannel dir = FileChannel.open(path, StandardOpenOption.READ)) {
            dir.force(true);
        }
    }
}
