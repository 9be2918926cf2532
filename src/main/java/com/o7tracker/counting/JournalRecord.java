package com.o7tracker.counting;

import com.o7tracker.dimension.Dimension;
import com.o7tracker.dimension.Visit;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The click journal's records, checksummed together with their position, so a record found at the
 * wrong place never passes. A segment holds records of one format, told by its file's name; this
 * version writes {@link Format#VISITS}, and reads {@link Format#CLICKS} too, the format every
 * earlier version wrote, its clicks counted with nothing told of where they came from
 * ({@link Visit#UNKNOWN}).
 *
 * <pre>
 * CLICKS (clicks-B.journal, 16 bytes): magic(1) kind(1) minute(2) campaignId(8) crc32c(4)
 * VISITS (clicks-B.journal2, 48 bytes): magic(1) kind(1) minute(2) campaignId(8) country(2) 0(2)
 *          referrer(4) utm_source(4) utm_medium(4) utm_campaign(4) language(4) os(4) browser(4) crc32c(4)
 * crc over the bytes before it and the position
 * </pre>
 *
 * <p>The kind is a platform code, with {@link ClickKind#BOT} set for a bot's click (versions before
 * bots were told apart wrote platform codes 0-2 only, which read as human clicks). The country is
 * two ASCII letters; the other values are numbers in the segment's dictionary ({@link JournalValues}).
 */
final class JournalRecord {

    /** A segment's record format. */
    enum Format {
        CLICKS(16, (byte) 0xC7, ".journal"),
        VISITS(48, (byte) 0xC9, ".journal2");

        final int bytes;
        final byte magic;
        final String suffix;

        Format(int bytes, byte magic, String suffix) {
            this.bytes = bytes;
            this.magic = magic;
            this.suffix = suffix;
        }

        /** The format of a segment file, by its name. */
        static Format of(Path segment) {
            return segment.getFileName().toString().endsWith(VISITS.suffix) ? VISITS : CLICKS;
        }
    }

    /** The format this version writes. */
    static final Format WRITTEN = Format.VISITS;
    /** The size of a record this version writes. */
    static final int BYTES = WRITTEN.bytes;
    /**
     * The dimensions after the country, in the order their numbers are in a record: the text that
     * visitors send, kept in the segment's dictionary (and bounded by {@link ValueBound}).
     */
    static final Dimension[] NUMBERED = {Dimension.REFERRER, Dimension.UTM_SOURCE, Dimension.UTM_MEDIUM,
        Dimension.UTM_CAMPAIGN, Dimension.LANGUAGE, Dimension.OS, Dimension.BROWSER};
    private static final int MAX_BYTES = Format.VISITS.bytes;

    /** What a scan does with each valid record. */
    @FunctionalInterface
    interface Visitor {
        /** {@code minute}: when the click was served, in minutes since the epoch (UTC). */
        void click(long seq, long campaignId, int kind, long minute, Visit visit);
    }

    private final CRC32C crc = new CRC32C();
    private final byte[] scratch = new byte[MAX_BYTES];

    /**
     * Appends the record of the click at position {@code seq}, served in {@code minute} (minutes
     * since the epoch): the record keeps its last 16 bits, which name the minute exactly as long as
     * the record is read within 45 days of it ({@link #minute}). {@code ids}: the numbers of the
     * visit's values in the segment's dictionary ({@link #ids}).
     */
    void encode(ByteBuffer out, long seq, long campaignId, byte kind, long minute, Visit visit, int[] ids) {
        int start = out.position();
        out.put(WRITTEN.magic).put((byte) (kind | ClickKind.HAS_MINUTE)).putShort((short) minute).putLong(campaignId);
        String country = visit.get(Dimension.COUNTRY);
        boolean letters = country.length() == 2 && isLetter(country.charAt(0)) && isLetter(country.charAt(1));
        out.put((byte) (letters ? country.charAt(0) : 'Z')).put((byte) (letters ? country.charAt(1) : 'Z')).putShort((short) 0);
        for (int id : ids) {
            out.putInt(id);
        }
        int body = WRITTEN.bytes - 4;
        out.get(start, scratch, 0, body);
        out.putInt(checksum(scratch, body, seq));
    }

    /** The numbers of the visit's values (all but the country) in the segment's dictionary, in record order. */
    static int[] ids(Visit visit, JournalValues values) {
        int[] ids = new int[NUMBERED.length];
        for (int i = 0; i < NUMBERED.length; i++) {
            ids[i] = values.id(visit.get(NUMBERED[i]));
        }
        return ids;
    }

    /**
     * Reads the records at positions [{@code from}, {@code limit}) of a segment of {@code format}
     * whose first record is at {@code base}, handing each valid one to the visitor, and stops at
     * the first record that is missing or does not pass. {@code values}: the segment's dictionary
     * ({@link JournalValues#read}), unused for {@link Format#CLICKS}. Returns the position after
     * the last valid record. Recovery and replay both read the journal through this one method.
     */
    long scan(FileChannel segment, Format format, List<String> values, long base, long from, long limit, Visitor visitor)
            throws IOException {
        int size = format.bytes;
        ByteBuffer chunk = ByteBuffer.allocate(size * 4096);
        long seq = from;
        long offset = (from - base) * size;
        long now = System.currentTimeMillis() / 60_000;
        while (seq < limit) {
            chunk.clear();
            chunk.limit((int) Math.min(chunk.capacity() / size, limit - seq) * size); // no overflow on far limits
            int read = segment.read(chunk, offset);
            if (read <= 0) {
                return seq;
            }
            offset += read;
            chunk.flip();
            long first = seq;
            while (chunk.remaining() >= size) {
                chunk.get(scratch, 0, size);
                if (!valid(format, scratch, seq)) {
                    return seq;
                }
                ByteBuffer record = ByteBuffer.wrap(scratch, 0, size);
                int kind = scratch[1] & 0xFF;
                long minute = (kind & ClickKind.HAS_MINUTE) != 0 ? minute(record.getShort(2), now) : now;
                visitor.click(seq, record.getLong(4), kind, minute, format == Format.VISITS ? visit(record, values) : Visit.UNKNOWN);
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
     * The values of a {@link Format#VISITS} record. A number past the dictionary (an entry a power
     * loss took with {@code write} durability, which syncs the dictionary with the records but not
     * before them) reads as {@link com.o7tracker.dimension.Values#NONE}: the click still counts.
     */
    private static Visit visit(ByteBuffer record, List<String> values) {
        Visit.Builder visit = Visit.builder();
        char first = (char) record.get(12);
        char second = (char) record.get(13);
        if (isLetter(first) && isLetter(second)) {
            visit.set(Dimension.COUNTRY, new String(new char[] {first, second}));
        }
        for (int i = 0; i < NUMBERED.length; i++) {
            int id = record.getInt(16 + 4 * i);
            if (id > JournalValues.NONE && id < values.size()) {
                visit.set(NUMBERED[i], values.get(id));
            }
        }
        return visit.build();
    }

    private static boolean isLetter(char c) {
        return c >= 'A' && c <= 'Z';
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

    private boolean valid(Format format, byte[] record, long seq) {
        int body = format.bytes - 4;
        return record[0] == format.magic && ClickKind.isValid(record[1])
                && ByteBuffer.wrap(record).getInt(body) == checksum(record, body, seq);
    }

    private int checksum(byte[] record, int length, long seq) {
        crc.reset();
        crc.update(record, 0, length);
        for (int shift = 56; shift >= 0; shift -= 8) {
            crc.update((int) (seq >>> shift));
        }
        return (int) crc.getValue();
    }
}
