package com.o7tracker.counting;

import com.codahale.metrics.Histogram;
import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;
import com.o7tracker.campaign.Platform;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local click journal: every click is appended as a checksummed 16-byte record, and the
 * clicks that arrive while one batch is being written and fsynced share the next write and fsync
 * (group commit). A click's visitor is redirected once its record is durable.
 *
 * <p>When no write is in progress, the request thread writes its click itself (no hand-off, no
 * context switch); clicks that arrive meanwhile are handed, as one batch, to the writer thread,
 * which keeps writing while batches keep coming.
 *
 * <p>Records live in segment files named by the position (sequence number) of their first
 * record. Record {@code i} of segment {@code clicks-B.journal} has position {@code B + i}; its
 * checksum covers that position, so a record found at the wrong place never passes. Recovery
 * reads every segment, cuts a torn tail, and the flusher replays what PostgreSQL has not applied.
 * Segments wholly applied are deleted, except the newest, which carries the position forward.
 *
 * <pre>
 * record: magic(1) platform(1) reserved(2) campaignId(8) crc32c(4) — crc over bytes 0..11 and the position
 * </pre>
 */
public class ClickJournal {

    /** What became of one click. */
    public enum Outcome { RECORDED, JOURNAL_ERROR, BACKLOG_FULL, ACK_TIMEOUT, STOPPED }

    static final int RECORD_BYTES = 16;
    private static final byte MAGIC = (byte) 0xC7;
    private static final Pattern SEGMENT = Pattern.compile("clicks-(\\d{20})\\.journal");
    private static final Logger LOG = LoggerFactory.getLogger(ClickJournal.class);
    private static final long REOPEN_PAUSE_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final Path directory;
    private final Durability durability;
    private final int segmentClicks;
    private final long maxBacklog;
    private final long ackTimeoutNanos;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition hasWork = lock.newCondition();
    private Batch filling = new Batch();
    private boolean accepting;
    /** A thread holds the right to write (only one may). */
    private boolean writing;
    /** That right was handed to the writer thread. */
    private boolean writerHolds;

    private final Thread writer;
    private final NavigableMap<Long, Path> segments = new ConcurrentSkipListMap<>();
    private volatile ClickDeltas pending;
    private volatile String journalId;
    private volatile long recoveredEnd;
    private volatile long durableSeq;
    private volatile long appliedSeq;
    private volatile boolean open;
    private volatile String failure;

    // Owned by the thread that holds the write right (handed over under the lock).
    private FileChannel lockChannel;
    private FileLock fileLock;
    private FileChannel segment;
    private long segmentBase;
    private long nextSeq;
    private long lastOpenAttempt;
    private ByteBuffer buffer = ByteBuffer.allocateDirect(RECORD_BYTES * 1024);
    private final CRC32C crc = new CRC32C();

    private final Meter recorded;
    private final Map<Outcome, Meter> unrecorded = new HashMap<>();
    private final Timer writes;
    private final Histogram batchSizes;

    public ClickJournal(Path directory, Durability durability, int segmentClicks, long maxBacklog,
                        long ackTimeoutMillis, MetricRegistry metrics) {
        this.directory = directory.toAbsolutePath();
        this.durability = durability;
        this.segmentClicks = segmentClicks;
        this.maxBacklog = maxBacklog;
        this.ackTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(ackTimeoutMillis);
        this.recorded = metrics.meter("clicks.recorded");
        for (Outcome outcome : Outcome.values()) {
            if (outcome != Outcome.RECORDED) {
                unrecorded.put(outcome, metrics.meter("clicks.unrecorded." + outcome.name().toLowerCase().replace('_', '-')));
            }
        }
        this.writes = metrics.timer("clicks.journal.writes");
        this.batchSizes = metrics.histogram("clicks.journal.batchSize");
        this.writer = new Thread(this::writeLoop, "click-journal-writer");
        this.writer.setDaemon(true);
    }

    /** Recovers the journal (if the directory can be used now) and starts taking clicks. */
    public void start() {
        tryOpen();
        lock.lock();
        try {
            accepting = true;
        } finally {
            lock.unlock();
        }
        writer.start();
    }

    /** Stops taking clicks and writes the ones already taken. */
    public void stop() throws InterruptedException {
        lock.lock();
        try {
            accepting = false;
            hasWork.signal();
        } finally {
            lock.unlock();
        }
        writer.join();
        closeQuietly();
    }

