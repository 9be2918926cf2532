package com.o7tracker.counting;

import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;
import com.o7tracker.dimension.Visit;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local click journal: a click is answered once its checksummed record is durable. Its parts,
 * each readable alone: {@link JournalRecord} (the format and the one scan), {@link JournalSegments}
 * (the segment files, the roll, what is on disk), {@link JournalDirectory} (the lock and the small
 * files that name the journal), {@link JournalRecovery} (reading the segments back, at open and for
 * the flusher), {@link GroupCommit} (the writer thread that writes, fdatasyncs and answers whole
 * batches) and {@link ClickMeters}. This class ties them together: it opens the journal, writes
 * each batch on the writer thread, and keeps the positions the flusher works with: what is
 * durable, and what PostgreSQL has applied.
 */
public class ClickJournal {

    private static final Logger LOG = LoggerFactory.getLogger(ClickJournal.class);
    private static final long REOPEN_PAUSE_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final Durability durability;
    private final long maxBacklog;
    private final int maxPendingRows;
    private final JournalSegments segments;
    private final GroupCommit commit;
    private final JournalRecord format = new JournalRecord();
    private final ValueBound bound = new ValueBound();
    private final SeenVisits seen = new SeenVisits(bound);
    /** The writer thread's numbers of each click's values, by its place in the batch. */
    private int[][] ids = new int[1024][];
    private final ClickMeters meters;

    private volatile ClickDeltas pending;
    private volatile long recoveredEnd;
    private volatile long appliedSeq;
    private volatile boolean open;
    private volatile String failure;
    private long lastOpenAttempt;
    /** The writer thread's encoding buffer. */
    private ByteBuffer buffer = ByteBuffer.allocateDirect(JournalRecord.BYTES * 1024);

    public ClickJournal(Path directory, Durability durability, int segmentClicks, long maxBacklog,
                        long ackTimeoutMillis, MetricRegistry metrics) {
        this(directory, durability, segmentClicks, maxBacklog, ClickDeltas.DEFAULT_MAX_ROWS, 0, ackTimeoutMillis, metrics);
    }

    /**
     * {@code maxPendingRows}: the rows ({@link ClickCounts#rows}) of unapplied clicks held in memory, and
     * applied by one transaction at most; beyond, the flusher reads the journal back in pieces.
     * {@code keepAppliedNanos}: how long a segment whose clicks are all applied stays on disk, so
     * that a PostgreSQL that comes back behind (a failover that lost commits) gets them again.
     */
    public ClickJournal(Path directory, Durability durability, int segmentClicks, long maxBacklog, int maxPendingRows,
                        long keepAppliedNanos, long ackTimeoutMillis, MetricRegistry metrics) {
        this.durability = durability;
        this.maxBacklog = maxBacklog;
        this.maxPendingRows = maxPendingRows;
        this.segments = new JournalSegments(directory, segmentClicks, keepAppliedNanos);
        this.meters = new ClickMeters(metrics);
        this.commit = new GroupCommit(this::write, meters, TimeUnit.MILLISECONDS.toNanos(ackTimeoutMillis));
    }

    /** Recovers the journal (if the directory can be used now) and starts taking clicks. */
    public void start() {
        tryOpen();
        commit.start();
    }

    /** Stops taking clicks, writes the ones already taken, and closes the journal. */
    public void stop() throws InterruptedException {
        stopTaking();
        close();
    }

    /** Stops taking clicks and writes the ones already taken; the journal stays locked and readable. */
    void stopTaking() throws InterruptedException {
        int refused = commit.stop();
        if (refused > 0) {
            meters.unrecorded(ClickOutcome.STOPPED, refused);
        }
    }

    /** Syncs and closes the segment files and releases the directory's lock. */
    void close() {
        segments.close();
    }

    /**
     * Records one click and returns at once. The ack is called exactly once: by the writer thread
     * after the batch holding the click is durable (or failed), by the ack timeout if that takes
     * too long (the click may still be recorded and counted), or here, at once, when the click is
     * refused (a full backlog, a stopped journal).
     */
    public void record(long campaignId, byte kind, Visit visit, ClickAck ack) {
        ClickOutcome refused = segments.end() - appliedSeq >= maxBacklog
                ? ClickOutcome.BACKLOG_FULL
                : commit.append(campaignId, kind, visit, ack);
        if (refused != null) {
            meters.unrecorded(refused, 1);
            ack.done(refused);
        }
    }

    public boolean isOpen() {
        return open;
    }

    /** Why the last write, sync or open failed, or null while the journal works. */
    public String failure() {
        IOException syncFailure = segments.syncFailure();
        return syncFailure != null ? syncFailure.getMessage() : failure;
    }

    public String journalId() {
        return segments.directory().journalId();
    }

    public Path directory() {
        return segments.directory().path();
    }

    long recoveredEnd() {
        return recoveredEnd;
    }

    /** The journal's directory: the flusher keeps its claim of the journal's row in its files. */
    JournalDirectory files() {
        return segments.directory();
    }

    ClickDeltas pending() {
        return pending;
    }

    /** The first position still on disk (the end when there is none). */
    long firstPosition() {
        return segments.firstPosition();
    }

    /** Every record below this position is on disk (with fsync durability: every recorded click). */
    long syncedSeq() {
        return segments.synced();
    }

