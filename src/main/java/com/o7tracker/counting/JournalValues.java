package com.o7tracker.counting;

import com.o7tracker.dimension.Values;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * A segment's dictionary of the values its records refer to by number: a referrer's host, a utm
 * value, a language, an OS or browser name is written once per segment, in the file beside it
 * ({@code clicks-B.values}), and each record holds 4-byte numbers. Number 0 is
 * {@link Values#NONE}, 1 {@link Values#OTHER}; the file's entries are 2, 3, … in order.
 *
 * <pre>
 * entry: length(2) utf8(length) crc32c(4) — crc over the segment's base, the entry's number and its bytes
 * </pre>
 *
 * <p>The writer thread's own: it numbers the values of a batch ({@link #id}), and the journal
 * writes the new entries ({@link #writePending}) and makes them durable before the records that
 * refer to them, so a durable record's values are always on disk. Reading a dictionary back
 * stops at the first entry that is missing or does not pass: every segment numbers its entries
 * from 2, so the checksum covers the segment's base too, and the dictionary of another segment
 * (a file copied or renamed, by a person or a damaged file system) never passes as this one's.
 */
final class JournalValues implements AutoCloseable {

    static final int NONE = 0;
    static final int OTHER = 1;
    private static final int FIRST_ENTRY = 2;
    /** Longer than any value the rules of {@link Values} let through (253 characters, up to 4 bytes each). */
    private static final int MAX_BYTES = 0xFFFF;
    /**
     * The entries a dictionary takes before its segment rolls ({@link JournalSegments#prepare}): the
     * bound of distinct values is per campaign and hour, but a segment lasts until it holds
     * millions of clicks, days at a quiet instance, and its dictionary would hold every hour's
     * values meanwhile. At most about 50 MB on disk and in the writer's map (values of 253
     * characters), read whole by each replay of the segment.
     */
    static final int MAX_ENTRIES = 100_000;

    private final FileChannel file;
    /** The position of the segment's first record. */
    private final long base;
    private final Map<String, Integer> ids = new HashMap<>();
    private final CRC32C crc = new CRC32C();
    private ByteBuffer pending = ByteBuffer.allocate(4096);
    private long written;

    /**
     * A new, empty dictionary for the segment at {@code base} being opened, in the file
     * {@link #beside} it (an older file of the same name is cut).
     */
    JournalValues(Path segment, long base) throws IOException {
        this.base = base;
        this.file = FileChannel.open(beside(segment), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.READ);
        try {
            file.truncate(0);
        } catch (IOException e) {
            file.close();
            throw e;
        }
    }

    /** The dictionary file beside a segment. */
    static Path beside(Path segment) {
        String name = segment.getFileName().toString();
        return segment.resolveSibling(name.substring(0, name.lastIndexOf('.')) + ".values");
    }

    /** The number of {@code value}, numbering it (to be written before the batch) if it is new. */
    int id(String value) {
        if (value.equals(Values.NONE)) {
            return NONE;
        }
        if (value.equals(Values.OTHER)) {
            return OTHER;
        }
        Integer id = ids.get(value);
        if (id != null) {
            return id;
        }
        int next = FIRST_ENTRY + ids.size();
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > MAX_BYTES) {
            return OTHER; // never by the rules of Values; a record stays readable whatever it is given
        }
        if (pending.remaining() < bytes.length + 6) {
            ByteBuffer larger = ByteBuffer.allocate(Math.max(pending.capacity() * 2, pending.position() + bytes.length + 6));
            pending.flip();
            pending = larger.put(pending);
        }
        pending.putShort((short) bytes.length).put(bytes).putInt(checksum(crc, base, next, bytes, 0, bytes.length));
        ids.put(value, next);
        return next;
    }

    /** How many entries this dictionary has numbered. */
    int size() {
        return ids.size();
    }

    /** Writes the entries numbered since the last write; with {@code force}, waits until they are on disk. */
    void writePending(boolean force) throws IOException {
        if (pending.position() == 0) {
            return;
        }
        pending.flip();
        while (pending.hasRemaining()) {
            written += file.write(pending, written);
        }
        pending.clear();
        if (force) {
            file.force(false);
        }
    }

    /**
     * Closes the file. After a failed write the entries numbered for the failed batch may be
     * missing from it: no durable record refers to them, and the journal goes on in a new segment.
     */
    @Override
    public void close() throws IOException {
        file.close();
    }

    void force() throws IOException {
        file.force(false);
    }

    /** Forces to disk the dictionary beside a segment of {@link JournalRecord.Format#VISITS}, if it has one. */
    static void forceBeside(Path segment) throws IOException {
        Path path = beside(segment);
        if (JournalRecord.Format.of(segment) == JournalRecord.Format.VISITS && Files.exists(path)) {
            try (FileChannel channel = FileChannel.open(path, StandardOpenOption.WRITE)) {
                channel.force(false);
            }
        }
    }

    /**
     * Reads the dictionary of the segment at {@code base} back: its entries in order, up to the
     * first that is missing or damaged.
     */
    static List<String> read(Path segment, long base) throws IOException {
        Path path = beside(segment);
        List<String> values = new ArrayList<>();
        values.add(Values.NONE);
        values.add(Values.OTHER);
        if (!Files.exists(path)) {
            return values;
        }
        byte[] all = Files.readAllBytes(path);
        CRC32C crc = new CRC32C();
        ByteBuffer in = ByteBuffer.wrap(all);
        while (in.remaining() >= 2) {
            int length = in.getShort() & 0xFFFF;
            if (in.remaining() < length + 4) {
                break;
            }
            int start = in.position();
            in.position(start + length);
            if (in.getInt() != checksum(crc, base, values.size(), all, start, length)) {
                break;
            }
            values.add(new String(all, start, length, StandardCharsets.UTF_8));
        }
        return values;
    }

    private static int checksum(CRC32C crc, long base, int id, byte[] bytes, int from, int length) {
        crc.reset();
        for (int shift = 56; shift >= 0; shift -= 8) {
            crc.update((int) (base >>> shift));
        }
        for (int shift = 24; shift >= 0; shift -= 8) {
            crc.update(id >>> shift);
        }
        crc.update(bytes, from, length);
        return (int) crc.getValue();
    }
}
