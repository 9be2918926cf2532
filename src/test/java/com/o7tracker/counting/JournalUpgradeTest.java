package com.o7tracker.counting;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.MetricRegistry;
import com.o7tracker.campaign.Platform;
import com.o7tracker.dimension.Dimension;
import com.o7tracker.dimension.Values;
import com.o7tracker.dimension.Visit;
import com.o7tracker.support.TestApp;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A new version reads what the previous one left on disk. The fixture under
 * {@code fixtures/journal-1.0/} was written by the previous version's ClickJournal (a single class,
 * request threads writing their own batches): 1,500 clicks in two segments of 1,000 and 500.
 */
class JournalUpgradeTest {

    private static final long[] IDS = {4_294_967_296L, 4_294_967_297L, 9_007_199_254_740_991L};
    private static final String[] FILES = {
        "journal.id", "clicks-00000000000000000000.journal", "clicks-00000000000000001000.journal"};

    @Test
    void aJournalWrittenByThePreviousVersionIsRecoveredReplayedAndContinued() throws Exception {
        Path dir = TestApp.tempDir("journal-upgrade");
        for (String file : FILES) {
            try (InputStream in = getClass().getResourceAsStream("/fixtures/journal-1.0/" + file)) {
                Files.copy(in, dir.resolve(file));
            }
        }
        String previousId = Files.readString(dir.resolve("journal.id")).trim();
        ClickJournal journal = new ClickJournal(dir, Durability.FSYNC, 1_000, 1_000_000, 5_000, new MetricRegistry());
        journal.start();
        try {
            assertThat(journal.journalId()).isEqualTo(previousId);
            assertThat(journal.recoveredEnd()).isEqualTo(1_500);
            assertThat(lists(journal.replay(0, 1_500).campaigns())).isEqualTo(lists(expected(0, 1_500)));
            assertThat(lists(journal.replay(1_000, 1_500).campaigns())).isEqualTo(lists(expected(1_000, 1_500)));

            assertThat(Clicks.record(journal, IDS[0], Platform.WINDOWS_PHONE)).isEqualTo(ClickOutcome.RECORDED);
            assertThat(Clicks.record(journal, IDS[1], Platform.OTHER, true)).isEqualTo(ClickOutcome.RECORDED);
            assertThat(Clicks.record(journal, IDS[1], Platform.OTHER)).isEqualTo(ClickOutcome.RECORDED);
            assertThat(journal.durableSeq()).isEqualTo(1_503);
            // The previous version's records read as human clicks, the new ones with their kind.
            Map<Long, long[]> added = journal.replay(1_500, 1_503).campaigns();
            assertThat(added.get(IDS[0])).containsExactly(0, 0, 1, 0, 0);
            assertThat(added.get(IDS[1])).as("Android, IPhone, WindowsPhone, Other, bot").containsExactly(0, 0, 0, 1, 1);
        } finally {
            journal.stop();
        }
    }

    /**
     * The fixture under {@code fixtures/journal-2.0/} was written by the version before dimensions
     * (16-byte records with their minute and bots told apart): 300 clicks in segments of 200 and
     * 100, click i on IDS[i % 3], platform i % 4, a bot's when i % 5 == 0. Its clicks count with
     * nothing told of where they came from; the clicks after it are in the new format, with theirs.
     */
    @Test
    void aJournalOfTheVersionBeforeDimensionsIsReplayedWithUnknownValuesAndContinuedWithVisits() throws Exception {
        Path dir = TestApp.tempDir("journal-upgrade-2");
        for (String file : new String[] {"journal.id", "journal.unclaimed", "clicks-00000000000000000000.journal",
            "clicks-00000000000000000200.journal"}) {
            try (InputStream in = getClass().getResourceAsStream("/fixtures/journal-2.0/" + file)) {
                Files.copy(in, dir.resolve(file));
            }
        }
        ClickJournal journal = new ClickJournal(dir, Durability.FSYNC, 200, 1_000_000, 5_000, new MetricRegistry());
        journal.start();
        try {
            assertThat(journal.recoveredEnd()).isEqualTo(300);
            ClickCounts replayed = journal.replay(0, 300);
            Map<Long, long[]> expected = new HashMap<>();
            for (int i = 0; i < 300; i++) {
                long[] counters = expected.computeIfAbsent(IDS[i % 3], id -> new long[ClickKind.COUNTERS]);
                counters[i % 5 == 0 ? ClickKind.BOT_COUNTER : i % 4]++;
            }
            assertThat(lists(replayed.campaigns())).isEqualTo(lists(expected));
            assertThat(replayed.dimensions().keySet()).allSatisfy(row ->
                    assertThat(row.value()).isEqualTo(row.dimension() == Dimension.COUNTRY ? "ZZ" : Values.NONE));
            assertThat(replayed.dimensions().values().stream().mapToLong(slots -> Arrays.stream(slots).sum()).sum())
                    .as("each click once per dimension").isEqualTo(300L * Dimension.values().length);

            Visit visit = Visit.builder().set(Dimension.COUNTRY, "DE").set(Dimension.REFERRER, "news.example")
                    .set(Dimension.UTM_SOURCE, "spring sale ünïcode").set(Dimension.BROWSER, "Firefox").build();
            assertThat(Clicks.record(journal, IDS[2], Platform.IPHONE, false, visit)).isEqualTo(ClickOutcome.RECORDED);
            assertThat(Files.exists(dir.resolve("clicks-00000000000000000300.journal2"))).isTrue();
        } finally {
            journal.stop();
        }
        ClickJournal reopened = new ClickJournal(dir, Durability.FSYNC, 200, 1_000_000, 5_000, new MetricRegistry());
        reopened.start();
        try {
            assertThat(reopened.recoveredEnd()).isEqualTo(301);
            ClickCounts last = reopened.replay(300, 301);
            assertThat(last.campaigns().get(IDS[2])).containsExactly(0, 1, 0, 0, 0);
            assertThat(last.dimensions().keySet()).extracting(ClickCounts.DimensionHour::value)
                    .containsExactlyInAnyOrder("DE", "news.example", "spring sale ünïcode", Values.NONE, Values.NONE,
                            Values.NONE, Values.NONE, "Firefox");
            assertThat(reopened.replay(0, 301).clicks()).isEqualTo(301);
        } finally {
            reopened.stop();
        }
    }

    /** What the previous version was given: click i on IDS[i % 3], platform as below. */
    private static Map<Long, long[]> expected(int from, int to) {
        Map<Long, long[]> counts = new HashMap<>();
        for (int i = from; i < to; i++) {
            int platform = i % 3 == 2 ? 2 : i % 2;
            counts.computeIfAbsent(IDS[i % 3], id -> new long[ClickKind.COUNTERS])[platform]++;
        }
        return counts;
    }

    private static Map<Long, List<Long>> lists(Map<Long, long[]> counts) {
        Map<Long, List<Long>> lists = new HashMap<>();
        counts.forEach((id, perPlatform) -> lists.put(id, Arrays.stream(perPlatform).boxed().toList()));
        return lists;
    }
}
