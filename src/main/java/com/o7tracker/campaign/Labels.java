package com.o7tracker.campaign;

import com.fasterxml.jackson.databind.JsonNode;
import com.o7tracker.web.ApiException;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * A campaign's name and tags, which tell campaigns apart and group them for the people who manage
 * them, and play no part in where a click goes: the rules of what a client may send as them, in a
 * request's body and in the list's {@code tag} filter. Migration V012 holds the same rules as
 * CHECKs, so a row written by hand keeps them too.
 *
 * <p>A name is free text shown as text: trimmed, at most {@link #MAX_NAME_LENGTH} characters (code
 * points, as PostgreSQL's {@code length} counts them), no control characters. A tag is a word a
 * filter can name in a URL: 1 to {@link #MAX_TAG_LENGTH} of {@code a-z}, {@code 0-9}, {@code -}
 * and {@code _}, sent in any case and kept in lower case.
 */
public final class Labels {

    public static final int MAX_NAME_LENGTH = 200;
    public static final int MAX_TAGS = 20;
    public static final int MAX_TAG_LENGTH = 50;
    public static final String TAG_RULE = "1 to " + MAX_TAG_LENGTH + " letters, digits, '-' or '_'";

    private Labels() {
    }

    /**
     * The name to store: trimmed, or {@code ""} for {@code null}, {@code ""} or blanks, which clear
     * it (the stored value is then SQL NULL, and the answer's {@code name} is {@code null}).
     */
    static String name(JsonNode value) {
        if (value.isNull()) {
            return "";
        }
        if (!value.isTextual()) {
            throw ApiException.unprocessable("name must be a string or null.");
        }
        String sent = value.asText();
        if (!isText(sent)) {
            throw ApiException.unprocessable("name must not hold control characters or broken Unicode.");
        }
        String name = sent.strip();
        if (name.codePointCount(0, name.length()) > MAX_NAME_LENGTH) {
            throw ApiException.unprocessable("name must be at most " + MAX_NAME_LENGTH + " characters.");
        }
        return name;
    }

    /** The tags to store, lower case, duplicates dropped, in the order sent; {@code null} clears them. */
    static String[] tags(JsonNode value) {
        if (value.isNull()) {
            return new String[0];
        }
        if (!value.isArray()) {
            throw ApiException.unprocessable("tags must be an array of tags, or null.");
        }
        Set<String> tags = new LinkedHashSet<>();
        for (JsonNode element : value) {
            if (!element.isTextual()) {
                throw ApiException.unprocessable("tags must hold only strings.");
            }
            String sent = element.asText();
            tags.add(tag(sent).orElseThrow(() -> ApiException.unprocessable(
                    "tags holds " + ApiException.quote(sent) + ", which is not a tag: " + TAG_RULE + ".")));
            if (tags.size() > MAX_TAGS) {
                throw ApiException.unprocessable("tags must hold at most " + MAX_TAGS + " different tags.");
            }
        }
        return tags.toArray(String[]::new);
    }

    /**
     * A tag as sent, in lower case; empty if it is not one. Only ASCII folds: the Kelvin sign
     * (U+212A), which Java lower-cases to {@code k}, is not a tag.
     */
    public static Optional<String> tag(String sent) {
        if (sent.isEmpty() || sent.length() > MAX_TAG_LENGTH) {
            return Optional.empty();
        }
        char[] tag = new char[sent.length()];
        for (int i = 0; i < tag.length; i++) {
            char c = sent.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                c = (char) (c + ('a' - 'A'));
            } else if (!(c >= 'a' && c <= 'z') && !(c >= '0' && c <= '9') && c != '-' && c != '_') {
                return Optional.empty();
            }
            tag[i] = c;
        }
        return Optional.of(new String(tag));
    }

    /**
     * Whether {@code s} is text PostgreSQL keeps as sent and a page shows as it is: no control
     * character (C0, DEL, C1) and no surrogate without its pair (which UTF-8 cannot carry).
     */
    public static boolean isText(String s) {
        for (int i = 0; i < s.length(); ) {
            int c = s.codePointAt(i);
            if (Character.isISOControl(c) || (c >= Character.MIN_SURROGATE && c <= Character.MAX_SURROGATE)) {
                return false;
            }
            i += Character.charCount(c);
        }
        return true;
    }
}
