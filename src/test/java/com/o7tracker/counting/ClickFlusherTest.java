package com.o7tracker.counting;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.MetricRegistry;
import com.o7tracker.campaign.Platform;
import com.o7tracker.support.Tables;
import com.o7tracker.support.TestApp;
import com.o7tracker.support.TestPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.concurrent.ThreadLocalRandom;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The journal and the flusher against the real PostgreSQL: each click applied exactly once. */
class ClickFlusherTest {

    private static Jdbi jdbi;
    private Path dir;
    private long campaign;

    @BeforeAll
    static void database() {
        jdbi = Jdbi.create(TestPostgres.shared().migratedDataSource());
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
        void stop() throws InterruptedException {
            journal.stop();
        }
    }

    private Counting start() {
        MetricRegistry metrics = new MetricRegistry();
        ClickJournal journal = new ClickJournal(dir, Durability.FSYNC, 1_000, 1_000_000, 5_000, metrics);
        journal.start();
        return new Counting(journal, new ClickFlusher(journal, new CounterStore(jdbi), metrics));
    }

    private void click(Counting counting, Platform platform, int times) {
        for (int i = 0; i < times; i++) {
            assertThat(Clicks.record(counting.journal(), campaign, platform)).isEqualTo(ClickJournal.Outcome.RECORDED);
        }
    }

    @Test
    void aFlushAppliesEachPlatformsDelta() throws Exception {
        Counting counting = start();
        click(counting, Platform.ANDROID, 3);
        click(counting, Platform.WINDOWS_PHONE, 2);
        counting.flusher().flush();
        assertThat(Tables.counters(campaign)).containsExactly(5, 3, 0, 2);
        counting.flusher().flush();
        assertThat(Tables.counters(campaign)).as("a second flush adds nothing").containsExactly(5, 3, 0, 2);
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
        second.flusher().flush();
        assertThat(Tables.counters(campaign)).containsExactly(10, 6, 4, 0);
        second.stop();

        Counting third = start();
        third.flusher().flush();
        assertThat(Tables.counters(campaign)).as("nothing is replayed twice").containsExactly(10, 6, 4, 0);
        click(third, Platform.IPHONE, 1);
        third.flusher().flush();
        assertThat(Tables.counters(campaign)).containsExactly(11, 6, 5, 0);
        third.stop();
    }

    @Test
    void clicksOnADeletedCampaignAreDroppedWithoutBlockingOthers() throws Exception {
        Counting counting = start();
        click(counting, Platform.ANDROID, 2);
        assertThat(Clicks.record(counting.journal(), 42, Platform.ANDROID)).isEqualTo(ClickJournal.Outcome.RECORDED);
        counting.flusher().flush();
        assertThat(Tables.counters(campaign)).containsExactly(2, 2, 0, 0);
        assertThat(counting.journal().backlog()).isZero();
        counting.stop();
    }
}
