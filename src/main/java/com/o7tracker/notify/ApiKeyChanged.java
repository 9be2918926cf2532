package com.o7tracker.notify;

import java.util.OptionalLong;

/**
 * The payload of {@link Channel#API_KEY_CHANGED}: the key's id in decimal. PostgreSQL's trigger
 * (migration V015) writes it; only read here.
 */
public final class ApiKeyChanged {

    private ApiKeyChanged() {
    }

    /** The key's id, or empty for a payload that is no id (the listener then forgets every key). */
    public static OptionalLong parse(String payload) {
        try {
            return OptionalLong.of(Long.parseLong(payload));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }
}
