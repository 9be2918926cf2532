package com.o7tracker.counting;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.codahale.metrics.MetricRegistry;
import com.o7tracker.campaign.Platform;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.slf4j.LoggerFactory;

/**
 * Fuzzes journal recovery and replay over segment files that a disk, a crash or a person damaged:
 * truncated, cut or extended tails, zeroed or overwritten ranges, bytes copied from elsewhere, a
 * few flipped bits, segments deleted, duplicated, renamed or swapped. Starts each time from the
 * same journal, written through the real {@link ClickJournal} with known clicks, then recovers it
 * with {@link JournalSegments#open} and replays it as a restart does.
 *
 * <p>What must hold: replay never counts a click at a position where that click was not written
 * (every count is at most what was really written there, and no campaign or platform appears
 * that was never written); an undamaged journal replays exactly; a recovered journal takes new
 * records and reads them back exactly after another recovery; and anything thrown is an
 * IOException or IllegalStateException with a message, never an unchecked surprise.
 *
 * <p>The damage is what a disk or a crash does, not a forger's: overwritten bytes come from a
 * pseudo-random generator or from the journal itself, and at most five bits are flipped in all,
 * which the records' CRC32C always detects. Bytes chosen by the fuzzer could write a valid record
 * with its checksum, which no checksum can tell from a real one.
 */
class JournalRecoveryFuzzTest {

    private static final int SEGMENT_CLICKS = 8;
    private static final int CLICKS = 37;
    private static final long[] CAMPAIGNS = {4_294_967_296L, 4_294_967_297L, 9_007_199_254_740_991L, 1L};
    private static final long NEW_CAMPAIGN = 5_000_000_000L;
    private static final int MAX_FLIPS = 5;

    /** The click written at each position: campaign index, counter ({@link ClickKind#counter}). */
    private static final int[][] written = new int[CLICKS][];
    /** The journal as ClickJournal left it: file name to content. */
    private static final Map<String, byte[]> pristine = new TreeMap<>();
    private static Path scratch;
    private static int run;