    /** The position the next click gets: every click below it is written (with fsync durability, on disk). */
    public long durableSeq() {
        return segments.end();
    }

    public long appliedSeq() {
        return appliedSeq;
    }

    /** Clicks journaled but not yet in PostgreSQL's counters. */
    public long backlog() {
        return Math.max(0, segments.end() - appliedSeq);
    }

    public long maxBacklog() {
        return maxBacklog;
    }

    /** Called by the flusher once PostgreSQL holds every click below {@code seq}: drops spent segments. */
    void applied(long seq) {
        appliedSeq = seq;
        segments.deleteApplied(seq);
    }

    /**
     * Before the flusher applies what it drained: every record written so far is on disk. With
     * {@code fsync} durability it already is; with {@code write} this is the fdatasync, so that
     * PostgreSQL's applied position never passes what a power loss would leave on disk.
     */
    void makeDurable() throws IOException {
        segments.forceWritten();
    }

    /** The clicks at positions [fromSeq, toSeq), read back from disk. */
    ClickCounts replay(long fromSeq, long toSeq) throws IOException {
        return segments.replay(fromSeq, toSeq);
    }

    /**
     * The next piece of the backlog that waits on disk only, from {@code fromSeq} up to
     * {@code toSeq} at most, of about as many (campaign, minute) rows as the memory holds.
     */
    ClickDeltas.Snapshot replayPiece(long fromSeq, long toSeq, long sinceNanos) throws IOException {
        ClickCounts counts = new ClickCounts();
        long reached = segments.replayPiece(fromSeq, toSeq, maxPendingRows, counts);
        return new ClickDeltas.Snapshot(counts, fromSeq, reached, sinceNanos);
    }

    // ---- the writer thread ----

    private boolean write(GroupCommit.Batch batch) {
        Timer.Context time = meters.timeWrite();
        boolean ok = false;
        try {
            if (!open && !tryOpen()) {
                return false; // failure() still says why
            }
            JournalValues values = segments.prepare();
            long start = segments.end();
            // The minute the batch is served in: its visitors are answered right after this write.
            long minute = System.currentTimeMillis() / 60_000;
            if (ids.length < batch.size) {
                ids = new int[Integer.highestOneBit(batch.size) << 1][];
            }
            for (int i = 0; i < batch.size; i++) {
                SeenVisits.Seen visit = seen.record(batch.campaignIds[i], minute / 60, batch.visits[i], values);
                batch.visits[i] = visit.admitted();
                ids[i] = visit.ids();
            }
            segments.append(encode(batch, start, minute), batch.size, durability == Durability.FSYNC);
            long end = segments.end();
            // In the deltas before any visitor is answered: an acknowledged click is always flushable.
            pending.add(batch.campaignIds, batch.kinds, batch.visits, batch.size, minute, end);
            if (failure != null) {
                LOG.info("Click journal in {} writes again", directory());
                failure = null;
            }
            ok = true;
            return true;
        } catch (IOException | RuntimeException e) {
            if (failure == null) {
                LOG.error("Click journal in {} cannot record clicks; they are redirected but not counted until it recovers",
                        directory(), e);
            }
            failure = e.getClass().getSimpleName() + ": " + e.getMessage();
            segments.writeFailed();
            return false;
        } finally {
            // Per batch, not per click, and before any visitor is answered.
            time.stop();
            meters.batch(batch.size, ok);
        }
    }

    private ByteBuffer encode(GroupCommit.Batch batch, long firstSeq, long minute) {
        int bytes = batch.size * JournalRecord.BYTES;
        if (buffer.capacity() < bytes) {
            buffer = ByteBuffer.allocateDirect(Integer.highestOneBit(bytes) << 1);
        }
        buffer.clear();
        for (int i = 0; i < batch.size; i++) {
            format.encode(buffer, firstSeq + i, batch.campaignIds[i], batch.kinds[i], minute, batch.visits[i], ids[i]);
        }
        return buffer.flip();
    }

    /** Opens (and recovers) the journal directory; false while it cannot be used, retried at most every second. */
    private synchronized boolean tryOpen() {
        if (open) {
            return true;
        }
        long now = System.nanoTime();
        if (lastOpenAttempt != 0 && now - lastOpenAttempt < REOPEN_PAUSE_NANOS) {
            return false;
        }
        lastOpenAttempt = now;
        try {
            long hour = System.currentTimeMillis() / 3_600_000;
            // The current hour's values on disk count against the bound, as they did before a restart.
            long end = segments.open((seq, campaignId, kind, minute, visit) -> {
                if (minute / 60 == hour) {
                    bound.admit(campaignId, hour, visit);
                }
            });
            recoveredEnd = end;
            appliedSeq = segments.firstPosition();
            pending = new ClickDeltas(end, maxPendingRows);
            if (end > appliedSeq) {
                pending.waitingOnDisk(); // until the flusher knows how much of it PostgreSQL has
            }
            open = true;
            failure = null;
            LOG.info("Click journal {} in {}: {} segment(s), next position {}", journalId(),
                    directory(), segments.segmentCount(), end);
            return true;
        } catch (IOException | RuntimeException e) {
            failure = e.getClass().getSimpleName() + ": " + e.getMessage();
            LOG.error("Click journal in {} cannot be opened: {}", directory(), failure);
            return false;
        }
    }
}
