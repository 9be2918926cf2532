package com.o7tracker.clickid;

import com.o7tracker.campaign.Platform;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.Mac;
import javax.crypto.ShortBufferException;

/**
 * The {@code {click_id}} of a tracking link's target: a token that proves which click it was
 * handed to, signed with no I/O (the key is in memory, {@link ClickIdKeys}), and its verifier for
 * the conversions partners report back. 42 bytes, 56 characters of URL-safe base64 ({@code A-Z a-z
 * 0-9 - _}, no padding: 42 bytes are 14 whole groups, so no character has bits that decode to
 * nothing, and each id has exactly one spelling):
 *
 * <pre>
 *  0      version, 1
 *  1-2    the signing key's id
 *  3-9    campaign id (below 2^53)
 *  10-11  platform code (3 bits), bot (1 bit), 2 bits 0, country (10 bits: 26 * first + second letter; ZZ unknown)
 *  12-15  the minute served, since the epoch
 *  16-27  a number unique per click: 96 random bits drawn at the process's start, plus the click's count
 *  28-41  the first 112 bits of HMAC-SHA256 over bytes 0-27
 * </pre>
 *
 * A later version (issue 21: the A/B variant and the rule that took the click) has another
 * version byte and may be longer, up to 48 bytes (64 characters). Each thread keeps its own
 * {@link Mac}, initialised again only when the key changes: no lock per click.
 */
public final class ClickIds {

    static final int VERSION = 1;
    /** The bytes the tag covers. */
    static final int SIGNED_BYTES = 28;
    static final int TAG_BYTES = 14;
    static final int BYTES = SIGNED_BYTES + TAG_BYTES;
    static final int LENGTH = BYTES / 3 * 4;
    /** The ids handed out before signed ids: 16 characters of 96 random bits, then a count in base 64 (1 to 11 characters). */
    private static final int OLD_SHORTEST = 17;
    private static final int OLD_LONGEST = 27;
    private static final long MAX_CAMPAIGN = (1L << 53) - 1;
    private static final int UNKNOWN_COUNTRY = 25 * 26 + 25;
    private static final byte[] DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
            .getBytes(StandardCharsets.US_ASCII);
    private static final byte[] VALUES = new byte[128];
    private static final SecureRandom RANDOM = new SecureRandom();

    static {
        Arrays.fill(VALUES, (byte) -1);
        for (int i = 0; i < DIGITS.length; i++) {
            VALUES[DIGITS[i]] = (byte) i;
        }
    }

    /** How an id verified. */
    public enum Outcome {
        /** Signed by this service, with a key it still has: {@link Verification#click} says what it was. */
        SIGNED,
        /** Of the form handed out before ids were signed: it redirected, but says nothing. */
        BEFORE_SIGNED_IDS,
        /** Malformed, forged, truncated, of an unknown version or key: {@link Verification#reason} says which. */
        INVALID
    }

    /** The answer of {@link #verify}: the click when {@code SIGNED}, the reason when {@code INVALID}. */
    public record Verification(Outcome outcome, ClickId click, String reason) {

        static Verification invalid(String reason) {
            return new Verification(Outcome.INVALID, null, reason);
        }
    }

    private final ClickIdKeys keys;
    private final long startHigh;
    private final long startLow;
    private final AtomicLong count = new AtomicLong();
    private final ThreadLocal<Signer> signers = ThreadLocal.withInitial(Signer::new);

    public ClickIds(ClickIdKeys keys) {
        this.keys = keys;
        this.startHigh = RANDOM.nextInt() & 0xFFFF_FFFFL;
        this.startLow = RANDOM.nextLong();
    }

    /** The id of a click served now; {@code country} other than two letters A-Z is unknown ({@code ZZ}). */
    public String next(long campaignId, Platform platform, boolean bot, String country) {
        long n = count.getAndIncrement();
        long low = startLow + n;
        long high = (startHigh + (Long.compareUnsigned(low, startLow) < 0 ? 1 : 0)) & 0xFFFF_FFFFL;
        return signers.get().sign(keys.signing(), campaignId, platform, bot, countryCode(country),
                System.currentTimeMillis() / 60_000, high, low);
    }

    /** The id of {@code click}, signed with its key (which this instance must have). */
    String sign(ClickId click) {
        ClickIdKeys.Key key = keys.find(click.keyId())
                .orElseThrow(() -> new IllegalArgumentException("no key " + click.keyId()));
        byte[] unique = HexFormat.of().parseHex(click.unique());
        return signers.get().sign(key, click.campaignId(), click.platform(), click.bot(), countryCode(click.country()),
                click.minute().getEpochSecond() / 60, read(unique, 0, 4), read(unique, 4, 8));
    }

