package com.o7tracker.track;

import com.codahale.metrics.MetricRegistry;
import com.o7tracker.settings.Setting;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MaxDuration;
import io.dropwizard.validation.MinDuration;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.util.concurrent.TimeUnit;

/** How long, and how many, clicks may wait for the User-Agent parser ({@link UserAgents}). */
public class UserAgentsFactory {

    /** The longest a click waits for the parser before it is judged by its User-Agent's tokens. */
    @MinDuration(value = 0, unit = TimeUnit.MILLISECONDS)
    @MaxDuration(value = 1, unit = TimeUnit.HOURS)
    @Setting
    private Duration maxWait = Duration.milliseconds(200);

    /**
     * Clicks that may wait for the parser at once (for their own string's parse or another click's
     * of the same string); one more is judged by its tokens at once. A parse takes about 1 ms, one
     * at a time, so 16 waiting is already 16 ms of queue: more would hold request threads without
     * parsing more.
     */
    @Min(1)
    @Max(1_000)
    @Setting
    private int maxWaiting = 16;

    /**
     * The share of one core's time the parser may take: after each parse it rests until this share
     * is kept (a parse of 1 ms, then 3 ms of rest at 0.25), and clicks meanwhile are judged by their
     * tokens. A made-up User-Agent costs about 1.4 ms of CPU to parse (and 150 KB of garbage), as
     * much as some 25 clicks: unbounded, a flood of them would give the parser a core of two.
     * Real traffic brings far fewer new strings a second than the 180 this still parses.
     */
    @DecimalMin("0.01")
    @DecimalMax("1.0")
    @Setting
    private double parserShare = 0.25;

    public UserAgents build(MetricRegistry metrics) {
        return new UserAgents(this, metrics);
    }

    public Duration getMaxWait() {
        return maxWait;
    }

    public int getMaxWaiting() {
        return maxWaiting;
    }

    public double getParserShare() {
        return parserShare;
    }

    public UserAgentsFactory setParserShare(double parserShare) {
        this.parserShare = parserShare;
        return this;
    }

    public UserAgentsFactory setMaxWait(Duration maxWait) {
        this.maxWait = maxWait;
        return this;
    }

    public UserAgentsFactory setMaxWaiting(int maxWaiting) {
        this.maxWaiting = maxWaiting;
        return this;
    }
}
