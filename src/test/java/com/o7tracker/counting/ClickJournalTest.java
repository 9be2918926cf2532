package com.o7tracker.counting;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.MetricRegistry;
import com.o7tracker.campaign.Platform;
import com.o7tracker.dimension.Dimension;
import com.o7tracker.dimension.Values;
import com.o7tracker.dimension.Visit;
import com.o7tracker.support.TestApp;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ClickJournalTest {

    private Path dir;
    private MetricRegistry metrics;
    private ClickJournal journal;

    @BeforeEach
    void setUp() {
        dir = TestApp.tempDir("journal-test");
        metrics = new MetricRegistry();
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        if (journal != null) {
            journal.stop();
        }
    }

    private ClickJournal open(int segmentClicks, long maxBacklog) {
        return open(Durability.FSYNC, segmentClicks, maxBacklog);
    }

    private ClickJournal open(Durability durability, int segmentClicks, long maxBacklog) {
        journal = new ClickJournal(dir, durability, segmentClicks, maxBacklog, 5_000, metrics);
        journal.start();
        return journal;
    }

    private void reopen() throws InterruptedException {
        journal.stop();
        metrics = new MetricRegistry();
        open(1_000, 1_000_000);
    }

    @Test
    void theBoundOfDistinctValuesHoldsExactlyUnderAFloodAndAcrossARestart() throws Exception {
        long msIntoHour = System.currentTimeMillis() % 3_600_000;
        if (msIntoHour > 3_600_000 - 30_000) {
            Thread.sleep(3_600_000 - msIntoHour + 1_000); // the whole test within one hour: the bound is per hour
        }
        long hour = System.currentTimeMillis() / 3_600_000;
        open(400, 1_000_000); // segments of 400: the values of the hour are spread over several dictionaries
        List<CompletableFuture<ClickOutcome>> answers = new ArrayList<>();
        for (int i = 0; i < ValueBound.MAX_VALUES + 20; i++) {
            CompletableFuture<ClickOutcome> answer = new CompletableFuture<>();
            journal.record(1, ClickKind.of(Platform.ANDROID, false),
                    Visit.builder().set(Dimension.REFERRER, "r" + i + ".example").build(), answer::complete);
            answers.add(answer);
        }
        for (CompletableFuture<ClickOutcome> answer : answers) {
            assertThat(answer.get(30, TimeUnit.SECONDS)).isEqualTo(ClickOutcome.RECORDED);
        }
        journal.stop();
        journal = new ClickJournal(dir, Durability.FSYNC, 400, 1_000_000, 5_000, new MetricRegistry());
        journal.start();
        assertThat(Clicks.record(journal, 1, Platform.ANDROID, false,
                Visit.builder().set(Dimension.REFERRER, "after-restart.example").build())).isEqualTo(ClickOutcome.RECORDED);
        assertThat(Clicks.record(journal, 1, Platform.ANDROID, false,
                Visit.builder().set(Dimension.REFERRER, "r3.example").build())).isEqualTo(ClickOutcome.RECORDED);
        assertThat(System.currentTimeMillis() / 3_600_000).as("still the same hour").isEqualTo(hour);

        Map<String, Long> referrers = new HashMap<>();
        journal.replay(0, journal.durableSeq()).dimensions().forEach((row, slots) -> {
            if (row.dimension() == Dimension.REFERRER) {
                referrers.merge(row.value(), Arrays.stream(slots).sum(), Long::sum);
            }
        });
        assertThat(referrers).hasSize(ValueBound.MAX_VALUES + 1);
        assertThat(referrers.get(Values.OTHER)).as("20 in the flood, one after the restart").isEqualTo(21);
        assertThat(referrers.get("r3.example")).isEqualTo(2);
        assertThat(referrers).doesNotContainKey("after-restart.example");
    }

    @Test
    void aSegmentsDictionaryStaysBoundedUnderAFloodOfDistinctValues() throws Exception {
        // The bound of distinct values is per campaign and hour, a segment's dictionary spans every
        // campaign and hour until the segment is full (4,000,000 clicks by default): the segment
        // rolls once its dictionary is full, so the writer's memory of it and the file stay bounded.
        open(1_000_000, 10_000_000);
        int perClick = 6;
        int campaigns = JournalValues.MAX_ENTRIES / perClick / ValueBound.MAX_VALUES + 2; // past it by more than a batch
        int clicks = campaigns * ValueBound.MAX_VALUES;
        int chunk = 500;
        for (int from = 0; from < clicks; from += chunk) {
            List<CompletableFuture<ClickOutcome>> answers = new ArrayList<>();
            for (int i = from; i < Math.min(clicks, from + chunk); i++) {
                CompletableFuture<ClickOutcome> answer = new CompletableFuture<>();
                journal.record(1 + i % campaigns, ClickKind.of(Platform.ANDROID, false), Visit.builder()
                        .set(Dimension.REFERRER, "r" + i + ".example").set(Dimension.UTM_SOURCE, "s" + i)
                        .set(Dimension.UTM_MEDIUM, "m" + i).set(Dimension.UTM_CAMPAIGN, "c" + i)
                        .set(Dimension.OS, "o" + i).set(Dimension.BROWSER, "b" + i).build(), answer::complete);
                answers.add(answer);
            }
            for (CompletableFuture<ClickOutcome> answer : answers) {
                assertThat(answer.get(30, TimeUnit.SECONDS)).isEqualTo(ClickOutcome.RECORDED);
            }
        }

        List<Path> segments = segmentFiles();
        assertThat(segments).as("rolled before the segment was full of clicks").hasSizeGreaterThan(1);
        for (Path segment : segments) {
            Matcher name = JournalDirectory.SEGMENT.matcher(segment.getFileName().toString());
            assertThat(name.matches()).isTrue();
            assertThat(JournalValues.read(segment, Long.parseLong(name.group(1)))).as("%s's dictionary: at most one batch past the bound", segment)
                    .hasSizeLessThanOrEqualTo(JournalValues.MAX_ENTRIES + perClick * chunk + 2);
        }
        Map<String, Long> browsers = new HashMap<>();
        journal.replay(0, journal.durableSeq()).dimensions().forEach((row, slots) -> {
            if (row.dimension() == Dimension.BROWSER) {
                browsers.merge(row.value(), Arrays.stream(slots).sum(), Long::sum);
            }
        });
        assertThat(browsers).as("every value read back, across the roll").hasSize(clicks).containsEntry("b0", 1L)
                .containsEntry("b" + (clicks - 1), 1L);
    }

    private List<Path> segmentFiles() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".journal2")).sorted().toList();
        }
    }

    @Test
    void everyRecordedClickIsReadBackAfterARestart() throws Exception {
        open(1_000, 1_000_000);
        ExecutorService pool = Executors.newFixedThreadPool(16);
        List<Future<ClickOutcome>> outcomes = new ArrayList<>();
        for (int i = 0; i < 1_500; i++) {
            long campaign = 100 + i % 3;
            Platform platform = Platform.values()[i % 2];
            outcomes.add(pool.submit(() -> Clicks.record(journal, campaign, platform)));
        }
        for (Future<ClickOutcome> outcome : outcomes) {
            assertThat(outcome.get()).isEqualTo(ClickOutcome.RECORDED);
        }
        pool.shutdown();
        assertThat(journal.durableSeq()).isEqualTo(1_500);

        reopen();
        assertThat(journal.recoveredEnd()).isEqualTo(1_500);
        Map<Long, long[]> counts = journal.replay(0, 1_500).campaigns();
        long total = counts.values().stream().mapToLong(c -> c[0] + c[1] + c[2]).sum();
        assertThat(total).isEqualTo(1_500);
        assertThat(counts).containsOnlyKeys(100L, 101L, 102L);
        assertThat(counts.get(100L)[0] + counts.get(100L)[1]).isEqualTo(500);
        assertThat(journal.replay(1_000, 1_500).campaigns().values().stream().mapToLong(c -> c[0] + c[1]).sum()).isEqualTo(500);
    }

    @Test
    void withWriteDurabilityNothingIsAppliedBeforeItIsOnDisk() throws Exception {
        open(Durability.WRITE, 1_000, 1_000_000);
        for (int i = 0; i < 2_500; i++) {
            Clicks.record(journal, 5, Platform.ANDROID); // three segments; the first two synced when they closed
        }
        assertThat(journal.durableSeq()).isEqualTo(2_500);
        assertThat(journal.syncedSeq()).as("written, not yet synced").isEqualTo(2_000);
        journal.makeDurable(); // what the flusher does before it applies anything
        assertThat(journal.syncedSeq()).isEqualTo(2_500);

        assertThat(Clicks.record(journal, 5, Platform.IPHONE)).isEqualTo(ClickOutcome.RECORDED);
        journal.stopTaking();
        assertThat(journal.syncedSeq()).isEqualTo(2_500);
        journal.makeDurable(); // the final drain: the writer has stopped, its segment is still open
        assertThat(journal.syncedSeq()).isEqualTo(2_501);
    }

    @Test
    void withFsyncDurabilityEveryRecordedClickIsAlreadyOnDisk() throws Exception {
        open(1_000, 1_000_000);
        for (int i = 0; i < 1_500; i++) {
            Clicks.record(journal, 5, Platform.ANDROID);
        }
        assertThat(journal.syncedSeq()).isEqualTo(journal.durableSeq()).isEqualTo(1_500);
    }

    @Test
    void aTornTailIsCutAtRecovery() throws Exception {
        open(1_000, 1_000_000);
        for (int i = 0; i < 10; i++) {
            Clicks.record(journal, 7, Platform.IPHONE);
        }
        journal.stop();
        Path segment = segmentFiles().get(segmentFiles().size() - 1);
        long goodLength = Files.size(segment);
        try (RandomAccessFile file = new RandomAccessFile(segment.toFile(), "rw")) {
            file.seek(goodLength);
            file.write(new byte[] {(byte) 0xC7, 2, 0, 0, 0, 0, 0}); // half a record, as a crash leaves it
        }

        journal = null;
        open(1_000, 1_000_000);
        assertThat(journal.recoveredEnd()).isEqualTo(10);
        assertThat(Files.size(segment)).isEqualTo(goodLength);
        assertThat(Clicks.record(journal, 7, Platform.ANDROID)).isEqualTo(ClickOutcome.RECORDED);
        reopen();
        assertThat(journal.recoveredEnd()).isEqualTo(11);
        assertThat(journal.replay(0, 11).campaigns().get(7L)).containsExactly(1, 10, 0, 0, 0);
    }

    @Test
    void anotherSegmentsDictionaryIsNeverReadAsASegmentsOwn() throws Exception {
        open(2, 1_000_000);
        for (int i = 0; i < 4; i++) {
            Clicks.record(journal, 9, Platform.ANDROID, false,
                    Visit.builder().set(Dimension.REFERRER, "r" + i + ".example").build());
        }
        journal.stop();
        // Both dictionaries number their one entry per click from 2: swapped, each entry's number still fits.
        Path first = JournalValues.beside(segmentFiles().get(0));
        Path second = JournalValues.beside(segmentFiles().get(1));
        Path aside = dir.resolve("aside");
        Files.move(first, aside);
        Files.move(second, first);
        Files.move(aside, second);

        journal = null;
        open(2, 1_000_000);
        assertThat(journal.recoveredEnd()).isEqualTo(4);
        Map<String, Long> referrers = new HashMap<>();
        journal.replay(0, 4).dimensions().forEach((row, slots) -> {
            if (row.dimension() == Dimension.REFERRER) {
                referrers.merge(row.value(), Arrays.stream(slots).sum(), Long::sum);
            }
        });
        assertThat(referrers).as("the clicks count, without the values their dictionaries lost").containsOnly(
                Map.entry(Values.NONE, 4L));
    }

    @Test
    void aDamagedLastRecordIsDetectedByItsChecksum() throws Exception {
        open(1_000, 1_000_000);
        for (int i = 0; i < 5; i++) {
            Clicks.record(journal, 9, Platform.WINDOWS_PHONE);
        }
        journal.stop();
        Path segment = segmentFiles().get(0);
        try (RandomAccessFile file = new RandomAccessFile(segment.toFile(), "rw")) {
            file.seek(4 * JournalRecord.BYTES + 5);
            file.write(0x55); // flip a byte of the campaign id of record 4
        }
        journal = null;
        open(1_000, 1_000_000);
        assertThat(journal.recoveredEnd()).isEqualTo(4);
        assertThat(journal.replay(0, 4).campaigns().get(9L)).containsExactly(0, 0, 4, 0, 0);
    }

    @Test
    void appliedSegmentsAreDeletedButTheNewestCarriesThePositionOn() throws Exception {
        open(1_000, 1_000_000);
        for (int i = 0; i < 2_500; i++) {
            Clicks.record(journal, i, Platform.ANDROID); // one at a time: segments roll at 1,000 clicks
        }
        assertThat(segmentFiles()).hasSize(3);
        journal.applied(2_000);
        assertThat(segmentFiles()).hasSize(1);
        journal.applied(2_500);
        assertThat(segmentFiles()).as("the newest segment is kept").hasSize(1);

        reopen();
        assertThat(journal.recoveredEnd()).isEqualTo(2_500);
        assertThat(Clicks.record(journal, 1, Platform.IPHONE)).isEqualTo(ClickOutcome.RECORDED);
        assertThat(journal.durableSeq()).isEqualTo(2_501);
    }

    @Test
    void anUnusableDirectoryIsReportedAndRecoveredFrom() throws Exception {
        Files.delete(dir);
        Files.writeString(dir, "not a directory"); // even root cannot create files under a regular file
        open(1_000, 1_000_000);
        assertThat(journal.isOpen()).isFalse();
        assertThat(Clicks.record(journal, 1, Platform.ANDROID)).isEqualTo(ClickOutcome.JOURNAL_ERROR);
        assertThat(journal.failure()).isNotNull();
        assertThat(metrics.meter("clicks.unrecorded.journal-error").getCount()).isEqualTo(1);

        Files.delete(dir);
        Files.createDirectory(dir);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        ClickOutcome outcome = ClickOutcome.JOURNAL_ERROR;
        while (outcome != ClickOutcome.RECORDED && System.nanoTime() < deadline) {
            Thread.sleep(200);
            outcome = Clicks.record(journal, 1, Platform.ANDROID);
        }
        assertThat(outcome).isEqualTo(ClickOutcome.RECORDED);
        assertThat(journal.failure()).isNull();
    }

    @Test
    void aFullBacklogRedirectsWithoutRecording() throws Exception {
        open(1_000, 1_000);
        for (int i = 0; i < 1_000; i++) {
            assertThat(Clicks.record(journal, 3, Platform.ANDROID)).isEqualTo(ClickOutcome.RECORDED);
        }
        assertThat(Clicks.record(journal, 3, Platform.ANDROID)).isEqualTo(ClickOutcome.BACKLOG_FULL);
        assertThat(metrics.meter("clicks.unrecorded.backlog-full").getCount()).isEqualTo(1);
        journal.applied(1_000);
        assertThat(Clicks.record(journal, 3, Platform.ANDROID)).isEqualTo(ClickOutcome.RECORDED);
    }

    @Test
    void oneJournalDirectoryServesOneProcessAtATime() {
        open(1_000, 1_000_000);
        ClickJournal second = new ClickJournal(dir, Durability.FSYNC, 1_000, 1_000_000, 5_000, new MetricRegistry());
        second.start();
        try {
            assertThat(second.isOpen()).isFalse();
            assertThat(second.failure()).contains("journal");
            assertThat(Clicks.record(journal, 1, Platform.ANDROID)).isEqualTo(ClickOutcome.RECORDED);
        } finally {
            try {
                second.stop();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Test
    void aRecordKeepsTheMinuteItsClickWasServedIn() throws Exception {
        long before = System.currentTimeMillis() / 60_000;
        open(1_000, 1_000_000);
        assertThat(Clicks.record(journal, 5, Platform.ANDROID)).isEqualTo(ClickOutcome.RECORDED);
        assertThat(Clicks.record(journal, 5, Platform.OTHER, true)).isEqualTo(ClickOutcome.RECORDED);
        long after = System.currentTimeMillis() / 60_000;
        reopen();
        ClickCounts replayed = journal.replay(0, 2);
        assertThat(replayed.minutes()).hasSize(1);
        ClickCounts.Minute minute = replayed.minutes().keySet().iterator().next();
        assertThat(minute.campaignId()).isEqualTo(5);
        assertThat(minute.minute()).isBetween(before, after);
        assertThat(replayed.minutes().get(minute)).as("human Android, then Other's bot slot").containsExactly(1, 0, 0, 0, 0, 0, 0, 1);
    }

    @Test
    void theMinutesLast16BitsNameItForFortyFourDaysAndAClockSteppedBackReadsAsNow() {
        long served = 29_000_000L; // a minute in 2025
        for (long later : new long[] {0, 1, 59, 64_000}) {
            assertThat(JournalRecord.minute((short) served, served + later)).as("read %d minutes later", later).isEqualTo(served);
        }
        assertThat(JournalRecord.minute((short) (served + 5), served)).as("a minute ahead of the reader's clock")
                .isEqualTo(served);
    }
}
