package com.o7tracker.support;

import com.code_intelligence.jazzer.api.BugDetectors;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Helpers for the fuzzers (the *FuzzTest classes). Their inputs are plain bytes in a format a
 * person can write as a seed: a first byte that chooses what to send, then fields separated by
 * newlines, which no request line or header can hold anyway.
 */
public final class FuzzInput {

    private static final String HEX = "0123456789ABCDEF";

    private FuzzInput() {
    }

    /**
     * Jazzer flags every network connection as a finding (server-side request forgery) unless the
     * fuzz test allows it, at its start: the fuzzers and the service talk on loopback only.
     */
    public static void allowLoopbackConnections() {
        BugDetectors.allowNetworkConnections((host, port) -> isLoopback(host));
    }

    private static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** The fields of {@code data} after its first byte, split at newlines; missing fields are empty. */
    public static byte[][] fields(byte[] data, int count) {
        byte[][] fields = new byte[count][];
        int at = Math.min(1, data.length);
        for (int i = 0; i < count; i++) {
            int end = i == count - 1 ? data.length : indexOf(data, (byte) '\n', at);
            fields[i] = Arrays.copyOfRange(data, at, end);
            at = Math.min(data.length, end + 1);
        }
        return fields;
    }

    /** The first byte, as a choice among {@code choices}. */
    public static int choice(byte[] data, int choices) {
        return data.length == 0 ? 0 : (data[0] & 0xFF) % choices;
    }

    private static int indexOf(byte[] data, byte b, int from) {
        for (int i = from; i < data.length; i++) {
            if (data[i] == b) {
                return i;
            }
        }
        return data.length;
    }

    /**
     * Bytes as the query of a URI a client can send: every byte RFC 3986 allows in a query is kept,
     * a valid %XX escape is kept, every other byte is percent-encoded. So the service sees any
     * structure the fuzzer makes (parameters, escapes of any byte) and no request that no client
     * could send.
     */
    public static String query(byte[] bytes) {
        return encode(bytes, "-._~!$&'()*+,;=:@/?");
    }

    /** Bytes as one path segment: as {@link #query}, with '/' and '?' encoded too. */
    public static String pathSegment(byte[] bytes) {
        return encode(bytes, "-._~!$&'()*+,;=:@");
    }

    /** Bytes as a path (segments and all): as {@link #query}, with '?' encoded. */
    public static String path(byte[] bytes) {
        return encode(bytes, "-._~!$&'()*+,;=:@/");
    }

    private static String encode(byte[] bytes, String allowed) {
        StringBuilder out = new StringBuilder(bytes.length * 3);
        for (int i = 0; i < bytes.length; i++) {
            int b = bytes[i] & 0xFF;
            boolean alphanumeric = (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9');
            boolean escape = b == '%' && i + 2 < bytes.length && isHex(bytes[i + 1]) && isHex(bytes[i + 2]);
            if (alphanumeric || escape || (b < 0x80 && allowed.indexOf(b) >= 0)) {
                out.append((char) b);
            } else {
                out.append('%').append(HEX.charAt(b >> 4)).append(HEX.charAt(b & 0xF));
            }
        }
        return out.toString();
    }

    private static boolean isHex(byte b) {
        return (b >= '0' && b <= '9') || (b >= 'a' && b <= 'f') || (b >= 'A' && b <= 'F');
    }

    public static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