    /** Records one click; with FSYNC or WRITE durability, returns once its record is durable. */
    public Outcome record(long campaignId, Platform platform) {
        if (durableSeq - appliedSeq >= maxBacklog) {
            return unrecorded(Outcome.BACKLOG_FULL, 1);
        }
        Batch batch;
        boolean lead = false;
        lock.lock();
        try {
            if (!accepting) {
                return unrecorded(Outcome.STOPPED, 1);
            }
            batch = filling;
            batch.add(campaignId, platform.code());
            if (!writing) {
                writing = true;
                if (durability == Durability.ASYNC) {
                    handToWriter();
                } else {
                    filling = new Batch();
                    lead = true;
                }
            }
        } finally {
            lock.unlock();
        }
        if (lead) {
            write(batch);
            releaseWrite();
        }
        if (durability == Durability.ASYNC) {
            return Outcome.RECORDED;
        }
        try {
            return batch.done.get(ackTimeoutNanos, TimeUnit.NANOSECONDS) ? Outcome.RECORDED : Outcome.JOURNAL_ERROR;
        } catch (TimeoutException e) {
            // The record may still become durable and be counted; the visitor is not kept waiting.
            return unrecorded(Outcome.ACK_TIMEOUT, 1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return unrecorded(Outcome.ACK_TIMEOUT, 1);
        } catch (ExecutionException e) {
            return Outcome.JOURNAL_ERROR;
        }
    }

    public boolean isOpen() {
        return open;
    }

    /** Why the last write or open failed, or null while the journal works. */
    public String failure() {
        return failure;
    }

    public String journalId() {
        return journalId;
    }

    public Path directory() {
        return directory;
    }

    long recoveredEnd() {
        return recoveredEnd;
    }

    ClickDeltas pending() {
        return pending;
    }

    public long durableSeq() {
        return durableSeq;
    }

    public long appliedSeq() {
        return appliedSeq;
    }

    /** Clicks journaled but not yet in PostgreSQL's counters. */
    public long backlog() {
        return Math.max(0, durableSeq - appliedSeq);
    }

    public long maxBacklog() {
        return maxBacklog;
    }

    /** Called by the flusher once PostgreSQL holds every click below {@code seq}: drops spent segments. */
    void applied(long seq) {
        appliedSeq = seq;
        Map.Entry<Long, Path> newest = segments.lastEntry();
        for (Map.Entry<Long, Path> entry : segments.entrySet()) {
            Long next = segments.higherKey(entry.getKey());
            if (newest == null || entry.getKey().equals(newest.getKey()) || next == null || next > seq) {
                break;
            }
            try {
                Files.deleteIfExists(entry.getValue());
                segments.remove(entry.getKey());
            } catch (IOException e) {
                LOG.warn("Could not delete applied journal segment {}: {}", entry.getValue(), e.getMessage());
                break;
            }
        }
    }

    /**
     * Reads the clicks at positions [fromSeq, toSeq) back from the segments, per campaign and
     * platform. Used once at start-up, for what PostgreSQL had not applied before the restart.
     */
    Map<Long, long[]> replay(long fromSeq, long toSeq) throws IOException {
        Map<Long, long[]> counts = new HashMap<>();
        List<Map.Entry<Long, Path>> list = new ArrayList<>(segments.entrySet());
        ByteBuffer record = ByteBuffer.allocate(RECORD_BYTES);
        for (int i = 0; i < list.size(); i++) {
            long base = list.get(i).getKey();
            long limit = Math.min(toSeq, i + 1 < list.size() ? list.get(i + 1).getKey() : Long.MAX_VALUE);
            if (limit <= fromSeq) {
                continue;
            }
            long start = Math.max(base, fromSeq);
            try (FileChannel channel = FileChannel.open(list.get(i).getValue(), StandardOpenOption.READ)) {
                ByteBuffer chunk = ByteBuffer.allocate(RECORD_BYTES * 4096);
                channel.position((start - base) * RECORD_BYTES);
                long seq = start;
                while (seq < limit) {
                    chunk.clear();
                    long want = Math.min(chunk.capacity(), (limit - seq) * RECORD_BYTES);
                    chunk.limit((int) want);
                    int read = channel.read(chunk);
                    if (read <= 0) {
                        break;
                    }
                    chunk.flip();
                    while (chunk.remaining() >= RECORD_BYTES && seq < limit) {
                        chunk.get(record.array());
                        if (!valid(record, seq)) {
                            throw new IOException("Journal record " + seq + " in " + list.get(i).getValue() + " is damaged");
                        }
                        counts.computeIfAbsent(record.getLong(4), id -> new long[Platform.values().length])[record.get(1)]++;
                        seq++;
                    }
                }
            }
        }
        return counts;
    }

    // ---- the writer thread ----

    /** Called with the lock held by the holder of the write right, when clicks wait. */
    private void handToWriter() {
        writerHolds = true;
        hasWork.signal();
    }

    /** After a request thread's own write: the clicks that came meanwhile go to the writer thread. */
    private void releaseWrite() {
        lock.lock();
        try {
            if (filling.size > 0) {
                handToWriter();
            } else {
                writing = false;
                if (!accepting) {
                    hasWork.signal();
                }
            }
        } finally {
            lock.unlock();
        }
    }

    private void writeLoop() {
        while (true) {
            Batch batch;
            lock.lock();
            try {
                while (true) {
                    if (writerHolds) {
                        if (filling.size > 0) {
                            break;
                        }
                        writerHolds = false;
                        writing = false;
                    }
                    if (!accepting && !writing) {
                        if (filling.size == 0) {
                            return;
                        }
                        writing = true;
                        writerHolds = true;
                        continue;
                    }
                    hasWork.awaitUninterruptibly();
                }
                batch = filling;
                filling = new Batch();
            } finally {
                lock.unlock();
            }
            write(batch);
        }
    }

    private void write(Batch batch) {
        boolean ok = false;
        try (Timer.Context ignored = writes.time()) {
            if (!open && !tryOpen()) {
                throw new Unavailable();
            }
            if (segment == null || nextSeq - segmentBase >= segmentClicks) {
                openSegment();
            }
            ByteBuffer bytes = encode(batch);
            long position = (nextSeq - segmentBase) * RECORD_BYTES;
            while (bytes.hasRemaining()) {
                position += segment.write(bytes, position);
            }
            if (durability == Durability.FSYNC) {
                segment.force(false);
            }
            long end = nextSeq + batch.size;
            // In the deltas before the visitor is answered: an acknowledged click is always flushable.
            pending.add(batch.campaignIds, batch.platforms, batch.size, end);
            nextSeq = end;
            durableSeq = end;
            ok = true;
            if (failure != null) {
                LOG.info("Click journal in {} writes again", directory);
                failure = null;
            }
        } catch (IOException | RuntimeException e) {
            writeFailed(e);
        }
        batchSizes.update(batch.size);
        if (ok) {
            recorded.mark(batch.size);
        } else {
            unrecorded(Outcome.JOURNAL_ERROR, batch.size);
        }
        batch.done.complete(ok);
    }

    private ByteBuffer encode(Batch batch) {
        int bytes = batch.size * RECORD_BYTES;
        if (buffer.capacity() < bytes) {
            buffer = ByteBuffer.allocateDirect(Integer.highestOneBit(bytes) << 1);
        }
        buffer.clear();
        ByteBuffer record = ByteBuffer.allocate(RECORD_BYTES);
        for (int i = 0; i < batch.size; i++) {
            record.clear();
            record.put(MAGIC).put(batch.platforms[i]).putShort((short) 0).putLong(batch.campaignIds[i]);
            record.putInt(checksum(record.array(), nextSeq + i));
            buffer.put(record.array());
        }
        buffer.flip();
        return buffer;
    }

    private int checksum(byte[] record, long seq) {
        crc.reset();
        crc.update(record, 0, 12);
        for (int shift = 56; shift >= 0; shift -= 8) {
            crc.update((int) (seq >>> shift));
        }
        return (int) crc.getValue();
    }

    private boolean valid(ByteBuffer record, long seq) {
        byte[] bytes = record.array();
        return bytes[0] == MAGIC && Platform.isCode(bytes[1]) && record.getInt(12) == checksum(bytes, seq);
    }

    private void openSegment() throws IOException {
        if (segment != null) {
            segment.close();
            segment = null;
        }
        Path path = directory.resolve(String.format("clicks-%020d.journal", nextSeq));
        FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        channel.truncate(0);
        syncDirectory();
        segment = channel;
        segmentBase = nextSeq;
        segments.put(nextSeq, path);
    }

    private void writeFailed(Exception e) {
        if (e instanceof Unavailable) {
            return; // still the failure tryOpen() recorded
        }
        String message = e.getClass().getSimpleName() + ": " + e.getMessage();
        if (failure == null) {
            LOG.error("Click journal in {} cannot record clicks; they are redirected but not counted until it recovers",
                    directory, e);
        }
        failure = message;
        if (segment != null) {
            // Cut what the failed write may have left; a new segment starts at the same position.
            try {
                segment.truncate((nextSeq - segmentBase) * RECORD_BYTES);
            } catch (IOException ignored) {
                // Replay ignores records a later segment's first position overrides.
            }
            try {
                segment.close();
            } catch (IOException ignored) {
                // Nothing more to do with a failed file.
            }
            segment = null;
        }
    }

    /** Opens (and recovers) the journal directory; false while it cannot be used. */
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
            Files.createDirectories(directory);
            lockChannel = FileChannel.open(directory.resolve("journal.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            try {
                fileLock = lockChannel.tryLock();
            } catch (java.nio.channels.OverlappingFileLockException e) {
                fileLock = null;
            }
            if (fileLock == null) {
                throw new IOException("another process or journal holds the journal " + directory);
            }
            journalId = readOrCreateId();
            long end = recover();
            recoveredEnd = end;
            nextSeq = end;
            durableSeq = end;
            appliedSeq = segments.isEmpty() ? end : segments.firstKey();
            pending = new ClickDeltas(end);
            open = true;
            failure = null;
            LOG.info("Click journal {} in {}: {} segment(s), next position {}", journalId, directory, segments.size(), end);
            return true;
        } catch (IOException | RuntimeException e) {
            failure = e.getClass().getSimpleName() + ": " + e.getMessage();
            LOG.error("Click journal in {} cannot be opened: {}", directory, failure);
            closeQuietly();
            return false;
        }
    }

