package com.o7tracker.counting;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MaxDuration;
import io.dropwizard.validation.MinDuration;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** The click journal and the flusher that folds it into the campaign counters. */
public class CountingFactory {

    /** Empty: {@code <dataDirectory>/journal}. */
    @JsonProperty
    private String journalDirectory = "";

    @NotNull
    @JsonProperty
    private Durability durability = Durability.FSYNC;

    /** How often journaled clicks are applied to PostgreSQL: the delay before the admin API shows them. */
    @MinDuration(value = 10, unit = TimeUnit.MILLISECONDS)
    @MaxDuration(value = 1, unit = TimeUnit.MINUTES)
    @JsonProperty
    private Duration flushInterval = Duration.milliseconds(500);

    /**
     * Journaled clicks not yet in PostgreSQL (16 bytes of disk each). Past it, clicks are still
     * redirected but not recorded: counted in {@code clicks.unrecorded.backlog-full} and logged.
     */
    @Min(1_000)
    @JsonProperty
    private long maxBacklog = 50_000_000;

    @Min(1_000)
    @Max(100_000_000)
    @JsonProperty
    private int segmentClicks = 4_000_000;

    /** The longest a visitor waits for the click's record before being redirected anyway. */
    @MinDuration(value = 1, unit = TimeUnit.MILLISECONDS)
    @JsonProperty
    private Duration ackTimeout = Duration.seconds(2);

    /** How long shutdown keeps trying to apply the journal before leaving the rest for the next start. */
    @MinDuration(value = 0, unit = TimeUnit.SECONDS)
    @JsonProperty
    private Duration drainTimeout = Duration.seconds(20);

    /** The backlog health check fails when the oldest unapplied click is older than this. */
    @MinDuration(value = 1, unit = TimeUnit.SECONDS)
    @JsonProperty
    private Duration maxUnappliedAge = Duration.seconds(60);

    public Path journalDirectory(String dataDirectory) {
        return journalDirectory == null || journalDirectory.isBlank()
                ? Path.of(dataDirectory, "journal") : Path.of(journalDirectory);
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

    public int getSegmentClicks() {
        return segmentClicks;
    }

    public Duration getAckTimeout() {
        return ackTimeout;
    }

    public Duration getDrainTimeout() {
        return drainTimeout;
    }

    public Duration getMaxUnappliedAge() {
        return maxUnappliedAge;
    }
}