    @BeforeAll
    static void writeTheJournal() throws Exception {
        // Recovery reports every damage it finds; thousands of runs a second would only flood the output.
        ((Logger) LoggerFactory.getLogger(JournalSegments.class)).setLevel(Level.OFF);
        Path dir = Files.createTempDirectory("journal-fuzz-pristine");
        ClickJournal journal = new ClickJournal(dir, Durability.FSYNC, SEGMENT_CLICKS, 1_000_000, 5_000, new MetricRegistry());
        journal.start();
        try {
            for (int i = 0; i < CLICKS; i++) {
                int campaign = (i * 7 + i / 5) % CAMPAIGNS.length;
                int platform = (i * 5 + 1) % Platform.values().length;
                boolean bot = i % 6 == 5;
                written[i] = new int[] {campaign, ClickKind.counter(ClickKind.of(Platform.fromCode(platform), bot))};
                assertThat(Clicks.record(journal, CAMPAIGNS[campaign], Platform.fromCode(platform), bot))
                        .isEqualTo(ClickJournal.Outcome.RECORDED);
            }
        } finally {
            journal.stop();
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.toList()) {
                if (!file.getFileName().toString().equals("journal.lock")) {
                    pristine.put(file.getFileName().toString(), Files.readAllBytes(file));
                }
            }
        }
        assertThat(pristine.keySet()).contains("journal.id", "clicks-00000000000000000000.journal",
                "clicks-00000000000000000032.journal");
        // tmpfs where there is one: recovery syncs every file it accepts.
        Path shm = Paths.get("/dev/shm");
        scratch = Files.isDirectory(shm) && Files.isWritable(shm)
                ? Files.createTempDirectory(shm, "journal-fuzz") : Files.createTempDirectory("journal-fuzz");
    }

    @AfterAll
    static void removeTheScratchDirectory() throws IOException {
        if (scratch != null) {
            deleteRecursively(scratch);
        }
    }

    @FuzzTest(maxDuration = "35s")
    void replayNeverCountsADamagedRecord(FuzzedDataProvider data) throws IOException {
        Segments files = new Segments(pristine);
        boolean damaged = files.damage(data);

        Path dir = scratch.resolve(Integer.toString(run++));
        Files.createDirectories(dir);
        try {
            for (Map.Entry<String, byte[]> file : files.contents.entrySet()) {
                Files.write(dir.resolve(file.getKey()), file.getValue());
            }
            recoverReplayAndContinue(dir, damaged, data.consumeLong(0, CLICKS + 8));
        } finally {
            deleteRecursively(dir);
        }
    }

    private static void recoverReplayAndContinue(Path dir, boolean damaged, long from) throws IOException {
        JournalSegments segments = new JournalSegments(dir, SEGMENT_CLICKS);
        long end;
        try {
            end = segments.open();
        } catch (IOException | IllegalStateException e) {
            assertThat(e.getMessage()).as("a journal that cannot be opened says why").isNotBlank();
            return;
        }
        try {
            long first = segments.firstPosition();
            if (!damaged) {
                assertThat(end).isEqualTo(CLICKS);
                assertThat(asLists(segments.replay(first, end).campaigns())).isEqualTo(asLists(writtenCounts(first, end)));
            }
            assertCountedOnlyWhatWasWritten(segments.replay(first, end).campaigns(), first, end);
            long start = Math.max(first, Math.min(from, end));
            assertCountedOnlyWhatWasWritten(segments.replay(start, end).campaigns(), start, end);

            // The recovered journal goes on: two new clicks are written, recovered and replayed exactly.
            JournalRecord format = new JournalRecord();
            ByteBuffer records = ByteBuffer.allocate(2 * JournalRecord.BYTES);
            format.encode(records, end, NEW_CAMPAIGN, Platform.IPHONE.code(), System.currentTimeMillis() / 60_000);
            format.encode(records, end + 1, NEW_CAMPAIGN, Platform.ANDROID.code(), System.currentTimeMillis() / 60_000);
            segments.append(records.flip(), 2, true);
        } finally {
            segments.close();
        }
        JournalSegments again = new JournalSegments(dir, SEGMENT_CLICKS);
        try {
            assertThat(again.open()).as("the end after two more clicks").isEqualTo(end + 2);
            Map<Long, long[]> continued = again.replay(end, end + 2).campaigns();
            assertThat(continued.keySet()).containsExactly(NEW_CAMPAIGN);
            assertThat(continued.get(NEW_CAMPAIGN)).containsExactly(1, 1, 0, 0, 0);
        } finally {
            again.close();
        }
    }

    /** Every replayed count at most what was written at the positions replayed; nothing else. */
    private static void assertCountedOnlyWhatWasWritten(Map<Long, long[]> replayed, long from, long to) {
        Map<Long, long[]> bound = writtenCounts(from, to);
        for (Map.Entry<Long, long[]> counted : replayed.entrySet()) {
            long[] most = bound.get(counted.getKey());
            assertThat(most).as("campaign %d was never written in [%d, %d)", counted.getKey(), from, to).isNotNull();
            for (int p = 0; p < most.length; p++) {
                assertThat(counted.getValue()[p]).as("campaign %d platform %d in [%d, %d)", counted.getKey(), p, from, to)
                        .isBetween(0L, most[p]);
            }
        }
    }

    private static Map<Long, long[]> writtenCounts(long from, long to) {
        Map<Long, long[]> counts = new HashMap<>();
        for (long p = Math.max(0, from); p < Math.min(to, CLICKS); p++) {
            int[] click = written[(int) p];
            counts.computeIfAbsent(CAMPAIGNS[click[0]], id -> new long[ClickKind.COUNTERS])[click[1]]++;
        }
        return counts;
    }

    private static Map<Long, List<Long>> asLists(Map<Long, long[]> counts) {
        Map<Long, List<Long>> lists = new HashMap<>();
        counts.forEach((id, perPlatform) -> lists.put(id, Arrays.stream(perPlatform).boxed().toList()));
        return lists;
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.delete(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    /** The journal's files in memory, and the damage done to them. */
    private static final class Segments {

        final Map<String, byte[]> contents = new TreeMap<>();
        int flips;

        Segments(Map<String, byte[]> pristine) {
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
            return "clicks-" + digits + ".journal";
        }
    }
}
