package com.o7tracker.counting;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A journal's files in memory, and the damage a fuzzer does to them, for {@link JournalRecoveryFuzzTest}:
 * to its segments and to {@code journal.unclaimed}, never to {@code journal.id}.
 */
final class DamagedJournal {

    private static final int MAX_FLIPS = 5;
    private static final Pattern SEGMENT = Pattern.compile("clicks-(\\d{20})\\.journal2");

    final Map<String, byte[]> contents = new TreeMap<>();
    private final Map<String, byte[]> pristine;
    private final int segmentClicks;
    private final int clicks;
    private int flips;

    /** {@code pristine}: the files of a journal of {@code clicks} clicks in segments of {@code segmentClicks}. */
    DamagedJournal(Map<String, byte[]> pristine, int segmentClicks, int clicks) {
        this.pristine = pristine;
        this.segmentClicks = segmentClicks;
        this.clicks = clicks;
        pristine.forEach((name, bytes) -> contents.put(name, bytes.clone()));
    }

    /** Applies the fuzzer's damage; true if any was done. */
    boolean damage(FuzzedDataProvider data) {
        boolean damaged = false;
        int operations = data.consumeInt(0, 8);
        for (int i = 0; i < operations && data.remainingBytes() > 0; i++) {
            List<String> names = segmentNames();
            if (names.isEmpty()) {
                break;
            }
            String name = names.get(data.consumeInt(0, names.size() - 1));
            byte[] bytes = contents.get(name);
            switch (data.consumeInt(0, 9)) {
                case 0 -> contents.put(name, Arrays.copyOf(bytes, data.consumeInt(0, bytes.length)));
                case 1 -> {
                    if (bytes.length > 0 && flips < MAX_FLIPS) {
                        bytes[data.consumeInt(0, bytes.length - 1)] ^= (byte) (1 << data.consumeInt(0, 7));
                        flips++;
                    }
                }
                case 2 -> fill(bytes, data, new byte[64]);
                case 3 -> fill(bytes, data, garbage(data.consumeLong(), 64));
                case 4 -> {
                    byte[] source = contents.get(names.get(data.consumeInt(0, names.size() - 1)));
                    if (source.length > 0) {
                        int at = data.consumeInt(0, source.length - 1);
                        fill(bytes, data, Arrays.copyOfRange(source, at, Math.min(source.length, at + 64)));
                    }
                }
                case 5 -> contents.put(segmentName(data), contents.remove(name));
                case 6 -> contents.remove(name);
                case 7 -> contents.put(segmentName(data), bytes.clone());
                case 8 -> {
                    int length = data.consumeInt(1, 64);
                    byte[] tail = data.consumeBoolean() ? new byte[length] : garbage(data.consumeLong(), length);
                    byte[] longer = Arrays.copyOf(bytes, bytes.length + length);
                    System.arraycopy(tail, 0, longer, bytes.length, length);
                    contents.put(name, longer);
                }
                default -> {
                    String other = names.get(data.consumeInt(0, names.size() - 1));
                    contents.put(name, contents.get(other));
                    contents.put(other, bytes);
                }
            }
            damaged = true;
        }
        return damaged;
    }

    /**
     * The end of the positions before the first damage: each is read from the segment
     * ClickJournal wrote it in, unchanged up to and including its record, and no other segment
     * starts in between to cut it short.
     */
    long intactPrefix() {
        TreeMap<Long, byte[]> byBase = new TreeMap<>();
        contents.forEach((name, bytes) -> {
            Matcher m = SEGMENT.matcher(name);
            if (m.matches()) {
                try {
                    byBase.put(Long.parseLong(m.group(1)), bytes);
                } catch (NumberFormatException e) {
                    // past every position: it can hold none of the written ones
                }
            }
        });
        long position = 0;
        while (position < clicks) {
            long base = position - position % segmentClicks;
            Map.Entry<Long, byte[]> holder = byBase.floorEntry(position);
            int at = (int) (position - base) * JournalRecord.BYTES;
            if (holder == null || holder.getKey() != base || holder.getValue().length < at + JournalRecord.BYTES
                    || !Arrays.equals(holder.getValue(), at, at + JournalRecord.BYTES,
                            pristine.get(String.format("clicks-%020d.journal2", base)), at, at + JournalRecord.BYTES)) {
                break;
            }
            position++;
        }
        return position;
    }

    /** Every file but journal.id, without which the directory is a new journal rather than a damaged one. */
    private List<String> segmentNames() {
        List<String> names = new ArrayList<>(contents.keySet());
        names.remove("journal.id");
        return names;
    }

    /** Overwrites part of {@code bytes} with a prefix of {@code with}, within its length. */
    private static void fill(byte[] bytes, FuzzedDataProvider data, byte[] with) {
        if (bytes.length == 0) {
            return;
        }
        int at = data.consumeInt(0, bytes.length - 1);
        int length = Math.min(data.consumeInt(1, with.length), bytes.length - at);
        System.arraycopy(with, 0, bytes, at, length);
    }

    private static byte[] garbage(long seed, int length) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    /** A segment file name: mostly near the journal's positions, sometimes any twenty digits. */
    private static String segmentName(FuzzedDataProvider data) {
        String digits = data.consumeBoolean()
                ? String.format("%020d", data.consumeLong(0, 64))
                : String.format("%d%019d", data.consumeInt(0, 9), data.consumeLong(0, 999_999_999_999_999_999L));
        return "clicks-" + digits + ".journal2";
    }
}
