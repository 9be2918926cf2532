package com.o7tracker.dimension;

import java.util.Arrays;
import java.util.Optional;

/**
 * What a click records besides its campaign, platform and minute, by the name the breakdowns use
 * ({@code by=country}): where it came from and on what. Each value is bounded text, never markup,
 * {@link Values#NONE} when the click did not tell.
 */
public enum Dimension {
    COUNTRY("country"),
    REFERRER("referrer"),
    UTM_SOURCE("utm_source"),
    UTM_MEDIUM("utm_medium"),
    UTM_CAMPAIGN("utm_campaign"),
    LANGUAGE("language"),
    OS("os"),
    BROWSER("browser");

    private final String wireName;

    Dimension(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** The dimension of a wire name, as exactly written. */
    public static Optional<Dimension> parse(String name) {
        return Arrays.stream(values()).filter(d -> d.wireName.equals(name)).findFirst();
    }
}
