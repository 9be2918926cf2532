package com.o7tracker.web;

import jakarta.servlet.http.HttpServletRequest;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Who sent a request, by one rule for the whole server (the failed-login throttle counts by it; a
 * country lookup would read it too). The connection's address, unless the connection comes from a
 * trusted proxy range: then X-Forwarded-For is read, and the client is the entry the outermost of
 * {@code trustedProxies} appending proxies wrote. Entries further left are the client's own to
 * invent and are never used; a header from a connection outside the ranges (a client that reached
 * the port directly) is ignored, since anyone can send one.
 *
 * <p>Addresses are parsed as literals only, never resolved: a header must not make the server ask
 * DNS.
 */
public final class ClientAddress {

    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
    private static final Pattern IPV4_WITH_PORT = Pattern.compile("(\\d{1,3}(?:\\.\\d{1,3}){3}):\\d{1,5}");
    private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:][0-9a-fA-F:.]*");

    private final int trustedProxies;
    private final List<Range> trustedRanges;

    public ClientAddress(int trustedProxies, List<Range> trustedRanges) {
        this.trustedProxies = trustedProxies;
        this.trustedRanges = List.copyOf(trustedRanges);
    }

    public InetAddress of(HttpServletRequest request) {
        return of(request.getRemoteAddr(), Collections.list(request.getHeaders("X-Forwarded-For")));
    }

    /** {@code forwardedFor}: the X-Forwarded-For headers in the order received. */
    public InetAddress of(String remoteAddress, List<String> forwardedFor) {
        InetAddress remote = parse(remoteAddress)
                .orElseThrow(() -> new IllegalArgumentException("not an address: " + remoteAddress));
        if (trustedProxies == 0 || forwardedFor.isEmpty() || !isTrustedProxy(remote)) {
            return remote;
        }
        List<String> entries = new ArrayList<>();
        for (String header : forwardedFor) {
            for (String entry : header.split(",", -1)) {
                entries.add(entry.trim());
            }
        }
        if (entries.size() < trustedProxies) {
            return remote;
        }
        // A trusted proxy wrote it, so it is an address unless trustedProxies is set too high; then
        // the connection's address is the safe answer.
        return parse(entries.get(entries.size() - trustedProxies)).orElse(remote);
    }

    /** Whether a connection from {@code address} may speak for its client (X-Forwarded-For). */
    public boolean isTrustedProxy(InetAddress address) {
        return trustedRanges.stream().anyMatch(range -> range.contains(address));
    }

    /**
     * An address literal as proxies write it (IPv4, IPv6, either with a port, IPv6 in brackets), or
     * empty. IPv4-mapped IPv6 addresses read as IPv4.
     */
    public static Optional<InetAddress> parse(String text) {
        String s = text == null ? "" : text.trim();
        if (s.startsWith("[")) {
            int end = s.indexOf(']');
            if (end < 0) {
                return Optional.empty();
            }
            s = s.substring(1, end);
        }
        Matcher withPort = IPV4_WITH_PORT.matcher(s);
        if (withPort.matches()) {
            s = withPort.group(1);
        }
        Matcher v4 = IPV4.matcher(s);
        try {
            if (v4.matches()) {
                byte[] bytes = new byte[4];
                for (int i = 0; i < 4; i++) {
                    int octet = Integer.parseInt(v4.group(i + 1));
                    if (octet > 255) {
                        return Optional.empty();
                    }
                    bytes[i] = (byte) octet;
                }
                return Optional.of(InetAddress.getByAddress(bytes));
            }
            // With a colon, InetAddress parses an IPv6 literal or throws; it never looks a name up.
            if (s.indexOf(':') >= 0 && IPV6.matcher(s).matches()) {
                return Optional.of(InetAddress.getByName(s));
            }
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    /** A CIDR range ({@code 10.0.0.0/8}, {@code fc00::/7}; a bare address is a range of one). */
    public record Range(byte[] network, int prefix) {

        /** The range, or an IllegalArgumentException that names what is wrong with {@code cidr}. */
        public static Range parse(String cidr) {
            String s = cidr.trim();
            int slash = s.indexOf('/');
            InetAddress address = ClientAddress.parse(slash < 0 ? s : s.substring(0, slash))
                    .orElseThrow(() -> new IllegalArgumentException("not a CIDR range: '" + cidr + "'"));
            int bits = address.getAddress().length * 8;
            int prefix = bits;
            if (slash >= 0) {
                try {
                    prefix = Integer.parseInt(s.substring(slash + 1));
                } catch (NumberFormatException e) {
                    prefix = -1;
                }
                if (prefix < 0 || prefix > bits) {
                    throw new IllegalArgumentException("not a CIDR range: '" + cidr + "' (the prefix must be 0-" + bits + ")");
                }
            }
            return new Range(mask(address.getAddress(), prefix), prefix);
        }

        public boolean contains(InetAddress address) {
            byte[] bytes = address.getAddress();
            return bytes.length == network.length && java.util.Arrays.equals(mask(bytes, prefix), network);
        }

        /** The first {@code prefix} bits of {@code address}, the rest zero. */
        public static byte[] mask(byte[] address, int prefix) {
            byte[] masked = address.clone();
            for (int i = 0; i < masked.length; i++) {
                int keep = Math.max(0, Math.min(8, prefix - i * 8));
                masked[i] &= (byte) (0xff << (8 - keep));
            }
            return masked;
        }
    }
}
