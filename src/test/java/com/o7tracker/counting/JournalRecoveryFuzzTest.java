package com.o7tracker.counting;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.codahale.metrics.MetricRegistry;
import com.o7tracker.campaign.Platform;
import com.o7tracker.dimension.Dimension;
import com.o7tracker.dimension.Values;
import com.o7tracker.dimension.Visit;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 * that was never written); every click before the first damage is counted (damage takes the
 * clicks it touches, never the intact ones before it); an undamaged journal replays exactly; a
 * recovered journal takes new records and reads them back exactly after another recovery. Damaged
 * records never stop a start (recovery cuts or skips them), so a journal is refused only for the
 * one small file whose damage is fatal, {@code journal.unclaimed}, and then with the error that
 * names it: a recovery that refused every damaged journal, or threw anything else, fails here.
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
    private static final String UNCLAIMED = "journal.unclaimed";

    /** The click written at each position: campaign index, counter ({@link ClickKind#counter}). */
    private static final int[][] written = new int[CLICKS][];
    /** Where the click at each position came from: values of its own, so each segment's dictionary has entries. */
    private static final Visit[] visits = new Visit[CLICKS];
    /** The journal as ClickJournal left it: file name to content. */
    private static final Map<String, byte[]> pristine = new TreeMap<>();
    private static Path scratch;
    private static int run;

    @BeforeAll
    static void writeTheJournal() throws Exception {
        // Recovery reports every damage it finds; thousands of runs a second would only flood the output.
        ((Logger) LoggerFactory.getLogger(JournalSegments.class)).setLevel(Level.OFF);
        ((Logger) LoggerFactory.getLogger(JournalRecovery.class)).setLevel(Level.OFF);
        Path dir = Files.createTempDirectory("journal-fuzz-pristine");
        ClickJournal journal = new ClickJournal(dir, Durability.FSYNC, SEGMENT_CLICKS, 1_000_000, 5_000, new MetricRegistry());
        journal.start();
        try {
            for (int i = 0; i < CLICKS; i++) {
                int campaign = (i * 7 + i / 5) % CAMPAIGNS.length;
                int platform = (i * 5 + 1) % Platform.values().length;
                boolean bot = i % 6 == 5;
                written[i] = new int[] {campaign, ClickKind.counter(ClickKind.of(Platform.fromCode(platform), bot))};
                visits[i] = Visit.builder().set(Dimension.COUNTRY, i % 3 == 0 ? "DE" : "FR")
                        .set(Dimension.REFERRER, "r" + i + ".example").set(Dimension.UTM_SOURCE, "s" + i % 4)
                        .set(Dimension.BROWSER, i % 5 == 0 ? Values.NONE : "b" + i).build();
                assertThat(Clicks.record(journal, CAMPAIGNS[campaign], Platform.fromCode(platform), bot, visits[i]))
                        .isEqualTo(ClickOutcome.RECORDED);
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
        assertThat(pristine.keySet()).contains("journal.id", "clicks-00000000000000000000.journal2",
                "clicks-00000000000000000032.journal2");
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
        DamagedJournal files = new DamagedJournal(pristine, SEGMENT_CLICKS, CLICKS);
        boolean damaged = files.damage(data);

        Path dir = scratch.resolve(Integer.toString(run++));
        Files.createDirectories(dir);
        try {
            for (Map.Entry<String, byte[]> file : files.contents.entrySet()) {
                Files.write(dir.resolve(file.getKey()), file.getValue());
            }
            recoverReplayAndContinue(dir, files, damaged, data.consumeLong(0, CLICKS + 8));
        } finally {
            deleteRecursively(dir);
        }
    }

    private static void recoverReplayAndContinue(Path dir, DamagedJournal files, boolean damaged, long from) throws IOException {
        JournalSegments segments = new JournalSegments(dir, SEGMENT_CLICKS);
        long end;
        try {
            end = segments.open((seq, campaignId, kind, minute, visit) -> assertVisitAsWritten(seq, visit));
        } catch (IOException | IllegalStateException e) {
            assertRefusedForTheDamageDone(e, files, dir);
            return;
        }
        try {
            long first = segments.firstPosition();
            long intact = files.intactPrefix();
            if (!damaged) {
                assertThat(end).isEqualTo(CLICKS);
                assertThat(asLists(segments.replay(first, end).campaigns())).isEqualTo(asLists(writtenCounts(first, end)));
                assertThat(valueCounts(segments.replay(first, end))).isEqualTo(writtenValueCounts(first, end));
            }
            Map<Long, long[]> replayed = segments.replay(first, end).campaigns();
            assertCountedOnlyWhatWasWritten(replayed, first, end);
            assertCountedEveryIntactClick(replayed, first, intact);
            assertCountedOnlyValuesWritten(segments.replay(first, end), first, end);
            long start = Math.max(first, Math.min(from, end));
            Map<Long, long[]> replayedFromStart = segments.replay(start, end).campaigns();
            assertCountedOnlyWhatWasWritten(replayedFromStart, start, end);
            assertCountedEveryIntactClick(replayedFromStart, start, intact);

            // The recovered journal goes on: two new clicks are written, recovered and replayed exactly.
            JournalRecord format = new JournalRecord();
            ByteBuffer records = ByteBuffer.allocate(2 * JournalRecord.BYTES);
            JournalValues values = segments.prepare();
            format.encode(records, end, NEW_CAMPAIGN, Platform.IPHONE.code(), System.currentTimeMillis() / 60_000,
                    Visit.UNKNOWN, JournalRecord.ids(Visit.UNKNOWN, values));
            format.encode(records, end + 1, NEW_CAMPAIGN, Platform.ANDROID.code(), System.currentTimeMillis() / 60_000,
                    Visit.UNKNOWN, JournalRecord.ids(Visit.UNKNOWN, values));
            segments.append(records.flip(), 2, true);
        } finally {
            segments.close();
        }
        JournalSegments again = new JournalSegments(dir, SEGMENT_CLICKS);
        try {
            assertThat(again.open((seq, campaignId, kind, minute, visit) -> { })).as("the end after two more clicks").isEqualTo(end + 2);
            Map<Long, long[]> continued = again.replay(end, end + 2).campaigns();
            assertThat(continued.keySet()).containsExactly(NEW_CAMPAIGN);
            assertThat(continued.get(NEW_CAMPAIGN)).containsExactly(1, 1, 0, 0, 0);
        } finally {
            again.close();
        }
    }

    /**
     * A record that passes its checksum is the click written at its position: each of its values is
     * the one written, or {@link Values#NONE} when its dictionary entry is missing or damaged, never
     * another click's value (an entry of another segment's dictionary, say).
     */
    private static void assertVisitAsWritten(long seq, Visit visit) {
        assertThat(seq).isBetween(0L, CLICKS - 1L);
        Visit sent = visits[(int) seq];
        for (Dimension d : Dimension.values()) {
            if (d == Dimension.COUNTRY) {
                assertThat(visit.get(d)).as("position %d's country", seq).isEqualTo(sent.get(d));
            } else {
                assertThat(visit.get(d)).as("position %d's %s", seq, d.wireName()).isIn(sent.get(d), Values.NONE);
            }
        }
    }

    /**
     * A refusal must be for the damage done: {@code journal.unclaimed} changed, and the error the
     * journal gives for it, either that it does not parse or (for bytes that are no UTF-8) that it
     * cannot be decoded.
     */
    private static void assertRefusedForTheDamageDone(Exception e, DamagedJournal files, Path dir) {
        byte[] unclaimed = files.contents.get(UNCLAIMED);
        assertThat(unclaimed != null && !Arrays.equals(unclaimed, pristine.get(UNCLAIMED)))
                .as("refused although only segments were damaged: %s", e).isTrue();
        if (e instanceof CharacterCodingException) {
            assertThat(isUtf8(unclaimed)).as("refused as undecodable, but %s is UTF-8: %s", UNCLAIMED, e).isFalse();
        } else {
            assertThat(e).isInstanceOf(IOException.class).hasMessage(UNCLAIMED + " in " + dir.toAbsolutePath() + " is damaged");
        }
    }

    private static boolean isUtf8(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    /** Each dimension's value counted at most as often as it was written at the positions replayed; (none) any number of times. */
    private static void assertCountedOnlyValuesWritten(ClickCounts replayed, long from, long to) {
        Map<String, Long> most = writtenValueCounts(from, to);
        valueCounts(replayed).forEach((value, counted) -> {
            if (!value.endsWith("=" + Values.NONE)) {
                assertThat(counted).as("%s in [%d, %d)", value, from, to).isLessThanOrEqualTo(most.getOrDefault(value, 0L));
            }
        });
    }

    /** Clicks per dimension and value ({@code referrer=r3.example}). */
    private static Map<String, Long> valueCounts(ClickCounts counts) {
        Map<String, Long> values = new TreeMap<>();
        counts.dimensions().forEach((row, slots) -> values.merge(row.dimension().wireName() + "=" + row.value(),
                Arrays.stream(slots).sum(), Long::sum));
        return values;
    }

    private static Map<String, Long> writtenValueCounts(long from, long to) {
        Map<String, Long> values = new TreeMap<>();
        for (long p = Math.max(0, from); p < Math.min(to, CLICKS); p++) {
            for (Dimension d : Dimension.values()) {
                values.merge(d.wireName() + "=" + visits[(int) p].get(d), 1L, Long::sum);
            }
        }
        return values;
    }

    /** Every click written at a position in [from, intact), before the first damage, is counted. */
    private static void assertCountedEveryIntactClick(Map<Long, long[]> replayed, long from, long intact) {
        writtenCounts(from, intact).forEach((campaign, least) -> {
            long[] counted = replayed.get(campaign);
            assertThat(counted).as("campaign %d, written in [%d, %d) before any damage", campaign, from, intact).isNotNull();
            for (int p = 0; p < least.length; p++) {
                assertThat(counted[p]).as("campaign %d platform %d in [%d, %d), before any damage", campaign, p, from, intact)
                        .isGreaterThanOrEqualTo(least[p]);
            }
        });
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
}