    private String readOrCreateId() throws IOException {
        Path idFile = directory.resolve("journal.id");
        if (Files.exists(idFile)) {
            String id = Files.readString(idFile, StandardCharsets.UTF_8).trim();
            if (!id.isEmpty()) {
                return id;
            }
        }
        String id = UUID.randomUUID().toString();
        Path tmp = directory.resolve("journal.id.tmp");
        try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            channel.write(ByteBuffer.wrap((id + "\n").getBytes(StandardCharsets.UTF_8)));
            channel.force(true);
        }
        Files.move(tmp, idFile, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        syncDirectory();
        return id;
    }

    /** Validates every segment, cuts a torn tail, and returns the position after the last good record. */
    private long recover() throws IOException {
        segments.clear();
        try (var files = Files.list(directory)) {
            files.forEach(path -> {
                Matcher m = SEGMENT.matcher(path.getFileName().toString());
                if (m.matches()) {
                    segments.put(Long.parseLong(m.group(1)), path);
                }
            });
        }
        long end = 0;
        ByteBuffer record = ByteBuffer.allocate(RECORD_BYTES);
        for (Map.Entry<Long, Path> entry : segments.entrySet()) {
            long base = entry.getKey();
            Long next = segments.higherKey(base);
            long good = 0;
            try (FileChannel channel = FileChannel.open(entry.getValue(), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                long records = channel.size() / RECORD_BYTES;
                long limit = next == null ? records : Math.min(records, next - base);
                ByteBuffer chunk = ByteBuffer.allocate(RECORD_BYTES * 4096);
                channel.position(0);
                scan:
                while (good < limit) {
                    chunk.clear();
                    if (channel.read(chunk) <= 0) {
                        break;
                    }
                    chunk.flip();
                    while (chunk.remaining() >= RECORD_BYTES && good < limit) {
                        chunk.get(record.array());
                        if (!valid(record, base + good)) {
                            break scan;
                        }
                        good++;
                    }
                }
                if (next == null && channel.size() != good * RECORD_BYTES) {
                    LOG.warn("Cutting the torn tail of {} at record {} ({} bytes dropped)", entry.getValue(), good,
                            channel.size() - good * RECORD_BYTES);
                    channel.truncate(good * RECORD_BYTES);
                    channel.force(true);
                } else if (next != null && base + good < next) {
                    LOG.error("Journal segment {} is damaged at position {}; positions up to {} are skipped",
                            entry.getValue(), base + good, next);
                }
            }
            end = base + good;
        }
        return end;
    }

    private void syncDirectory() throws IOException {
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        }
    }

    private synchronized void closeQuietly() {
        try {
            if (segment != null) {
                segment.close();
            }
            if (fileLock != null) {
                fileLock.release();
            }
            if (lockChannel != null) {
                lockChannel.close();
            }
        } catch (IOException ignored) {
            // Closing on the way out or after a failure: nothing left to protect.
        }
        segment = null;
        fileLock = null;
        lockChannel = null;
    }

    private Outcome unrecorded(Outcome outcome, int clicks) {
        unrecorded.get(outcome).mark(clicks);
        return outcome;
    }

    /** The directory could not be opened; {@link #failure} says why. */
    private static final class Unavailable extends IOException {
    }

    /** Clicks taken while the previous batch was being written; they share one write and fsync. */
    private static final class Batch {
        long[] campaignIds = new long[64];
        byte[] platforms = new byte[64];
        int size;
        final CompletableFuture<Boolean> done = new CompletableFuture<>();

        void add(long campaignId, byte platform) {
            if (size == campaignIds.length) {
                campaignIds = java.util.Arrays.copyOf(campaignIds, size * 2);
                platforms = java.util.Arrays.copyOf(platforms, size * 2);
            }
            campaignIds[size] = campaignId;
            platforms[size] = platform;
            size++;
        }
    }
}
