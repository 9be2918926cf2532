package com.o7tracker.counting;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The journal's segments: files named by the position of their first record (record {@code i} of
 * {@code clicks-B.journal} has position {@code B + i}), the one being appended to, the roll to a
 * new one when it is full, and what is known to be on disk. Wholly applied segments are deleted,
 * except the newest, which carries the position forward. The directory's lock and small files are
 * {@link JournalDirectory}'s; reading the segments back, at open and for the flusher, is
 * {@link JournalRecovery}'s.
 *
 * <p>One thread appends (the journal's writer); the flusher deletes applied segments, replays once
 * at start-up, and with {@code write} durability forces the written records to disk before it
 * applies them, through channels of its own (an interrupted flusher must not close the writer's).
 * Opening, appending and closing hold the directory's monitor. The segment map is a concurrent
 * map; {@link #end} and {@link #synced} are published volatile. It is one piece: the open segment, its
 * dictionary ({@link JournalValues}), the segment map and the positions change together under
 * that one monitor, and the rules of what is on disk (a roll, a failed write, a failed sync) each
 * touch all of them.
 */
final class JournalSegments {

    private static final Logger LOG = LoggerFactory.getLogger(JournalSegments.class);

    private final JournalDirectory directory;
    private final int segmentClicks;
    private final NavigableMap<Long, Path> segments = new ConcurrentSkipListMap<>();
    private final JournalRecovery recovery;
    private final long keepAppliedNanos;
    /** When each wholly applied segment was first seen so (System.nanoTime); the flusher's own. */
    private final Map<Long, Long> appliedSince = new HashMap<>();

    private FileChannel segment;
    /** The open segment's dictionary of values. */
    private JournalValues values;
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
        this.directory = new JournalDirectory(directory);
        this.segmentClicks = segmentClicks;
        this.keepAppliedNanos = keepAppliedNanos;
        this.recovery = new JournalRecovery(this.directory.path(), segments);
    }

    /** The directory's lock and small files. */
    JournalDirectory directory() {
        return directory;
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

    /**
     * Locks the directory, reads or creates the journal id, and recovers the segments, showing
     * {@code seen} every valid record: returns the end.
     */
    long open(JournalRecord.Visitor seen) throws IOException {
        synchronized (directory) {
            try {
                directory.lock();
                end = recovery.recover(seen);
                synced = end; // recovery forced what it accepted
                directory.noteUnclaimedFrom(end);
                return end;
            } catch (IOException | RuntimeException e) {
                close();
                throw e;
            }
        }
    }

    /**
     * Before a batch is encoded: rolls to a new segment when the current one is full of clicks or
     * its dictionary full of values ({@link JournalValues#MAX_ENTRIES}), or there is none, and
     * returns the dictionary the batch's values are numbered in.
     */
    JournalValues prepare() throws IOException {
        synchronized (directory) {
            if (segment == null || end - segmentBase >= segmentClicks
                    || (values.size() >= JournalValues.MAX_ENTRIES && end > segmentBase)) {
                openSegment();
            }
            return values;
        }
    }

    /**
     * Writes the values numbered since the last append, then {@code records} encoded records at
     * the end, and with {@code force} waits until each is on disk (fdatasync) in that order: a
     * durable record's values are always on disk. Call {@link #prepare} first.
     */
    void append(ByteBuffer bytes, int records, boolean force) throws IOException {
        synchronized (directory) {
            if (segment == null) {
                throw new IllegalStateException("no segment is open: prepare() first");
            }
            values.writePending(force);
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
                JournalValues.forceBeside(path); // the values before the records that refer to them
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
    void writeFailed() {
        synchronized (directory) {
            if (segment == null) {
                return;
            }
            try {
                segment.truncate((end - segmentBase) * JournalRecord.BYTES);
                values.force();
                segment.force(false); // what write durability wrote before the failure; this segment closes now
                syncedTo(end);
            } catch (IOException e) {
                // The next segment starts at the same position: recovery and replay stop at its base.
                syncFailed(e);
            }
            closeQuietly(segment, values);
            segment = null;
            values = null;
        }
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
                Files.deleteIfExists(JournalValues.beside(entry.getValue()));
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
        return recovery.replay(from, to, new ClickCounts());
    }

    /** A piece of a backlog of about {@code maxRows} rows, see {@link JournalRecovery#replayPiece}. */
    long replayPiece(long from, long to, int maxRows, ClickCounts into) throws IOException {
        return recovery.replayPiece(from, to, maxRows, into);
    }

    /** Syncs and closes the open segment, then releases the directory's lock. */
    void close() {
        synchronized (directory) {
            if (segment != null) {
                try {
                    values.force();
                    segment.force(false);
                    syncedTo(end);
                } catch (IOException e) {
                    LOG.warn("Could not sync the journal segment on closing: {}", e.toString());
                }
            }
            // Each step on its own: a failed one must not keep the directory locked.
            closeQuietly(segment, values);
            segment = null;
            values = null;
            directory.unlock();
        }
    }

    private static void closeQuietly(FileChannel channel, JournalValues dictionary) {
        try (JournalValues closesSecond = dictionary; FileChannel closesFirst = channel) {
            // Closing on the way out or after a failure: nothing left to protect.
        } catch (IOException ignored) {
            // Each is closed whatever the other does.
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
                values.force();
                segment.force(false); // so that syncing the newest segment covers every record written
            } catch (IOException e) {
                syncFailed(e);
                throw e;
            }
            syncedTo(end);
            closeQuietly(segment, values);
            segment = null;
            values = null;
        }
        // An earlier version's segment at this position holds no record (recovery ended here): this one replaces it.
        Files.deleteIfExists(directory.segment(end, JournalRecord.Format.CLICKS));
        Path path = directory.segment(end, JournalRecord.WRITTEN);
        FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.READ);
        JournalValues dictionary = null;
        try {
            channel.truncate(0);
            dictionary = new JournalValues(path, end);
            directory.syncDirectory();
        } catch (IOException | RuntimeException e) {
            closeQuietly(channel, dictionary);
            throw e;
        }
        segment = channel;
        values = dictionary;
        segmentBase = end;
        segments.put(end, path);
    }
}
