package com.o7tracker.track;

import com.codahale.metrics.MetricRegistry;
import com.o7tracker.settings.Setting;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MaxDuration;
import io.dropwizard.validation.MinDuration;
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

    public UserAgents build(MetricRegistry metrics) {
        return new UserAgents(this, metrics);
    }

    public Duration getMaxWait() {
        return maxWait;
    }

    public int getMaxWaiting() {
        return maxWaiting;
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
