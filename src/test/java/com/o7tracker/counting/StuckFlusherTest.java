package com.o7tracker.counting;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.health.HealthCheck;
import com.codahale.metrics.health.HealthCheckRegistry;
import com.o7tracker.campaign.Platform;
import com.o7tracker.support.Tables;
import com.o7tracker.support.TestApp;
import com.o7tracker.support.TestPostgres;
import io.dropwizard.jackson.Jackson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A flusher that stands still while PostgreSQL answers is unhealthy on the admin port, with its
 * reason, and logs that reason once a minute, not once per flush. The fault: a PostgreSQL that
 * refuses this journal's writes (a trigger standing in for a read-only database or a revoked
 * grant) while the service starts on a journal a killed process left unapplied.
 */
class StuckFlusherTest {

    private static void sql(String statement) throws Exception {
        try (Connection c = TestPostgres.shared().connect(); Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }

    private static HealthCheck.Result awaitCheck(HealthCheckRegistry checks, String name, Predicate<HealthCheck.Result> wanted)
            throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        HealthCheck.Result result = checks.runHealthCheck(name);
        while (!wanted.test(result) && System.nanoTime() < deadline) {
            Thread.sleep(100);
            result = checks.runHealthCheck(name);
        }
        return result;
    }

    @Test
    void aFlusherThatCannotWriteWhilePostgresqlAnswersIsUnhealthyWithItsReason() throws Exception {
        Jdbi jdbi = Jdbi.create(TestPostgres.shared().migratedDataSource()).installPlugin(new SqlObjectPlugin());
        long campaign = ThreadLocalRandom.current().nextLong(1L << 40, 1L << 50);
        sql("INSERT INTO campaigns (id, redirect_url) VALUES (" + campaign + ", 'https://stuck.example/')");
        Path dir = TestApp.tempDir("stuck-flusher");
        ClickJournal killed = new ClickJournal(dir, Durability.FSYNC, 1_000, 1_000_000, 5_000, new MetricRegistry());
        killed.start();
        for (int i = 0; i < 3; i++) {
            assertThat(Clicks.record(killed, campaign, Platform.ANDROID)).isEqualTo(ClickOutcome.RECORDED);
        }
        killed.stop(); // never flushed
        String journalId = Files.readString(dir.resolve("journal.id")).trim();
        sql("""
                CREATE OR REPLACE FUNCTION refuse_journal() RETURNS trigger LANGUAGE plpgsql AS
                $$ BEGIN RAISE EXCEPTION 'writes refused for maintenance'; END $$;
                CREATE TRIGGER refuse_journal BEFORE INSERT OR UPDATE ON click_journals FOR EACH ROW
                WHEN (NEW.journal_id = '%s') EXECUTE FUNCTION refuse_journal();
                """.formatted(journalId));

        CountingFactory config = Jackson.newObjectMapper().convertValue(
                Map.of("flushInterval", "20ms", "maxUnappliedAge", "1s"), CountingFactory.class);
        MetricRegistry metrics = new MetricRegistry();
        ClickCounting counting = new ClickCounting(config, dir, jdbi, metrics);
        HealthCheckRegistry checks = new HealthCheckRegistry();
        counting.registerHealthChecks(checks);
        Logger flusherLog = (Logger) LoggerFactory.getLogger(ClickFlusher.class);
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        flusherLog.addAppender(log);
        try {
            counting.start();
            HealthCheck.Result stuck = awaitCheck(checks, "click-flusher", r -> !r.isHealthy());
            assertThat(stuck.isHealthy()).as("the flusher check: %s", stuck.getMessage()).isFalse();
            assertThat(stuck.getMessage()).contains("no click applied", "3 wait", "writes refused for maintenance",
                    "although PostgreSQL answers");
            assertThat(checks.runHealthCheck("click-journal").isHealthy()).as("clicks are still recorded").isTrue();
            HealthCheck.Result backlog = awaitCheck(checks, "click-backlog", r -> !r.isHealthy());
            assertThat(backlog.getMessage()).as("the replayed clicks' age counts from the start").contains("3 click(s) not yet");
            assertThat(backlog.isHealthy()).isFalse();
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (metrics.meter("clicks.flush.failures").getCount() < 10 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            long failures = metrics.meter("clicks.flush.failures").getCount();
            assertThat(failures).as("failed flushes so far").isGreaterThanOrEqualTo(10);
            assertThat(log.list.stream().filter(e -> e.getFormattedMessage().startsWith("Cannot apply")).toList())
                    .as("%d failed flushes, logged once within the minute", failures)
                    .singleElement().satisfies(e -> assertThat(e.getFormattedMessage()).contains("writes refused for maintenance"));

            sql("DROP TRIGGER refuse_journal ON click_journals");
            HealthCheck.Result moving = awaitCheck(checks, "click-flusher", HealthCheck.Result::isHealthy);
            assertThat(moving.isHealthy()).as(moving.getMessage()).isTrue();
            counting.flushNow();
            assertThat(Tables.counters(campaign)).containsExactly(3, 3, 0, 0, 0, 0);
        } finally {
            flusherLog.detachAppender(log);
            sql("DROP TRIGGER IF EXISTS refuse_journal ON click_journals; DROP FUNCTION IF EXISTS refuse_journal()");
            counting.stop();
        }
    }
}
