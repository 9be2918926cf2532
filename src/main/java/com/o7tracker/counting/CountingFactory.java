package com.o7tracker.counting;

import com.o7tracker.settings.Absent;
import com.o7tracker.settings.Setting;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.servlets.tasks.Task;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MaxDuration;
import io.dropwizard.validation.MinDuration;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Jdbi;

/** The click journal and the flusher that folds it into the campaign counters. */
public class CountingFactory {

    /** Absent: {@code <dataDirectory>/journal}. */
    @Setting
    private String journalDirectory;

    @NotNull
    @Setting
    private Durability durability = Durability.FSYNC;

    /** How often journaled clicks are applied to PostgreSQL: the delay before the admin API shows them. */
    @MinDuration(value = 10, unit = TimeUnit.MILLISECONDS)
    @MaxDuration(value = 1, unit = TimeUnit.MINUTES)
    @Setting
    private Duration flushInterval = Duration.milliseconds(500);

    /**
     * Journaled clicks not yet in PostgreSQL (16 bytes of disk each). Past it, clicks are still
     * redirected but not recorded: counted in {@code clicks.unrecorded.backlog-full} and logged.
     */
    @Min(1_000)
    @Setting
    private long maxBacklog = 50_000_000;

    /**
     * The (campaign, minute, visit) entries of unapplied clicks held in memory (a few hundred
     * bytes each), and
     * the most one flush transaction writes: a larger backlog (a long outage of PostgreSQL, a
     * large journal found at start) is read back from the journal and applied in pieces of this
     * size, each moving the journal's applied position, so none outlives a socket timeout.
     */
    @Min(10)
    @Max(1_000_000)
    @Setting
    private int maxPendingRows = ClickDeltas.DEFAULT_MAX_ROWS;

    @Min(1_000)
    @Max(100_000_000)
    @Setting
    private int segmentClicks = 4_000_000;

    /** The longest a visitor waits for the click's record before being redirected anyway. */
    @MinDuration(value = 1, unit = TimeUnit.MILLISECONDS)
    @Setting
    private Duration ackTimeout = Duration.seconds(2);

    /** How long shutdown keeps trying to apply the journal before leaving the rest for the next start. */
    @MinDuration(value = 0, unit = TimeUnit.SECONDS)
    @Setting
    private Duration drainTimeout = Duration.seconds(20);

    /**
     * How long the journal's row in PostgreSQL stays this process's after its last sign of life. A
     * restart after a crash waits this long before it applies the journal; a clean stop releases
     * the row at once. A copy of the directory started while its owner lives starts a new journal.
     */
    @MinDuration(value = 1, unit = TimeUnit.SECONDS)
    @Setting
    private Duration journalLease = Duration.seconds(20);

    /**
     * How long a journal segment whose clicks are all in PostgreSQL stays on disk: a PostgreSQL
     * that comes back behind the applied position within this time (a failover to a replica that
     * had not received the last commits, a restored dump) gets the lost clicks again from it.
     */
    @MinDuration(value = 0, unit = TimeUnit.SECONDS)
    @Setting
    private Duration keepApplied = Duration.minutes(10);

    /** The backlog health check fails when the oldest unapplied click is older than this. */
    @MinDuration(value = 1, unit = TimeUnit.SECONDS)
    @Setting
    private Duration maxUnappliedAge = Duration.seconds(60);

    /**
     * Counting: the journal in {@code journalDirectory} (or {@code <dataDirectory>/journal}) and
     * its flusher into {@code jdbi}'s PostgreSQL, with their health checks and the
     * {@code flush-clicks} task; started with the service and drained when it stops.
     */
    public ClickCounting build(Environment environment, String dataDirectory, Jdbi jdbi) {
        Path directory = Absent.ifBlank(journalDirectory).map(Path::of).orElse(Path.of(dataDirectory, "journal"));
        ClickCounting counting = new ClickCounting(this, directory, jdbi, environment.metrics());
        counting.registerHealthChecks(environment.healthChecks());
        environment.lifecycle().manage(counting);
        environment.admin().addTask(new Task("flush-clicks") {
            @Override
            public void execute(Map<String, List<String>> parameters, PrintWriter output) throws Exception {
                counting.flushNow();
                output.println("Every recorded click is in PostgreSQL.");
            }
        });
        return counting;
    }

    public Durability getDurability() {
        return durability;
    }

    public Duration getFlushInterval() {
        return flushInterval;
    }

    public long getMaxBacklog() {
        return maxBacklog;
    }

    public int getMaxPendingRows() {
        return maxPendingRows;
    }

    public int getSegmentClicks() {
        return segmentClicks;
    }

    public Duration getAckTimeout() {
        return ackTimeout;
    }

    public Duration getDrainTimeout() {
        return drainTimeout;
    }

    public Duration getJournalLease() {
        return journalLease;
    }

    public Duration getKeepApplied() {
        return keepApplied;
    }

    public Duration getMaxUnappliedAge() {
        return maxUnappliedAge;
    }
}
