package com.o7tracker.counting;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.zip.CRC32C;

/**
 * The click journal's record: 16 bytes per click, checksummed together with its position, so a
 * record found at the wrong place never passes. The format is the one every earlier version
 * wrote; a new version must keep reading it.
 *
 * <pre>
 * record: magic(1) kind(1) minute(2) campaignId(8) crc32c(4) — crc over bytes 0..11 and the position
 * </pre>
 *
 * <p>The kind is a platform code, with {@link ClickKind#BOT} set for a bot's click (versions before
 * bots were told apart wrote platform codes 0-2 only, which read as human clicks).
 */
final class JournalRecord {

    static final int BYTES = 16;
    private static final byte MAGIC = (byte) 0xC7;

    /** What a scan does with each valid record. */
    @FunctionalInterface
    interface Visitor {
        /** {@code minute}: when the click was served, in minutes since the epoch (UTC). */
        void click(long seq, long campaignId, int kind, long minute);
    }

    private final CRC32C crc = new CRC32C();
    private final byte[] scratch = new byte[BYTES];

    /**
     * Appends the record of the click at position {@code seq}, served in {@code minute} (minutes
     * since the epoch): the record keeps its last 16 bits, which name the minute exactly as long as
     * the record is read within 45 days of it ({@link #minute}).
     */
    void encode(ByteBuffer out, long seq, long campaignId, byte kind, long minute) {
        int start = out.position();
        out.put(MAGIC).put((byte) (kind | ClickKind.HAS_MINUTE)).putShort((short) minute).putLong(campaignId);
        out.get(start, scratch, 0, 12);
        out.putInt(checksum(scratch, seq));
    }

    /**
     * Reads the records at positions [{@code from}, {@code limit}) of a segment whose first record
     * is at {@code base}, handing each valid one to the visitor, and stops at the first record that
     * is missing or does not pass. Returns the position after the last valid record. Recovery and
     * replay both read the journal through this one method.
     */
    long scan(FileChannel segment, long base, long from, long limit, Visitor visitor) throws IOException {
        ByteBuffer chunk = ByteBuffer.allocate(BYTES * 4096);
        long seq = from;
        long offset = (from - base) * BYTES;
        long now = System.currentTimeMillis() / 60_000;
        while (seq < limit) {
            chunk.clear();
            chunk.limit((int) Math.min(chunk.capacity() / BYTES, limit - seq) * BYTES); // no overflow on far limits
            int read = segment.read(chunk, offset);
            if (read <= 0) {
                return seq;
            }
            offset += read;
            chunk.flip();
            long first = seq;
            while (chunk.remaining() >= BYTES) {
                chunk.get(scratch);
                if (!valid(scratch, seq)) {
                    return seq;
                }
                int kind = scratch[1] & 0xFF;
                long minute = (kind & ClickKind.HAS_MINUTE) != 0 ? minute(ByteBuffer.wrap(scratch).getShort(2), now) : now;
                visitor.click(seq, ByteBuffer.wrap(scratch).getLong(4), kind, minute);
                seq++;
            }
            if (chunk.hasRemaining()) {
                if (seq == first) {
                    return seq; // a torn record at the end of the file
                }
                offset -= chunk.remaining(); // a short read: the partial record is read again
            }
        }
        return seq;
    }

    /**
     * The minute whose last 16 bits are {@code low}, from about 44 days before {@code now} to a day
     * after it; one after {@code now} (a clock stepped back since the click) reads as {@code now}.
     * A record of an earlier version has none: its click counts in the minute it is read.
     */
    static long minute(short low, long now) {
        long latest = now + FUTURE_MINUTES;
        long minute = latest - ((latest - (low & 0xFFFF)) & 0xFFFF);
        return Math.min(minute, now);
    }

    /** How far ahead of the reader's clock a record's minute may be and still be taken as recent. */
    private static final long FUTURE_MINUTES = 24 * 60;

    private boolean valid(byte[] record, long seq) {
        return record[0] == MAGIC && ClickKind.isValid(record[1])
                && ByteBuffer.wrap(record).getInt(12) == checksum(record, seq);
    }

    private int checksum(byte[] record, long seq) {
        crc.reset();
        crc.update(record, 0, 12);
        for (int shift = 56; shift >= 0; shift -= 8) {
            crc.update((int) (seq >>> shift));
        }
        return (int) crc.getValue();
    }
}
