package com.o7tracker.web;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What an API key may do, by its name on the wire. The admin password may do everything, and
 * alone manages keys ({@link PasswordOnly}); a resource method names the scope it needs with
 * {@link Requires}, and otherwise needs {@link #READ} to read (GET, HEAD, OPTIONS) and
 * {@link #WRITE} for the rest.
 */
public enum Scope {

    /** Reads campaigns, stats, breakdowns and the live stream. */
    READ,
    /** Reads, and creates, updates and deletes campaigns. */
    WRITE,
    /** Posts conversions, and nothing else. */
    POSTBACK;

    /** The wire names, comma-separated, for messages. */
    public static final String NAMES = Arrays.stream(values()).map(Scope::wireName).collect(Collectors.joining(", "));

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Exactly as written on the wire (lower case), or empty. */
    public static Optional<Scope> ofWireName(String name) {
        return Arrays.stream(values()).filter(s -> s.wireName().equals(name)).findFirst();
    }

    /** Whether a key with this scope may do what {@code needed} allows: write includes read. */
    public boolean grants(Scope needed) {
        return this == needed || (this == WRITE && needed == READ);
    }
}
