package com.o7tracker.campaign;

import com.o7tracker.web.QueryString;
import java.net.IDN;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;

/**
 * A URL in the form a {@code Location} header carries and every client accepts: ASCII only, a
 * host with non-ASCII characters in punycode, every other character a URL may not hold
 * percent-encoded as UTF-8. {@link Destination} writes its targets and forwarded parameters
 * through it.
 */
final class AsciiUrl {

    private static final String HEX = "0123456789ABCDEF";
    /** What a host may not hold once in ASCII (a port's colon is outside the host here). */
    private static final String NOT_IN_A_HOST = "/?#@:[]\\%\"<>^`|";
    /** ß, final sigma, zero-width non-joiner and joiner: IDNA 2003 maps them away, browsers do not. */
    private static final String MAPPED_AWAY = "\u00DF\u03C2\u200C\u200D";

    private AsciiUrl() {
    }

    /**
     * Appends a query parameter as sent, but with every character a query may not hold
     * percent-encoded (as UTF-8), and a {@code %} that starts no escape as {@code %25}: what the
     * visitor's link meant reaches the target unchanged, in a form every client accepts.
     */
    static void appendEncoded(StringBuilder out, String s, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            boolean escape = c == '%' && i + 2 < to && QueryString.isHex(s.charAt(i + 1)) && QueryString.isHex(s.charAt(i + 2));
            if (c == '%' ? escape : isQueryChar(c)) {
                out.append(c);
            } else {
                i = percentEncode(out, s, i);
            }
        }
    }

    /** Appends the character at {@code i} percent-encoded as UTF-8; returns the index of its last char. */
    private static int percentEncode(StringBuilder out, String s, int i) {
        int codePoint = s.codePointAt(i);
        int last = Character.isSupplementaryCodePoint(codePoint) ? i + 1 : i;
        if (codePoint >= Character.MIN_SURROGATE && codePoint <= Character.MAX_SURROGATE) {
            codePoint = 0xFFFD; // a lone surrogate: no character to send
        }
        for (byte b : new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8)) {
            out.append('%').append(HEX.charAt((b >> 4) & 0xF)).append(HEX.charAt(b & 0xF));
        }
        return last;
    }

    private static boolean isQueryChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || "-._~!$&'()*+,;=:@/?".indexOf(c) >= 0;
    }

    /**
     * The URL as a {@code Location} carries it, in the form browsers send: a host with non-ASCII
     * characters as DNS names it (punycode, {@link #asciiHost}), every other non-ASCII character
     * percent-encoded as UTF-8 (as {@link URI#toASCIIString}).
     */
    static String toAscii(String url) {
        if (url.chars().allMatch(c -> c < 0x80)) {
            return url;
        }
        String normalized = Normalizer.normalize(url, Normalizer.Form.NFC);
        StringBuilder out = new StringBuilder(normalized.length() + 16);
        int hostStart = hostStart(normalized);
        int hostEnd = hostStart < 0 ? -1 : hostEnd(normalized, hostStart);
        String host = hostEnd <= hostStart ? null : asciiHost(normalized.substring(hostStart, hostEnd));
        for (int i = 0; i < normalized.length(); i++) {
            char c = normalized.charAt(i);
            if (i == hostStart && host != null) {
                out.append(host);
                i = hostEnd - 1;
            } else if (c < 0x80) {
                out.append(c);
            } else {
                i = percentEncode(out, normalized, i);
            }
        }
        return out.toString();
    }

    /**
     * A host as DNS names it: labels with non-ASCII characters in punycode ({@code bücher.de} is
     * {@code xn--bcher-kva.de}, IDNA 2003 as {@link IDN} has it), or null if it is no such name
     * (then it is percent-encoded like the rest, and {@link CampaignRequest} refuses it). Also null
     * where IDNA 2003 would send visitors elsewhere than the name reads: a full-width delimiter it
     * maps to an ASCII one ({@code a.example＠evil.example} would become a user name and the host
     * {@code evil.example}), and the characters it maps away where browsers (IDNA 2008) keep them
     * ({@code faß.de} would become {@code fass.de}, another domain).
     */
    static String asciiHost(String host) {
        if (host.chars().allMatch(c -> c < 0x80)) {
            return host;
        }
        if (host.chars().anyMatch(c -> MAPPED_AWAY.indexOf(c) >= 0)) {
            return null;
        }
        String ascii;
        try {
            ascii = IDN.toASCII(host);
        } catch (IllegalArgumentException e) {
            return null;
        }
        // {platform} and friends are placeholders of Destination, filled later: braces stay.
        return ascii.chars().allMatch(c -> c > 0x20 && c < 0x7F && NOT_IN_A_HOST.indexOf(c) < 0) ? ascii : null;
    }

    /** Where the host of {@code scheme://[userinfo@]host[:port]…} begins, or -1 if the URL has no authority. */
    private static int hostStart(String url) {
        int slashes = url.indexOf("://");
        if (slashes <= 0 || authorityEnd(url, 0) != slashes + 1) { // "://" of the scheme, not of a path or query
            return -1;
        }
        int authority = slashes + 3;
        int at = url.lastIndexOf('@', authorityEnd(url, authority) - 1);
        return at >= authority ? at + 1 : authority;
    }

    /** Where the host that begins at {@code start} ends: at the port's colon or the authority's end. */
    private static int hostEnd(String url, int start) {
        int end = authorityEnd(url, start);
        int colon = url.lastIndexOf(':', end - 1);
        return colon >= start && url.charAt(start) != '[' ? colon : end;
    }

    private static int authorityEnd(String url, int from) {
        int end = from;
        while (end < url.length() && "/?#".indexOf(url.charAt(end)) < 0) {
            end++;
        }
        return end;
    }
}
