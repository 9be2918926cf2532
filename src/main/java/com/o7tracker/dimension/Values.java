package com.o7tracker.dimension;

import java.util.Locale;

/**
 * The value of each visitor-sent dimension, by the rule every instance applies alike: read from the
 * header or parameter as sent, bounded, {@link #NONE} when not told or not readable, {@link #OTHER}
 * when it holds control characters. Never fails, whatever a visitor sends.
 */
public final class Values {

    /** Not told, or not readable as what it should be. */
    public static final String NONE = "(none)";
    /** Told, but not kept as itself (control characters; past the bound of distinct values). */
    public static final String OTHER = "(other)";
    /** A utm value's bound, in characters (cut there). */
    public static final int MAX_UTM = 100;
    /** A host name's bound: DNS allows 253 characters. */
    public static final int MAX_HOST = 253;

    private Values() {
    }

    /**
     * The host of a Referer, lower case, without user name and port, whatever the scheme
     * ({@code android-app://com.google.android.gm/} is {@code com.google.android.gm}).
     */
    public static String referrer(String referer) {
        if (referer == null) {
            return NONE;
        }
        String s = trim(referer);
        int scheme = s.indexOf("://");
        if (scheme <= 0 || !isScheme(s, scheme)) {
            return NONE;
        }
        int start = scheme + 3;
        int end = start;
        while (end < s.length() && "/?#".indexOf(s.charAt(end)) < 0) {
            end++;
        }
        String authority = s.substring(start, end);
        String host = authority.substring(authority.lastIndexOf('@') + 1);
        if (host.startsWith("[")) {
            int close = host.indexOf(']');
            host = close < 0 ? "" : host.substring(0, close + 1);
        } else {
            int colon = host.indexOf(':');
            host = colon < 0 ? host : host.substring(0, colon);
        }
        while (host.endsWith(".")) {
            host = host.substring(0, host.length() - 1);
        }
        if (host.isEmpty() || host.length() > MAX_HOST || hasSpaces(host)) {
            return NONE; // not a host
        }
        if (hasControls(host)) {
            return OTHER;
        }
        String lower = host.toLowerCase(Locale.ROOT);
        return lower.length() > MAX_HOST ? NONE : lower; // lower case can be longer: 'İ' is "i̇"
    }

    /** Whether {@code s} holds a space of any kind ({@link #isBlank}). */
    private static boolean hasSpaces(String s) {
        return s.chars().anyMatch(Values::isBlank);
    }

