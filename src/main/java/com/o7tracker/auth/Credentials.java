package com.o7tracker.auth;

import io.dropwizard.auth.basic.BasicCredentials;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * What a request offers as credentials, read from its headers in one place for the throttle's gate
 * and the authentication filter: the admin password ({@code Authorization: Basic}), an API key
 * ({@code Authorization: Bearer o7_…} or {@code X-Api-Key: o7_…}, or the query parameter
 * {@code key} where a resource takes it), nothing, or something that is none of these. A key is
 * taken only in its exact form ({@code o7_} and 43 characters of URL-safe base64), so anything
 * else is refused before it is hashed or looked up. Credentials in two places are refused: which
 * one counts would otherwise depend on the order this class reads them in.
 */
public sealed interface Credentials {

    String API_KEY_HEADER = "X-Api-Key";
    String KEY_PREFIX = "o7_";
    Pattern KEY_FORMAT = Pattern.compile("o7_[A-Za-z0-9_-]{43}");

    /** No credentials at all: a browser's first request, answered with the challenge and not counted as a failure. */
    record None() implements Credentials {
    }

    /** Credentials that cannot be right (undecodable, a key of the wrong form, empty, or given twice): a failed login. */
    record Malformed() implements Credentials {
    }

    record Password(BasicCredentials basic) implements Credentials {
    }

    /** A key of the right form; whether it exists is the store's to say. */
    record Key(String key) implements Credentials {

        @Override
        public String toString() {
            return "Key[…]"; // never the key, should one be logged
        }
    }

    None NONE = new None();
    Malformed MALFORMED = new Malformed();

    /**
     * The credentials of a request's {@code Authorization} and {@code X-Api-Key} headers and, where
     * the resource takes one, its {@code key} query parameter (null: absent).
     */
    static Credentials read(String authorization, String apiKeyHeader, String queryKey) {
        int given = (authorization != null ? 1 : 0) + (apiKeyHeader != null ? 1 : 0) + (queryKey != null ? 1 : 0);
        if (given == 0) {
            return NONE;
        }
        if (given > 1) {
            return MALFORMED;
        }
        if (apiKeyHeader != null) {
            return key(apiKeyHeader.strip());
        }
        if (queryKey != null) {
            return key(queryKey);
        }
        int space = authorization.indexOf(' ');
        String scheme = space < 0 ? authorization : authorization.substring(0, space);
        if (space > 0 && scheme.equalsIgnoreCase("Bearer")) {
            return key(authorization.substring(space + 1).strip());
        }
        if (space > 0 && scheme.equalsIgnoreCase("Basic")) {
            BasicCredentials basic = basic(authorization.substring(space + 1).strip());
            return basic == null ? MALFORMED : new Password(basic);
        }
        return MALFORMED;
    }

    private static Credentials key(String key) {
        return KEY_FORMAT.matcher(key).matches() ? new Key(key) : MALFORMED;
    }

    /** The user name and password of a {@code Basic} header's value, or null. */
    private static BasicCredentials basic(String encoded) {
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
        int colon = decoded.indexOf(':');
        return colon < 0 ? null : new BasicCredentials(decoded.substring(0, colon), decoded.substring(colon + 1));
    }
}
