package com.o7tracker.stats;

import io.dropwizard.lifecycle.Managed;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rolls minute buckets older than {@code minutesKept} (by PostgreSQL's clock, the same for every
 * instance) up into hour buckets, every ten minutes. Safe on every instance at once: a minute
 * bucket is moved by one statement, once.
 */
public class StatsRollup implements Managed {

    private static final Logger LOG = LoggerFactory.getLogger(StatsRollup.class);

    private final StatsDao stats;
    private final Duration minutesKept;
    private final ScheduledExecutorService scheduler;

    /** Rolls up on {@code scheduler}, whose owner (the lifecycle) shuts it down, ending the rollups. */
    public StatsRollup(StatsDao stats, Duration minutesKept, ScheduledExecutorService scheduler) {
        this.stats = stats;
        this.minutesKept = minutesKept;
        this.scheduler = scheduler;
    }

    /** Rolls up what has passed the retention; returns how many minute buckets moved. */
    public int rollUp() {
        return stats.rollUp(stats.now().minus(minutesKept).truncatedTo(ChronoUnit.HOURS));
    }

    @Override
    public void start() {
        scheduler.scheduleWithFixedDelay(() -> {
            try {
                int moved = rollUp();
                if (moved > 0) {
                    LOG.info("Rolled {} minute bucket(s) older than {} up into hours", moved, minutesKept);
                }
            } catch (RuntimeException e) {
                LOG.warn("Could not roll minute buckets up into hours (tried again in 10 minutes): {}", e.toString());
            }
        }, 1, 10, TimeUnit.MINUTES);
    }
}
