package com.o7tracker.counting;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.MetricRegistry;
import com.o7tracker.campaign.Platform;
import com.o7tracker.support.Tables;
import com.o7tracker.support.TestApp;
import com.o7tracker.support.TestPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The journal and the flusher against the real PostgreSQL: each click applied exactly once. */
class ClickFlusherTest {

    /** Short, so a test can outwait it. */
    private static final Duration LEASE = Duration.ofSeconds(1);
    private static Jdbi jdbi;
    private Path dir;
    private long campaign;

    @BeforeAll
    static void database() {
        jdbi = Jdbi.create(TestPostgres.shared().migratedDataSource()).installPlugin(new SqlObjectPlugin());
    }

    @BeforeEach
    void setUp() throws Exception {
        dir = TestApp.tempDir("flusher-test");
        campaign = ThreadLocalRandom.current().nextLong(1L << 40, 1L << 50);
        try (Connection c = TestPostgres.shared().connect(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO campaigns (id, redirect_url) VALUES (" + campaign + ", 'https://flush.example/')");
        }
    }

    private record Counting(ClickJournal journal, ClickFlusher flusher) {
        /** As a crash leaves it: the journal's row stays leased to this process. */
        void stop() throws InterruptedException {
            journal.stop();
        }

        /** As the service's stop leaves it: the row released. */
        void stopCleanly() throws InterruptedException {
            flusher.release();
            journal.stop();
        }
    }

    /** What {@code cp -a} of the journal directory makes (its lock file is the running process's own). */
    private Path copyOfTheDirectory() throws IOException {
        Path copy = TestApp.tempDir("flusher-copy");
        try (var files = Files.list(dir)) {
            for (Path file : files.toList()) {
                if (!file.getFileName().toString().equals("journal.lock")) {
                    Files.copy(file, copy.resolve(file.getFileName()), StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        return copy;
    }

    /** Flushes as soon as the journal's lease allows (a start after a crash waits for it); {@code meanwhile} runs between tries. */
    private static void flushWhenLeased(Counting counting, Runnable meanwhile) throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (true) {
            try {
                counting.flusher().flush();
                return;
            } catch (IllegalStateException e) {
                if (!String.valueOf(e.getMessage()).contains("still leased") || System.nanoTime() > deadline) {
                    throw e;
                }
                meanwhile.run();
                Thread.sleep(100);
            }
        }
    }

    private Counting start() {
        return start(dir);
    }

    private Counting start(Path dir) {
        return start(dir, 1_000_000);
    }

    private Counting start(Path dir, int maxPendingRows) {
        MetricRegistry metrics = new MetricRegistry();
        ClickJournal journal = new ClickJournal(dir, Durability.FSYNC, 1_000, 1_000_000, maxPendingRows, 0, 5_000, metrics);
        journal.start();
        return new Counting(journal, new ClickFlusher(journal, jdbi.onDemand(CounterStore.class), LEASE, metrics));
    }

    private void click(Counting counting, Platform platform, int times) {
        for (int i = 0; i < times; i++) {
            assertThat(Clicks.record(counting.journal(), campaign, platform)).isEqualTo(ClickOutcome.RECORDED);
        }
    }

    @Test
    void aFlushAppliesEachPlatformsDelta() throws Exception {
        Counting counting = start();
        click(counting, Platform.ANDROID, 3);
        click(counting, Platform.WINDOWS_PHONE, 2);
        counting.flusher().flush();
        assertThat(Tables.counters(campaign)).containsExactly(5, 3, 0, 2, 0, 0);
        counting.flusher().flush();
        assertThat(Tables.counters(campaign)).as("a second flush adds nothing").containsExactly(5, 3, 0, 2, 0, 0);
        click(counting, Platform.OTHER, 4);
        for (int i = 0; i < 2; i++) {
            assertThat(Clicks.record(counting.journal(), campaign, Platform.IPHONE, true)).isEqualTo(ClickOutcome.RECORDED);
        }
        counting.flusher().flush();
        assertThat(Tables.counters(campaign)).as("Other counts in click_count, bots only apart")
                .containsExactly(9, 3, 0, 2, 4, 2);
        assertThat(Tables.minuteTotals(campaign)).as("the minute buckets sum to the counters").containsExactly(9, 3, 0, 2, 4, 2);
        counting.flusher().flush();
        assertThat(Tables.counters(campaign)).containsExactly(9, 3, 0, 2, 4, 2);
        counting.stop();
    }

    @Test
    void clicksNotYetAppliedAtACrashAreReplayedOnceAtTheNextStart() throws Exception {
        Counting first = start();
        click(first, Platform.IPHONE, 4);
        first.flusher().flush();
        click(first, Platform.ANDROID, 6); // journaled, never flushed: the process "dies" here
        first.stop();

        Counting second = start();
        flushWhenLeased(second, () -> { });
        assertThat(Tables.counters(campaign)).containsExactly(10, 6, 4, 0, 0, 0);
        second.stopCleanly();

        Counting third = start();
        third.flusher().flush(); // released by the clean stop: no wait
        assertThat(Tables.counters(campaign)).as("nothing is replayed twice").containsExactly(10, 6, 4, 0, 0, 0);
        click(third, Platform.IPHONE, 1);
        third.flusher().flush();
        assertThat(Tables.counters(campaign)).containsExactly(11, 6, 5, 0, 0, 0);
        third.stop();
    }

    /** Campaigns of their own, each clicked {@code clicks} times (a platform by index): returns their ids. */
    private static long[] campaigns(int n) throws Exception {
        long first = ThreadLocalRandom.current().nextLong(1L << 40, 1L << 50);
        try (Connection c = TestPostgres.shared().connect(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO campaigns (id, redirect_url) SELECT " + first + " + g, 'https://piece.example/'"
                    + " FROM generate_series(0, " + (n - 1) + ") g");
        }
        long[] ids = new long[n];
        for (int i = 0; i < n; i++) {
            ids[i] = first + i;
        }
        return ids;
    }

    @Test
    void aBacklogBeyondTheMemoryIsAppliedInPiecesEachMovingThePosition() throws Exception {
        long[] ids = campaigns(500);
        Counting counting = start(dir, 40);
        List<Integer> rowsPerTransaction = new ArrayList<>();
        counting.flusher().onApplied((journalId, upToSeq, counts) -> rowsPerTransaction.add(counts.rows()));
        for (long id : ids) {
            assertThat(Clicks.record(counting.journal(), id, Platform.ANDROID)).isEqualTo(ClickOutcome.RECORDED);
            assertThat(Clicks.record(counting.journal(), id, Platform.IPHONE, true)).isEqualTo(ClickOutcome.RECORDED);
        }
        assertThat(counting.journal().pending().clicks()).as("the memory holds at most the rows it may").isLessThanOrEqualTo(2 * 40);
        counting.flusher().flush();
        assertThat(rowsPerTransaction).as("rows per transaction").allSatisfy(rows -> assertThat(rows).isBetween(1, 2 * 40));
        assertThat(rowsPerTransaction.size()).isGreaterThanOrEqualTo(500 / 80);
        for (long id : ids) {
            assertThat(Tables.counters(id)).as("campaign %d", id).containsExactly(1, 1, 0, 0, 0, 1);
            assertThat(Tables.minuteTotals(id)).as("campaign %d", id).containsExactly(1, 1, 0, 0, 0, 1);
        }
        assertThat(counting.journal().backlog()).isZero();
        counting.stop();
    }

    @Test
    void aLargeJournalFoundAtStartIsReplayedInPieces() throws Exception {
        long[] ids = campaigns(300);
        Counting first = start(dir, 1_000_000);
        for (long id : ids) {
            assertThat(Clicks.record(first.journal(), id, Platform.OTHER)).isEqualTo(ClickOutcome.RECORDED);
        }
        first.stop(); // a crash: nothing applied

        Counting second = start(dir, 25);
        List<Integer> rowsPerTransaction = new ArrayList<>();
        second.flusher().onApplied((journalId, upToSeq, counts) -> rowsPerTransaction.add(counts.rows()));
        flushWhenLeased(second, () -> { });
        assertThat(rowsPerTransaction).allSatisfy(rows -> assertThat(rows).isBetween(1, 2 * 25));
        for (long id : ids) {
            assertThat(Tables.counters(id)).as("campaign %d", id).containsExactly(1, 0, 0, 0, 1, 0);
        }
        second.stop();
    }

    @Test
    void aCopyStartedAfterItsOriginalAppliedPastTheCopyPointCountsOnlyItsOwnClicks() throws Exception {
        Counting original = start();
        click(original, Platform.ANDROID, 5);
        original.flusher().flush();
        Path copy = copyOfTheDirectory();
        click(original, Platform.ANDROID, 5);
        original.flusher().flush(); // PostgreSQL has applied past the copy point
        original.stopCleanly();

        Counting copied = start(copy);
        click(copied, Platform.IPHONE, 3);
        copied.flusher().flush(); // never "PostgreSQL has applied past the journal's end"
        assertThat(Tables.counters(campaign)).containsExactly(13, 10, 3, 0, 0, 0);
        copied.stopCleanly();

        Counting back = start();
        click(back, Platform.OTHER, 4);
        back.flusher().flush();
        assertThat(Tables.counters(campaign)).as("every click of both, once").containsExactly(17, 10, 3, 0, 4, 0);
        back.stopCleanly();
        Counting copiedAgain = start(copy);
        copiedAgain.flusher().flush();
        assertThat(Tables.counters(campaign)).containsExactly(17, 10, 3, 0, 4, 0);
        copiedAgain.stopCleanly();
    }

    @Test
    void anOriginalReturningAfterItsCopyTookTheRowCountsItsClicksFromTheCopyPoint() throws Exception {
        Counting original = start();
        click(original, Platform.ANDROID, 5);
        original.flusher().flush();
        Path copy = copyOfTheDirectory();
        click(original, Platform.ANDROID, 4); // after the copy point, not applied: PostgreSQL was away at its stop
        original.stopCleanly();

        Counting copied = start(copy); // first to start: nothing tells it from the original yet
        click(copied, Platform.IPHONE, 2);
        copied.flusher().flush();
        assertThat(Tables.counters(campaign)).containsExactly(7, 5, 2, 0, 0, 0);

        Counting back = start();
        back.flusher().flush();
        assertThat(Tables.counters(campaign)).as("the original's four clicks after the copy point, counted once")
                .containsExactly(11, 9, 2, 0, 0, 0);
        click(back, Platform.OTHER, 1);
        click(copied, Platform.IPHONE, 1);
        back.flusher().flush();
        copied.flusher().flush();
        assertThat(Tables.counters(campaign)).containsExactly(13, 9, 3, 0, 1, 0);
        back.stopCleanly();
        copied.stopCleanly();
    }

    @Test
    void clicksOnADeletedCampaignAreDroppedWithoutBlockingOthers() throws Exception {
        Counting counting = start();
        click(counting, Platform.ANDROID, 2);
        assertThat(Clicks.record(counting.journal(), 42, Platform.ANDROID)).isEqualTo(ClickOutcome.RECORDED);
        counting.flusher().flush();
        assertThat(Tables.counters(campaign)).containsExactly(2, 2, 0, 0, 0, 0);
        assertThat(counting.journal().backlog()).isZero();
        counting.stop();
    }

    @Test
    void aCopiedJournalDirectoryBecomesANewJournalAndEveryClickIsCountedOnce() throws Exception {
        Counting first = start();
        click(first, Platform.ANDROID, 5);
        first.flusher().flush();
        click(first, Platform.IPHONE, 3); // journaled, not yet applied, when the directory is copied
        first.stop();
        Path copy = copyOfTheDirectory();

        Counting original = start(dir);
        flushWhenLeased(original, () -> { });
        Counting copied = start(copy);
        click(original, Platform.ANDROID, 2);
        click(copied, Platform.WINDOWS_PHONE, 4);
        copied.flusher().flush();
        original.flusher().flush();
        assertThat(copied.journal().journalId()).as("the copy is a new journal").isNotEqualTo(original.journal().journalId());
        assertThat(Tables.counters(campaign)).as("the copied unapplied clicks once, both journals' new clicks")
                .containsExactly(14, 7, 3, 4, 0, 0);

        click(original, Platform.IPHONE, 1);
        click(copied, Platform.IPHONE, 1);
        original.flusher().flush();
        copied.flusher().flush();
        assertThat(Tables.counters(campaign)).containsExactly(16, 7, 5, 4, 0, 0);
        String copyId = copied.journal().journalId();
        copied.stopCleanly();
        original.stopCleanly();

        Counting copyAgain = start(copy);
        copyAgain.flusher().flush();
        assertThat(copyAgain.journal().journalId()).as("a restart keeps the copy's new journal").isEqualTo(copyId);
        click(copyAgain, Platform.ANDROID, 1);
        copyAgain.flusher().flush();
        copyAgain.stopCleanly();
        Counting originalAgain = start(dir);
        click(originalAgain, Platform.ANDROID, 1);
        originalAgain.flusher().flush();
        originalAgain.stopCleanly();
        assertThat(Tables.counters(campaign)).containsExactly(18, 9, 5, 4, 0, 0);
    }

    @Test
    void aJournalRegisteredByThePreviousVersionIsClaimedAndContinued() throws Exception {
        Counting first = start();
        click(first, Platform.ANDROID, 2);
        first.flusher().flush();
        click(first, Platform.ANDROID, 1);
        String id = first.journal().journalId();
        first.stop();
        // The previous version kept no owner, neither in PostgreSQL nor in the directory.
        jdbi.useHandle(h -> h.execute("UPDATE click_journals SET owner = NULL WHERE journal_id = ?", id));
        Files.delete(dir.resolve("journal.owner"));

        Counting second = start();
        second.flusher().flush();
        assertThat(second.journal().journalId()).isEqualTo(id);
        click(second, Platform.IPHONE, 1);
        second.flusher().flush();
        second.stop();
        assertThat(Tables.counters(campaign)).containsExactly(4, 3, 1, 0, 0, 0);
    }

    @Test
    void aCopyOfARunningInstanceBecomesANewJournalAndTheOriginalCountsOn() throws Exception {
        Counting running = start();
        click(running, Platform.ANDROID, 2);
        running.flusher().flush();
        click(running, Platform.IPHONE, 3); // not yet applied when the running instance's directory is copied
        Path copy = copyOfTheDirectory();
        Counting copied = start(copy);
        click(copied, Platform.WINDOWS_PHONE, 4);
        // The copy holds the running instance's token; it waits for a sign of life, which comes.
        flushWhenLeased(copied, () -> {
            try {
                running.flusher().flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        assertThat(copied.journal().journalId()).isNotEqualTo(running.journal().journalId());
        running.flusher().flush();
        assertThat(Tables.counters(campaign)).as("the copied clicks counted once, by the running instance")
                .containsExactly(9, 2, 3, 4, 0, 0);

        click(running, Platform.ANDROID, 1);
        click(copied, Platform.ANDROID, 1);
        running.flusher().flush();
        copied.flusher().flush();
        assertThat(Tables.counters(campaign)).as("both count on").containsExactly(11, 4, 3, 4, 0, 0);
        running.stopCleanly();
        copied.stopCleanly();
    }
}
