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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The journal's files: a lock, the journal's id, and segment files named by the position of their
 * first record. Record {@code i} of {@code clicks-B.journal} has position {@code B + i}. Recovery
 * validates every segment and cuts a torn tail; wholly applied segments are deleted, except the
 * newest, which carries the position forward.
 *
 * <p>One thread appends (the journal's writer); the flusher deletes applied segments, replays once
 * at start-up, and with {@code write} durability forces the written records to disk before it
 * applies them, through channels of its own (an interrupted flusher must not close the writer's).
 * The segment map is a concurrent map; {@link #end} and {@link #synced} are published volatile.
 */
final class JournalSegments {

    private static final Pattern SEGMENT = Pattern.compile("clicks-(\\d{20})\\.journal");
    private static final Logger LOG = LoggerFactory.getLogger(JournalSegments.class);

    private final Path directory;
    private final int segmentClicks;
    private final NavigableMap<Long, Path> segments = new ConcurrentSkipListMap<>();
    private final JournalRecord format = new JournalRecord();
    private final long keepAppliedNanos;
    /** When each wholly applied segment was first seen so (System.nanoTime); the flusher's own. */
    private final Map<Long, Long> appliedSince = new HashMap<>();

    private FileChannel lockChannel;
    private FileLock fileLock;
    private volatile String journalId;
    private FileChannel segment;
    private long segmentBase;
    private volatile long end;
    /** Every record below this position is known to be on disk. */
    private volatile long synced;
    private volatile IOException syncFailure;

    JournalSegments(Path directory, int segmentClicks) {
        this(directory, segmentClicks, 0);
    }

    /** {@code keepAppliedNanos}: how long a wholly applied segment stays on disk before it is deleted. */
    JournalSegments(Path directory, int segmentClicks, long keepAppliedNanos) {
        this.directory = directory.toAbsolutePath();
        this.segmentClicks = segmentClicks;
        this.keepAppliedNanos = keepAppliedNanos;
    }

    Path directory() {
        return directory;
    }

    String journalId() {
        return journalId;
    }

    /** The position the next record gets. */
    long end() {
        return end;
    }

    /** Every record below this position is known to be on disk. */
    long synced() {
        return synced;
    }

    /** The first position still on disk (the end when there is none). */
    long firstPosition() {
        return segments.isEmpty() ? end : segments.firstKey();
    }

    int segmentCount() {
        return segments.size();
    }

    /** Locks the directory, reads or creates the journal id, and recovers the segments: returns the end. */
    synchronized long open() throws IOException {
        try {
            Files.createDirectories(directory);
            lockChannel = FileChannel.open(directory.resolve("journal.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            try {
                fileLock = lockChannel.tryLock();
            } catch (OverlappingFileLockException e) {
                fileLock = null;
            }
            if (fileLock == null) {
                throw new IOException("another process or journal holds the journal " + directory);
            }
            journalId = readOrCreateId();
            end = recover();
            synced = end; // recovery forced what it accepted
            if (positionIn("journal.unclaimed").isEmpty()) {
                writeAtomically("journal.unclaimed", journalId + " " + end);
            }
            return end;
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /**
     * Writes {@code records} encoded records at the end, and with {@code force} waits until they
     * are on disk (fdatasync). Rolls to a new segment first when the current one is full.
     */
    synchronized void append(ByteBuffer bytes, int records, boolean force) throws IOException {
        if (segment == null || end - segmentBase >= segmentClicks) {
            openSegment();
        }
        long offset = (end - segmentBase) * JournalRecord.BYTES;
        while (bytes.hasRemaining()) {
            offset += segment.write(bytes, offset);
        }
        if (force) {
            segment.force(false);
            synced = end + records; // before end moves: a reader of end then never finds them unsynced
        }
        end += records;
    }

    /**
     * Makes every record written so far durable: fdatasyncs, through channels of its own, each
     * segment that may hold records not yet known to be on disk. Safe to call from any thread.
     */
    void forceWritten() throws IOException {
        if (syncFailure != null) {
            throw syncFailure;
        }
        long target = end;
        if (synced >= target) {
            return;
        }
        Long from = segments.floorKey(synced);
        try {
            for (Path path : (from == null ? segments : segments.tailMap(from, true)).values()) {
                try (FileChannel channel = FileChannel.open(path, StandardOpenOption.WRITE)) {
                    channel.force(false);
                }
            }
        } catch (IOException e) {
            throw syncFailed(e);
        }
        synced = target;
    }

    /**
     * A failed fdatasync while records were not known to be on disk: the kernel may have dropped
     * their dirty pages, and a later sync (by path, or of another segment) would report success
     * without them. So nothing written before it is ever taken as durable in this process: the
     * flusher applies nothing more until a restart has re-read the journal from disk.
     */
    private IOException syncFailed(IOException e) {
        if (syncFailure == null && synced < end) {
            syncFailure = new IOException("the journal could not be synced to disk; restart the service to recover it", e);
        }
        return syncFailure != null ? syncFailure : e;
    }

    /** Why records written with {@code write} durability can no longer be trusted to be on disk, or null. */
    IOException syncFailure() {
        return syncFailure;
    }

    /** After a failed write: cuts what it may have left; the next write starts a segment at the same position. */
    synchronized void writeFailed() {
        if (segment == null) {
            return;
        }
        try {
            segment.truncate((end - segmentBase) * JournalRecord.BYTES);
            segment.force(false); // what write durability wrote before the failure; this segment closes now
            syncedTo(end);
        } catch (IOException e) {
            // The next segment starts at the same position: recovery and replay stop at its base.
            syncFailed(e);
        }
        try {
            segment.close();
        } catch (IOException ignored) {
            // Nothing more to do with a failed file.
        }
        segment = null;
    }

    /**
     * Deletes the segments whose every record is below {@code applied} and has been for the time
     * applied segments are kept, never the newest.
     */
    void deleteApplied(long applied) {
        Map.Entry<Long, Path> newest = segments.lastEntry();
        long now = System.nanoTime();
        appliedSince.keySet().removeIf(base -> !segments.containsKey(base) || segments.higherKey(base) == null
                || segments.higherKey(base) > applied); // applied again after a PostgreSQL that came back behind
        for (Map.Entry<Long, Path> entry : segments.entrySet()) {
            Long next = segments.higherKey(entry.getKey());
            if (newest == null || entry.getKey().equals(newest.getKey()) || next == null || next > applied) {
                return;
            }
            if (now - appliedSince.computeIfAbsent(entry.getKey(), base -> now) < keepAppliedNanos) {
                return;
            }
            try {
                Files.deleteIfExists(entry.getValue());
                segments.remove(entry.getKey());
                appliedSince.remove(entry.getKey());
            } catch (IOException e) {
                LOG.warn("Could not delete applied journal segment {}: {}", entry.getValue(), e.getMessage());
                return;
            }
        }
    }

    /**
     * The clicks at positions [from, to), folded as a flush applies them. Positions that recovery
     * found missing or damaged are skipped and reported the same way here: counting goes on
     * without them rather than stopping for good.
     */
    ClickCounts replay(long from, long to) throws IOException {
        return replay(from, to, new ClickCounts());
    }

    /** The same, folded into {@code counts}; returns it. */
    private ClickCounts replay(long from, long to, ClickCounts counts) throws IOException {
        JournalRecord.Visitor add = (seq, campaignId, kind, minute) -> counts.add(campaignId, kind, minute, 1);
        List<Map.Entry<Long, Path>> list = new ArrayList<>(segments.entrySet());
        long expected = from;
        for (int i = 0; i < list.size() && expected < to; i++) {
            long base = list.get(i).getKey();
            long limit = Math.min(to, i + 1 < list.size() ? list.get(i + 1).getKey() : to);
            if (limit <= expected) {
                continue;
            }
            if (base > expected) {
                LOG.error("Journal positions {} to {} are missing in {}; their clicks are not counted", expected, base, directory);
                expected = base;
            }
            try (FileChannel channel = FileChannel.open(list.get(i).getValue(), StandardOpenOption.READ)) {
                long reached = format.scan(channel, base, expected, limit, add);
                if (reached < limit) {
                    LOG.error("Journal segment {} is damaged at position {}; positions up to {} are not counted",
                            list.get(i).getValue(), reached, limit);
                }
                expected = limit;
            }
        }
        if (expected < to) {
            LOG.error("Journal positions {} to {} are missing in {}; their clicks are not counted", expected, to, directory);
        }
        return counts;
    }

    /**
     * The clicks from position {@code from} on, up to {@code to} at most, folded into {@code into}
     * until they fill about {@code maxRows} (campaign, minute) rows (at most twice as many): a
     * piece of a backlog that one transaction applies. Returns the position it reached.
     */
    long replayPiece(long from, long to, int maxRows, ClickCounts into) throws IOException {
        long step = Math.max(1, maxRows);
        long reached = from;
        while (reached < to && into.rows() < maxRows) {
            long limit = Math.min(to, reached + step);
            replay(reached, limit, into);
            reached = limit;
        }
        return reached;
    }

    synchronized void close() {
        if (segment != null) {
            try {
                segment.force(false);
                syncedTo(end);
            } catch (IOException e) {
                LOG.warn("Could not sync the journal segment on closing: {}", e.toString());
            }
        }
        // Each step on its own: a failed one must not keep the directory locked.
        closeQuietly(segment);
        if (fileLock != null) {
            try {
                fileLock.release();
            } catch (IOException ignored) {
                // Closing its channel releases it too.
            }
        }
        closeQuietly(lockChannel);
        segment = null;
        fileLock = null;
        lockChannel = null;
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // Closing on the way out or after a failure: nothing left to protect.
            }
        }
    }

    /**
     * After the open segment was synced: every record up to {@code position} is on disk, unless an
     * earlier segment closed unsynced (after a failed write), which the flusher still has to sync.
     */
    private void syncedTo(long position) {
        if (synced >= segmentBase) {
            synced = position;
        }
    }

    private void openSegment() throws IOException {
        if (segment != null) {
            try {
                segment.force(false); // so that syncing the newest segment covers every record written
            } catch (IOException e) {
                syncFailed(e);
                throw e;
            }
            syncedTo(end);
            segment.close();
            segment = null;
        }
        Path path = directory.resolve(String.format("clicks-%020d.journal", end));
        FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.READ);
        try {
            channel.truncate(0);
            syncDirectory();
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        segment = channel;
        segmentBase = end;
        segments.put(end, path);
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

    /**
     * Where this directory's records not yet covered by a claim of the journal's row begin: the
     * end of the journal when it was first opened since the last claim. If the directory turns out
     * to be a copy, the records from here on are its own.
     */
    synchronized long unclaimedStart() throws IOException {
        return positionIn("journal.unclaimed").orElse(end);
    }

    /** After a claim of the journal's row: every record of this directory is covered. */
    synchronized void claimed() throws IOException {
        if (Files.deleteIfExists(directory.resolve("journal.unclaimed"))) {
            syncDirectory();
        }
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
            throw new IOException(file + " in " + directory + " is damaged");
        }
    }

    /** The owner tokens this directory's processes have claimed its row with, oldest first. */
    synchronized List<String> ownerTokens() throws IOException {
        Path path = directory.resolve("journal.owner");
        if (!Files.exists(path)) {
            return List.of();
        }
        return Files.readAllLines(path, StandardCharsets.UTF_8).stream().map(String::trim).filter(t -> !t.isEmpty()).toList();
    }

    /** Records the owner tokens: before a claim, the held ones and the new one. */
    synchronized void writeOwnerTokens(List<String> tokens) throws IOException {
        writeAtomically("journal.owner", String.join("\n", tokens));
    }

    /** The first line of a small file of this directory, or null if it has none. */
    private String firstLine(String file) throws IOException {
        Path path = directory.resolve(file);
        if (!Files.exists(path)) {
            return null;
        }
        List<String> lines = Files.readAllLines(path, StandardCharsets.UTF_8);
        return lines.isEmpty() || lines.get(0).isBlank() ? null : lines.get(0).trim();
    }

    /** Replaces a small file of this directory whole: written, synced, renamed, directory synced. */
    private void writeAtomically(String file, String content) throws IOException {
        Path tmp = directory.resolve(file + ".tmp");
        try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            channel.write(ByteBuffer.wrap((content + "\n").getBytes(StandardCharsets.UTF_8)));
            channel.force(true);
        }
        Files.move(tmp, directory.resolve(file), StandardCopyOption.ATOMIC_MOVE);
        syncDirectory();
    }

    /**
     * Validates every segment, cuts a torn tail, and returns the position after the last good
     * record. What it accepts is forced to disk: records a killed process had written but not yet
     * synced must not be applied to PostgreSQL and then lost to a power loss.
     */
    private long recover() throws IOException {
        segments.clear();
        try (var files = Files.list(directory)) {
            files.forEach(path -> {
                Matcher m = SEGMENT.matcher(path.getFileName().toString());
                if (m.matches()) {
                    try {
                        segments.put(Long.parseLong(m.group(1)), path);
                    } catch (NumberFormatException e) {
                        // Twenty digits can name more positions than a journal has: no segment of its own.
                        LOG.error("Journal file {} names a position past the last possible one; it is not read", path);
                    }
                }
            });
        }
        long recovered = segments.isEmpty() ? 0 : segments.firstKey();
        for (Map.Entry<Long, Path> entry : segments.entrySet()) {
            long base = entry.getKey();
            Long next = segments.higherKey(base);
            if (base > recovered) {
                LOG.error("Journal positions {} to {} are missing in {}", recovered, base, directory);
            }
            try (FileChannel channel = FileChannel.open(entry.getValue(), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                long records = channel.size() / JournalRecord.BYTES;
                long limit = base + (next == null ? records : Math.min(records, next - base));
                long good = format.scan(channel, base, base, limit, (seq, campaignId, kind, minute) -> { });
                long goodBytes = (good - base) * JournalRecord.BYTES;
                if (next == null && channel.size() != goodBytes) {
                    LOG.warn("Cutting the torn tail of {} at record {} ({} bytes dropped)", entry.getValue(), good - base,
                            channel.size() - goodBytes);
                    channel.truncate(goodBytes);
                    channel.force(true);
                } else if (next != null && good < next) {
                    LOG.error("Journal segment {} is damaged at position {}; positions up to {} are skipped",
                            entry.getValue(), good, next);
                }
                channel.force(false);
                recovered = good;
            }
        }
        return recovered;
    }

    private void syncDirectory() throws IOException {
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        }
    }
}
