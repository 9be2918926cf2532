package com.o7tracker.web;

import java.nio.charset.StandardCharsets;

/**
 * A URL's query as sent, read in place: the click path takes its {@code platform} from it and a
 * campaign's destination forwards the rest, both by these rules. Parameters are split on
 * {@code &} (an empty piece is no parameter), a name ends at the first {@code =}, and names and
 * values decode as a browser's URL parser does: {@code %XX} as UTF-8, {@code +} as a space, a
 * {@code %} that starts no escape kept as sent.
 *
 * <p>Static methods over indices rather than a parsed map: the click path calls them per click
 * and they copy nothing from a query that holds no escape.
 */
public final class QueryString {

    private QueryString() {
    }

    /** Where the parameter starting at {@code start} ends: the next {@code &}, or the query's end. */
    public static int parameterEnd(String query, int start) {
        int end = query.indexOf('&', start);
        return end < 0 ? query.length() : end;
    }

    /** Where the name of the parameter in [start, end) ends: its first {@code =}, or {@code end}. */
    public static int nameEnd(String query, int start, int end) {
        for (int i = start; i < end; i++) {
            if (query.charAt(i) == '=') {
                return i;
            }
        }
        return end;
    }

    /**
     * The first value of the parameter named {@code name} (as sent, not decoded), decoded; empty when
     * it has none ({@code ?platform}); null when the query has no such parameter.
     */
    public static String value(String query, String name) {
        if (query == null) {
            return null;
        }
        for (int at = 0; at <= query.length(); ) {
            int end = parameterEnd(query, at);
            if (query.startsWith(name, at)) {
                int after = at + name.length();
                if (after == end) {
                    return "";
                }
                if (query.charAt(after) == '=') {
                    return decode(query.substring(after + 1, end));
                }
            }
            at = end + 1;
        }
        return null;
    }

    /** A name or value as its reader takes it: escapes decoded (as UTF-8), {@code +} a space; never fails. */
    public static String decode(String s) {
        if (s.indexOf('%') < 0 && s.indexOf('+') < 0) {
            return s;
        }
        byte[] bytes = new byte[s.length() * 3];
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%' && i + 2 < s.length() && isHex(s.charAt(i + 1)) && isHex(s.charAt(i + 2))) {
                bytes[n++] = (byte) Integer.parseInt(s, i + 1, i + 3, 16);
                i += 2;
            } else if (c == '+') {
                bytes[n++] = ' ';
            } else if (c < 0x80) {
                bytes[n++] = (byte) c;
            } else {
                // A character outside ASCII sent as is: its UTF-8, a surrogate pair taken whole.
                int width = Character.isHighSurrogate(c) && i + 1 < s.length()
                        && Character.isLowSurrogate(s.charAt(i + 1)) ? 2 : 1;
                for (byte b : s.substring(i, i + width).getBytes(StandardCharsets.UTF_8)) {
                    bytes[n++] = b;
                }
                i += width - 1;
            }
        }
        return new String(bytes, 0, n, StandardCharsets.UTF_8);
    }

    public static boolean isHex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }
}
