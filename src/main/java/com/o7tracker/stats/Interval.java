package com.o7tracker.stats;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Optional;

/** The width of a stats bucket: a minute, an hour or a day (UTC). */
public enum Interval {
    MINUTE(ChronoUnit.MINUTES),
    HOUR(ChronoUnit.HOURS),
    DAY(ChronoUnit.DAYS);

    private final ChronoUnit unit;

    Interval(ChronoUnit unit) {
        this.unit = unit;
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public Duration width() {
        return unit.getDuration();
    }

    /** The start of the bucket {@code at} falls in. */
    public Instant floor(Instant at) {
        return at.truncatedTo(unit);
    }

    /** The end of the last bucket {@code at} still needs: {@code at} itself if it starts one. */
    public Instant ceiling(Instant at) {
        Instant floor = floor(at);
        return floor.equals(at) ? at : floor.plus(width());
    }

    public static Optional<Interval> parse(String name) {
        for (Interval interval : values()) {
            if (interval.id().equalsIgnoreCase(name.trim())) {
                return Optional.of(interval);
            }
        }
        return Optional.empty();
    }
}