    /** What {@code id} is: a click this service signed, one of before signed ids, or nothing it made (and why). */
    public Verification verify(String id) {
        if (id == null || id.isEmpty()) {
            return Verification.invalid("no click id");
        }
        int length = id.length();
        if (length >= OLD_SHORTEST && length <= OLD_LONGEST) {
            // A signed id cut this short is told as one of before: neither is attributed.
            return urlSafe(id) ? new Verification(Outcome.BEFORE_SIGNED_IDS, null, null)
                    : Verification.invalid("not a click id: a character other than A-Z a-z 0-9 - _");
        }
        if (length > 64 || length % 4 != 0) {
            return Verification.invalid("not a click id: " + Math.min(length, 1000) + " characters");
        }
        byte[] raw = decode(id);
        if (raw == null) {
            return Verification.invalid("not a click id: a character other than A-Z a-z 0-9 - _");
        }
        if (raw[0] != VERSION) {
            return Verification.invalid("not a click id of a version this service makes");
        }
        if (raw.length != BYTES) {
            return Verification.invalid("not a click id: " + length + " characters");
        }
        int keyId = (int) read(raw, 1, 2);
        Optional<ClickIdKeys.Key> key = keys.find(keyId);
        if (key.isEmpty()) {
            return Verification.invalid("signed with a key this service does not have (or no longer keeps)");
        }
        byte[] tag = signers.get().tag(key.get(), raw);
        if (!MessageDigest.isEqual(tag, Arrays.copyOfRange(raw, SIGNED_BYTES, BYTES))) {
            return Verification.invalid("not signed by this service");
        }
        long campaignId = read(raw, 3, 7);
        int bits = (int) read(raw, 10, 2);
        int platform = bits >>> 13;
        int country = bits & 0x3FF;
        if (campaignId < 1 || campaignId > MAX_CAMPAIGN || !Platform.isCode(platform) || (bits & 0x0C00) != 0
                || country >= 26 * 26) {
            return Verification.invalid("a field out of its range");
        }
        String unique = HexFormat.of().formatHex(raw, 16, 28);
        String countryName = new String(new char[] {(char) ('A' + country / 26), (char) ('A' + country % 26)});
        ClickId click = new ClickId(keyId, campaignId, Platform.fromCode(platform), (bits & 0x1000) != 0, countryName,
                Instant.ofEpochSecond(read(raw, 12, 4) * 60), unique);
        return new Verification(Outcome.SIGNED, click, null);
    }

    private static int countryCode(String country) {
        if (country == null || country.length() != 2) {
            return UNKNOWN_COUNTRY;
        }
        char a = country.charAt(0);
        char b = country.charAt(1);
        if (a < 'A' || a > 'Z' || b < 'A' || b > 'Z') {
            return UNKNOWN_COUNTRY;
        }
        return (a - 'A') * 26 + (b - 'A');
    }

    private static boolean urlSafe(String id) {
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (c >= 128 || VALUES[c] < 0) {
                return false;
            }
        }
        return true;
    }

    /** Base64 without padding, of whole groups only; null for any other character. */
    private static byte[] decode(String id) {
        byte[] out = new byte[id.length() / 4 * 3];
        for (int i = 0, o = 0; i < id.length(); i += 4, o += 3) {
            int group = 0;
            for (int j = 0; j < 4; j++) {
                char c = id.charAt(i + j);
                int v = c < 128 ? VALUES[c] : -1;
                if (v < 0) {
                    return null;
                }
                group = group << 6 | v;
            }
            out[o] = (byte) (group >>> 16);
            out[o + 1] = (byte) (group >>> 8);
            out[o + 2] = (byte) group;
        }
        return out;
    }

    private static long read(byte[] bytes, int from, int n) {
        long v = 0;
        for (int i = from; i < from + n; i++) {
            v = v << 8 | (bytes[i] & 0xFF);
        }
        return v;
    }

    private static void write(byte[] bytes, int from, int n, long v) {
        for (int i = from + n - 1; i >= from; i--) {
            bytes[i] = (byte) v;
            v >>>= 8;
        }
    }

    /** One thread's MAC, buffers and the key its MAC holds. */
    private static final class Signer {

        private final Mac mac;
        private ClickIdKeys.Key key;
        private final byte[] raw = new byte[BYTES];
        private final byte[] digest = new byte[32];
        private final byte[] text = new byte[LENGTH];

        Signer() {
            try {
                mac = Mac.getInstance(ClickIdKeys.ALGORITHM);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(ClickIdKeys.ALGORITHM + " is part of every Java runtime", e);
            }
        }

        String sign(ClickIdKeys.Key with, long campaignId, Platform platform, boolean bot, int country, long minute,
                    long uniqueHigh, long uniqueLow) {
            if (campaignId < 1 || campaignId > MAX_CAMPAIGN) {
                throw new IllegalArgumentException("no campaign id: " + campaignId);
            }
            raw[0] = VERSION;
            write(raw, 1, 2, with.id());
            write(raw, 3, 7, campaignId);
            write(raw, 10, 2, (long) platform.code() << 13 | (bot ? 0x1000 : 0) | country);
            write(raw, 12, 4, minute);
            write(raw, 16, 4, uniqueHigh);
            write(raw, 20, 8, uniqueLow);
            mac(with, raw);
            System.arraycopy(digest, 0, raw, SIGNED_BYTES, TAG_BYTES);
            for (int i = 0, o = 0; i < BYTES; i += 3, o += 4) {
                int group = (raw[i] & 0xFF) << 16 | (raw[i + 1] & 0xFF) << 8 | (raw[i + 2] & 0xFF);
                text[o] = DIGITS[group >>> 18];
                text[o + 1] = DIGITS[group >>> 12 & 63];
                text[o + 2] = DIGITS[group >>> 6 & 63];
                text[o + 3] = DIGITS[group & 63];
            }
            return new String(text, StandardCharsets.ISO_8859_1);
        }

        byte[] tag(ClickIdKeys.Key with, byte[] id) {
            mac(with, id);
            return Arrays.copyOf(digest, TAG_BYTES);
        }

        private void mac(ClickIdKeys.Key with, byte[] over) {
            try {
                if (key != with) {
                    mac.init(with.spec());
                    key = with;
                }
                mac.update(over, 0, SIGNED_BYTES);
                mac.doFinal(digest, 0);
            } catch (InvalidKeyException | ShortBufferException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
