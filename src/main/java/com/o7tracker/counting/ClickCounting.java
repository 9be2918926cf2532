package com.o7tracker.counting;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.health.HealthCheck;
import com.codahale.metrics.health.HealthCheckRegistry;
import com.o7tracker.campaign.Platform;
import com.o7tracker.dimension.Visit;
import io.dropwizard.lifecycle.Managed;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a click is counted: the journal records it durably before its visitor is redirected, and
 * the flusher applies it to PostgreSQL in the background. Stopping drains both: every journaled
 * click is applied before the process exits, or, if PostgreSQL is unreachable, stays in the
 * journal for the next start.
 */
public class ClickCounting implements Managed {

    private static final Logger LOG = LoggerFactory.getLogger(ClickCounting.class);

    private final CountingFactory config;
    private final ClickJournal journal;
    private final ClickFlusher flusher;
    private final CounterStore store;
    private final ScheduledExecutorService scheduler;

    public ClickCounting(CountingFactory config, Path journalDirectory, Jdbi jdbi, MetricRegistry metrics) {
        this.config = config;
        this.journal = new ClickJournal(journalDirectory, config.getDurability(),
                config.getSegmentClicks(), config.getMaxBacklog(), config.getMaxPendingRows(),
                config.getKeepApplied().toNanoseconds(), config.getAckTimeout().toMilliseconds(), metrics);
        this.store = jdbi.onDemand(CounterStore.class);
        this.flusher = new ClickFlusher(journal, store, config.getJournalLease().toJavaDuration(), metrics);
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "click-flusher");
            thread.setDaemon(true);
            return thread;
        });
        metrics.register("clicks.backlog", (Gauge<Long>) journal::backlog);
        metrics.register("clicks.oldestUnappliedSeconds", (Gauge<Double>) () -> flusher.oldestUnappliedMillis() / 1000.0);
        metrics.register("clicks.journal.durablePosition", (Gauge<Long>) journal::durableSeq);
        metrics.register("clicks.journal.appliedPosition", (Gauge<Long>) journal::appliedSeq);
    }

    /**
     * Records a click of a visitor on {@code platform}, or of a bot ({@code bot}: counted in
     * bot_click_count only), with where it came from ({@code visit}); the ack answers it once it
     * is durable, or at once if it is refused.
     * See {@link ClickJournal#record}.
     */
    public void record(long campaignId, Platform platform, boolean bot, Visit visit, ClickAck ack) {
        journal.record(campaignId, ClickKind.of(platform, bot), visit, ack);
    }

    /** Tells {@code listener} (too: one per sink) of every batch of clicks once it is in PostgreSQL. */
    public void onApplied(ClickFlusher.Applied listener) {
        flusher.onApplied(listener);
    }

    /** Applies every click recorded before the call; throws if PostgreSQL cannot take them now. */
    public void flushNow() throws Exception {
        flusher.flush();
    }

    public void registerHealthChecks(HealthCheckRegistry healthChecks) {
        healthChecks.register("click-journal", new HealthCheck() {
            @Override
            protected Result check() {
                String failure = journal.failure();
                if (!journal.isOpen() || failure != null) {
                    return Result.unhealthy("clicks cannot be recorded in %s: %s", journal.directory(), failure);
                }
                return Result.healthy("recording in %s", journal.directory());
            }
        });
        healthChecks.register("click-flusher", flusherCheck());
        healthChecks.register("click-backlog", new HealthCheck() {
            @Override
            protected Result check() {
                long backlog = journal.backlog();
                long ageMillis = flusher.oldestUnappliedMillis();
                String state = String.format("%d click(s) not yet in PostgreSQL, oldest %.1f s", backlog, ageMillis / 1000.0);
                if (ageMillis > config.getMaxUnappliedAge().toMilliseconds() || backlog > journal.maxBacklog() * 0.8) {
                    return Result.unhealthy(state);
                }
                return Result.healthy(state);
            }
        });
    }

    /**
     * A flusher that stands still while PostgreSQL answers (a lock held by another transaction, a
     * database that refuses writes, a journal PostgreSQL does not know) is unhealthy, with the
     * reason; one that waits for PostgreSQL to come back is not, the postgresql check tells that.
     */
    private HealthCheck flusherCheck() {
        return new HealthCheck() {
            @Override
            protected Result check() {
                String stuck = flusher.stuck(config.getMaxUnappliedAge().toNanoseconds());
                if (stuck == null) {
                    return Result.healthy("applying clicks");
                }
                if (!store.answers()) {
                    return Result.healthy("waiting for PostgreSQL, which does not answer: %s", stuck);
                }
                return Result.unhealthy("%s, although PostgreSQL answers", stuck);
            }
        };
    }

    @Override
    public void start() {
        journal.start();
        long interval = config.getFlushInterval().toMilliseconds();
        scheduler.scheduleWithFixedDelay(flusher::flushQuietly, 0, interval, TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() throws Exception {
        try {
            journal.stopTaking();
            scheduler.shutdown();
            scheduler.awaitTermination(10, TimeUnit.SECONDS);
            if (journal.isOpen()) {
                drain();
            }
        } finally {
            // Only now may another process take the journal: the drain still moves its position.
            journal.close();
        }
    }

    /** Lets the next start claim the journal at once; if that fails, it waits for the lease instead. */
    private void releaseQuietly() {
        try {
            flusher.release();
        } catch (RuntimeException e) {
            LOG.warn("The click journal's lease could not be released ({}); the next start waits for it", e.toString());
        }
    }

    private void drain() throws InterruptedException {
        long deadline = System.nanoTime() + config.getDrainTimeout().toNanoseconds();
        while (true) {
            try {
                flusher.flush();
                LOG.info("Every journaled click is in PostgreSQL");
                releaseQuietly();
                return;
            } catch (Exception e) {
                if (System.nanoTime() - deadline > 0) {
                    LOG.warn("{} journaled click(s) could not be applied before shutdown ({}); they stay in {} and are"
                            + " applied at the next start", journal.backlog(), e.toString(), journal.directory());
                    return;
                }
                Thread.sleep(250);
            }
        }
    }
}
