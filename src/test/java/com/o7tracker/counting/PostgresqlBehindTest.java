package com.o7tracker.counting;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.MetricRegistry;
import com.o7tracker.campaign.Platform;
import com.o7tracker.db.Migrations;
import com.o7tracker.support.Psql;
import com.o7tracker.support.TestApp;
import com.o7tracker.support.TestPostgres;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * PostgreSQL comes back behind the position the flusher applied, as after a failover to an
 * asynchronous replica that had not received the last commits: made for real by restoring, while
 * the flusher runs, a dump of its database taken a few flushes earlier (pg_dump and psql). Counting
 * continues from PostgreSQL's truth without a restart, applying again from the journal what it
 * lost, and counts loudly what the journal no longer holds.
 */
class PostgresqlBehindTest {

    private String database;
    private Jdbi jdbi;
    private long campaign;
    private MetricRegistry metrics;

    @BeforeEach
    void database() {
        database = "behind_" + System.nanoTime();
        Psql.run("CREATE DATABASE " + database);
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(TestPostgres.shared().jdbcUrl().replace("/postgres", "/" + database));
        dataSource.setUser(TestPostgres.shared().user());
        dataSource.setPassword(TestPostgres.shared().password());
        Migrations.migrate(dataSource);
        jdbi = Jdbi.create(dataSource).installPlugin(new SqlObjectPlugin());
        campaign = ThreadLocalRandom.current().nextLong(1L << 40, 1L << 50);
        jdbi.useHandle(h -> h.execute("INSERT INTO campaigns (id, redirect_url) VALUES (?, 'https://behind.example/')", campaign));
    }

    private String url() {
        TestPostgres postgres = TestPostgres.shared();
        return "postgresql://" + postgres.user() + ":" + postgres.password() + "@localhost:" + postgres.port() + "/" + database;
    }

    private void pg(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(String.join(" ", command) + ": " + output).isZero();
    }

    private static String tool(String name) {
        return Path.of(Psql.binary()).resolveSibling(name).toString();
    }

    private record Counting(ClickJournal journal, ClickFlusher flusher) {
    }

    private Counting start(Path dir, long keepAppliedNanos) {
        metrics = new MetricRegistry();
        ClickJournal journal = new ClickJournal(dir, Durability.FSYNC, 10, 1_000_000, 1_000, keepAppliedNanos, 5_000, metrics);
        journal.start();
        return new Counting(journal, new ClickFlusher(journal, jdbi.onDemand(CounterStore.class), Duration.ofSeconds(1), metrics));
    }

    private void clickAndFlush(Counting counting, int clicks) throws Exception {
        for (int i = 0; i < clicks; i++) {
            assertThat(Clicks.record(counting.journal(), campaign, Platform.ANDROID)).isEqualTo(ClickOutcome.RECORDED);
        }
        counting.flusher().flush();
    }

