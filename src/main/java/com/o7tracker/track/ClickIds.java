package com.o7tracker.track;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The {@code {click_id}} of a tracking link's target: unique per click across instances and
 * restarts, at most 27 URL-safe characters ({@code A-Z a-z 0-9 - _}). Each process draws 96 random
 * bits when it starts (16 characters) and numbers its clicks after them: no state on disk that a
 * crash could roll back, and two processes share a prefix with a chance of 2^-96.
 */
final class ClickIds {

    private static final char[] DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".toCharArray();

    private final String prefix;
    private final AtomicLong next = new AtomicLong();

    ClickIds() {
        byte[] random = new byte[12];
        new SecureRandom().nextBytes(random);
        this.prefix = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }

    String next() {
        long n = next.getAndIncrement();
        StringBuilder id = new StringBuilder(prefix.length() + 11).append(prefix);
        do {
            id.append(DIGITS[(int) (n & 63)]);
            n >>>= 6;
        } while (n != 0);
        return id.toString();
    }
}