    /**
     * Whether {@code c} shows as nothing: a space of any kind (ASCII, no-break, any other Unicode
     * space, which {@link String#strip} leaves when it is no-break), or a letter or symbol drawn
     * blank (the Hangul fillers, the blank Braille pattern).
     */
    private static boolean isBlank(int c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c)
                || c == '\u115f' || c == '\u1160' || c == '\u3164' || c == '\uffa0' || c == '\u2800';
    }

    /** {@code s} without what shows as nothing ({@link #isBlank}) at either end. */
    private static String trim(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && isBlank(s.charAt(start))) {
            start++;
        }
        while (end > start && isBlank(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(start, end);
    }

    private static boolean isScheme(String s, int end) {
        if (!Character.isLetter(s.charAt(0)) || s.charAt(0) > 'z') {
            return false;
        }
        for (int i = 1; i < end; i++) {
            char c = s.charAt(i);
            if (!(c < 128 && (Character.isLetterOrDigit(c) || c == '+' || c == '-' || c == '.'))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether {@code s} holds a control character (C0, DEL, C1) or a format character (Unicode's
     * Cf: the bidirectional overrides and isolates, zero-width characters, the soft hyphen), which
     * would make a value show as something else than it is: {@code U+202E evil} reads "live"; or a
     * lone surrogate (stored as "?": UTF-8 has no encoding of it), a private use or an unassigned
     * code point (shown as whatever a font makes of it).
     */
    static boolean hasControls(String s) {
        return s.codePoints().anyMatch(c -> {
            int type = Character.getType(c);
            return Character.isISOControl(c) || type == Character.FORMAT || type == Character.SURROGATE
                    || type == Character.PRIVATE_USE || type == Character.UNASSIGNED;
        });
    }

    /** The bound of a name the User-Agent parse gives, in characters. */
    public static final int MAX_SOFTWARE = 50;

    /**
     * An operating system's or browser's name as the User-Agent parse gives it ({@code Android},
     * {@code Chrome}): {@link #NONE} for the parser's words for none ({@code Unknown}, {@code ??},
     * {@code Hacker}) and for an empty one, {@link #OTHER} for one with control characters or longer
     * than {@link #MAX_SOFTWARE} (the parser takes some names from the string a visitor sends).
     */
    public static String software(String name) {
        if (name == null) {
            return NONE;
        }
        String s = trim(name);
        if (s.isEmpty() || s.equals("Unknown") || s.equals("??") || s.equals("Hacker")) {
            return NONE;
        }
        if (s.length() > MAX_SOFTWARE || hasControls(s)) {
            return OTHER;
        }
        return s;
    }

    /** A utm parameter's value as decoded: trimmed, cut at {@link #MAX_UTM} characters (whole code points). */
    public static String utm(String decoded) {
        if (decoded == null) {
            return NONE;
        }
        String s = trim(decoded);
        if (s.isEmpty()) {
            return NONE;
        }
        if (hasControls(s)) {
            return OTHER;
        }
        if (s.codePointCount(0, s.length()) > MAX_UTM) {
            s = trim(s.substring(0, s.offsetByCodePoints(0, MAX_UTM)));
        }
        return s;
    }

    /**
     * The primary subtag, lower case, of the language an Accept-Language header weighs most (the
     * first of equal weights; {@code *} and weight 0 never): {@code de} for
     * {@code de-AT,de;q=0.9,en;q=0.8}.
     */
    public static String language(String acceptLanguage) {
        if (acceptLanguage == null || acceptLanguage.length() > 1_000) {
            return NONE;
        }
        String best = null;
        double bestWeight = 0;
        for (String range : acceptLanguage.split(",", 50)) {
            String[] parts = range.split(";", -1);
            String tag = parts[0].strip();
            double weight = 1;
            for (int i = 1; i < parts.length; i++) {
                String parameter = parts[i].strip();
                if (parameter.startsWith("q=") || parameter.startsWith("Q=")) {
                    weight = weight(parameter.substring(2));
                }
            }
            String primary = primary(tag);
            if (primary != null && weight > bestWeight) {
                best = primary;
                bestWeight = weight;
            }
        }
        return best == null ? NONE : best;
    }

    /**
     * A q value, 0 to 1 with at most three decimals ({@code 0}, {@code 0.}, {@code 0.875},
     * {@code 1.000}); anything else weighs 0. Read by hand: it is on the click path.
     */
    private static double weight(String q) {
        int n = q.length();
        if (n == 0 || n > 5 || (q.charAt(0) != '0' && q.charAt(0) != '1')) {
            return 0;
        }
        int whole = q.charAt(0) - '0';
        if (n == 1) {
            return whole;
        }
        if (q.charAt(1) != '.') {
            return 0;
        }
        int thousandths = 0;
        for (int i = 2, scale = 100; i < n; i++, scale /= 10) {
            char c = q.charAt(i);
            if (c < '0' || c > '9' || (whole == 1 && c != '0')) {
                return 0;
            }
            thousandths += (c - '0') * scale;
        }
        return whole + thousandths / 1000.0;
    }

    /** The primary subtag of a language tag, 2-3 ASCII letters, lower case; null otherwise. */
    private static String primary(String tag) {
        int dash = tag.indexOf('-');
        String primary = dash < 0 ? tag : tag.substring(0, dash);
        if (primary.length() < 2 || primary.length() > 3) {
            return null;
        }
        for (int i = 0; i < primary.length(); i++) {
            char c = primary.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) {
                return null;
            }
        }
        return primary.toLowerCase(Locale.ROOT);
    }
}