    /** Flushes until a flush goes through, as the service's schedule does: no restart. */
    private static void flushUntilThrough(Counting counting) throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (true) {
            try {
                counting.flusher().flush();
                return;
            } catch (RuntimeException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(50);
            }
        }
    }

    private long[] counters() {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT c.android_click_count, (SELECT coalesce(sum(android), 0) FROM click_minutes WHERE campaign_id = c.id)
                        FROM campaigns c WHERE id = :id""")
                .bind("id", campaign)
                .map((rs, ctx) -> new long[] {rs.getLong(1), rs.getLong(2)})
                .one());
    }

    /** Two flushes of ten clicks, the dump, two more flushes, then the dump restored under the running flusher. */
    private Counting restoredTwoFlushesBack(long keepAppliedNanos) throws Exception {
        Path dump = TestApp.tempDir("behind-dump").resolve("dump.sql");
        Counting counting = start(TestApp.tempDir("behind-journal"), keepAppliedNanos);
        clickAndFlush(counting, 10);
        clickAndFlush(counting, 10);
        pg(tool("pg_dump"), "--clean", "--if-exists", "-f", dump.toString(), url());
        clickAndFlush(counting, 10);
        clickAndFlush(counting, 10);
        assertThat(counters()).containsExactly(40, 40);
        pg(tool("psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1", "-f", dump.toString(), url());
        assertThat(counters()).as("PostgreSQL, restored, lost the last two flushes").containsExactly(20, 20);
        return counting;
    }

    @Test
    void theClicksPostgresqlLostAreAppliedAgainFromTheJournalWithoutARestart() throws Exception {
        Counting counting = restoredTwoFlushesBack(TimeUnit.HOURS.toNanos(1));
        for (int i = 0; i < 5; i++) {
            assertThat(Clicks.record(counting.journal(), campaign, Platform.ANDROID)).isEqualTo(ClickOutcome.RECORDED);
        }
        flushUntilThrough(counting);
        assertThat(counters()).as("the 20 restored, the 20 lost applied again, the 5 new").containsExactly(45, 45);
        assertThat(metrics.meter("clicks.lost").getCount()).isZero();
        clickAndFlush(counting, 1);
        assertThat(counters()).containsExactly(46, 46);
        counting.flusher().release();
        counting.journal().stop();
    }

    /**
     * The dump is taken before a restart: PostgreSQL, restored, holds the row as the previous
     * process of this directory had claimed it. It is still this directory's, for the running
     * process and for the next start alike.
     */
    private Counting restoredBeforeARestart(Path dir) throws Exception {
        Path dump = TestApp.tempDir("behind-dump").resolve("dump.sql");
        Counting first = start(dir, TimeUnit.HOURS.toNanos(1));
        clickAndFlush(first, 10);
        pg(tool("pg_dump"), "--clean", "--if-exists", "-f", dump.toString(), url());
        first.flusher().release();
        first.journal().stop();
        Counting second = start(dir, TimeUnit.HOURS.toNanos(1));
        clickAndFlush(second, 10);
        pg(tool("psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1", "-f", dump.toString(), url());
        assertThat(counters()).containsExactly(10, 10);
        return second;
    }

    @Test
    void aRowRestoredAsAnEarlierProcessOfTheDirectoryClaimedItIsStillItsOwn() throws Exception {
        Counting running = restoredBeforeARestart(TestApp.tempDir("behind-journal"));
        for (int i = 0; i < 5; i++) {
            assertThat(Clicks.record(running.journal(), campaign, Platform.ANDROID)).isEqualTo(ClickOutcome.RECORDED);
        }
        flushUntilThrough(running);
        assertThat(counters()).containsExactly(25, 25);
        running.flusher().release();
        running.journal().stop();
    }

    @Test
    void aRestartOnARowRestoredAsAnEarlierProcessClaimedItCountsEachClickOnce() throws Exception {
        Path dir = TestApp.tempDir("behind-journal");
        Counting crashed = restoredBeforeARestart(dir);
        crashed.journal().stop(); // before it noticed
        Counting restarted = start(dir, TimeUnit.HOURS.toNanos(1));
        for (int i = 0; i < 5; i++) {
            assertThat(Clicks.record(restarted.journal(), campaign, Platform.ANDROID)).isEqualTo(ClickOutcome.RECORDED);
        }
        flushUntilThrough(restarted); // once the lease of the restored row has run out
        assertThat(counters()).as("the 10 restored, the 10 PostgreSQL lost, the 5 new; none twice").containsExactly(25, 25);
        restarted.flusher().release();
        restarted.journal().stop();
    }

    @Test
    void clicksPostgresqlLostThatTheJournalNoLongerHoldsAreCountedAsLost() throws Exception {
        Counting counting = restoredTwoFlushesBack(0); // applied segments deleted at once
        for (int i = 0; i < 5; i++) {
            assertThat(Clicks.record(counting.journal(), campaign, Platform.ANDROID)).isEqualTo(ClickOutcome.RECORDED);
        }
        flushUntilThrough(counting);
        // Segments of ten: at position 40, those up to 30 were deleted; the lost 20..30 are gone.
        assertThat(counters()).containsExactly(35, 35);
        assertThat(metrics.meter("clicks.lost").getCount()).isEqualTo(10);
        counting.flusher().release();
        counting.journal().stop();
    }
}
