package com.o7tracker.web;

/**
 * An integer query parameter between bounds ({@code limit}, {@code top}, …) and its value when
 * absent: the one way such a parameter is read, and the one 400 a client gets for a value out of
 * bounds or not an integer.
 */
public record IntQueryParam(String name, int min, int max, int absent) {

    public int read(String value) {
        if (value == null) {
            return absent;
        }
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ApiException.badRequest("Query parameter " + name + " must be an integer from " + min + " to " + max + ".");
    }
}
