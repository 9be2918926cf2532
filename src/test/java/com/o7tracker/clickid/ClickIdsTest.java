package com.o7tracker.clickid;

import static org.assertj.core.api.Assertions.assertThat;

import com.o7tracker.campaign.Destination;
import com.o7tracker.campaign.Platform;
import java.time.Instant;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Signed click ids without a database: a key store of fixed keys, as PostgreSQL would give them. */
class ClickIdsTest {

    static final long MAX_CAMPAIGN = (1L << 53) - 1;
    private static final Instant NOW = Instant.parse("2026-12-08T01:30:00Z");

    static ClickIdKeys keys(int... ids) {
        List<ClickIdKeys.Row> rows = new java.util.ArrayList<>();
        for (int i = 0; i < ids.length; i++) {
            byte[] secret = secretOf(ids[i]);
            // the last one signs; the others are retired a moment ago
            rows.add(new ClickIdKeys.Row(ids[i], secret, NOW.minusSeconds(3600),
                    i == ids.length - 1 ? null : NOW.minusSeconds(60)));
        }
        return ClickIdKeys.fixed(rows);
    }

    @Test
    void everyFieldComesBackFromTheId() {
        ClickIds ids = new ClickIds(keys(1, 7));
        for (Platform platform : Platform.values()) {
            for (boolean bot : new boolean[] {false, true}) {
                String id = ids.next(4503599627370496L, platform, bot, "DE");
                ClickIds.Verification v = ids.verify(id);
                assertThat(v.outcome()).as(id).isEqualTo(ClickIds.Outcome.SIGNED);
                ClickId click = v.click();
                assertThat(click.campaignId()).isEqualTo(4503599627370496L);
                assertThat(click.platform()).isEqualTo(platform);
                assertThat(click.bot()).isEqualTo(bot);
                assertThat(click.country()).isEqualTo("DE");
                assertThat(click.keyId()).as("the current key signs").isEqualTo(7);
                assertThat(click.minute()).isBetween(Instant.now().minusSeconds(120), Instant.now().plusSeconds(60));
                assertThat(click.minute().getEpochSecond() % 60).isZero();
                assertThat(click.unique()).matches("[0-9a-f]{24}");
            }
        }
        ClickId exact = new ClickId(7, 1, Platform.WINDOWS_PHONE, true, "ZZ", Instant.parse("2026-12-08T01:29:00Z"),
                "0123456789abcdef01234567");
        assertThat(ids.verify(ids.sign(exact)).click()).isEqualTo(exact);
    }

    @Test
    void theUniqueNumberDiffersPerClickAndPerProcess() {
        Set<String> seen = new HashSet<>();
        for (int process = 0; process < 20; process++) {
            ClickIds ids = new ClickIds(keys(1)); // a start of the service: a fresh random start, counting from it
            for (int i = 0; i < 2_000; i++) {
                String id = ids.next(1, Platform.ANDROID, false, "ZZ");
                assertThat(seen.add(ids.verify(id).click().unique())).as(id).isTrue();
            }
        }
    }

    @Test
    void idsAreUrlSafeAndAtMost64CharactersForExtremeValues() {
        ClickIds ids = new ClickIds(keys(65535));
        for (long campaign : new long[] {1, MAX_CAMPAIGN}) {
            for (String country : new String[] {"AA", "ZZ", "zz", "", "OTHER", null}) {
                String id = ids.next(campaign, Platform.OTHER, true, country);
                assertThat(id).matches("[A-Za-z0-9_-]{28,64}");
                assertThat(id.length()).isLessThanOrEqualTo(Destination.MAX_CLICK_ID);
                ClickId click = ids.verify(id).click();
                assertThat(click.campaignId()).isEqualTo(campaign);
                assertThat(click.keyId()).isEqualTo(65535);
                assertThat(click.country()).as("a country that is no two letters is unknown")
                        .isEqualTo(country != null && country.matches("[A-Z]{2}") ? country : "ZZ");
            }
        }
        ClickId extreme = new ClickId(65535, MAX_CAMPAIGN, Platform.OTHER, true, "ZZ",
                Instant.ofEpochSecond(0xFFFF_FFFFL * 60), "ffffffffffffffffffffffff");
        String id = ids.sign(extreme);
        assertThat(id).matches("[A-Za-z0-9_-]{28,64}");
        assertThat(ids.verify(id).click()).isEqualTo(extreme);
    }

    @Test
    void anIdOfBeforeSignedIdsIsToldApart() {
        // the form of the ids handed out before: 16 characters of 96 random bits, then a counter in base 64
        for (String old : new String[] {"AAAAAAAAAAAAAAAAA", "q8Wz-_09AbCdEfGhijklmnopqrs", "q8Wz-_09AbCdEfGhB"}) {
            assertThat(new ClickIds(keys(1)).verify(old).outcome()).as(old).isEqualTo(ClickIds.Outcome.BEFORE_SIGNED_IDS);
        }
    }

    @Test
    void aForgedTruncatedExtendedOrReSignedIdIsRefused() {
        ClickIds ids = new ClickIds(keys(1, 2));
        String id = ids.next(123456789, Platform.IPHONE, false, "SI");
        byte[] raw = Base64.getUrlDecoder().decode(id);
        for (int bit = 0; bit < raw.length * 8; bit++) {
            byte[] flipped = raw.clone();
            flipped[bit / 8] ^= (byte) (1 << (bit % 8));
            String forged = Base64.getUrlEncoder().withoutPadding().encodeToString(flipped);
            assertRefused(ids, forged, "bit " + bit + " flipped");
        }
        for (int c = 0; c < id.length(); c++) {
            for (char other : new char[] {'A', 'z', '-', '_', '0'}) {
                if (id.charAt(c) != other) {
                    assertRefused(ids, id.substring(0, c) + other + id.substring(c + 1), "character " + c + " replaced");
                }
            }
        }
        for (int length = 28; length < id.length(); length++) {
            assertRefused(ids, id.substring(0, length), "truncated to " + length);
        }
        assertRefused(ids, id + "A", "extended");
        assertRefused(ids, id + "AAAA", "extended by a group");
        assertRefused(ids, id + "AAAAAAAA", "extended to 64");
        assertRefused(ids, id.substring(0, id.length() - 1) + "=", "padded");
        assertRefused(ids, id.replace(id.charAt(10), '+'), "not URL-safe");
        assertRefused(ids, id.substring(0, 20) + "/" + id.substring(21), "not URL-safe");
        assertRefused(ids, id.substring(0, 20) + "é" + id.substring(21), "not ASCII");
        assertRefused(ids, "", "empty");
        assertRefused(ids, null, "absent");
        assertRefused(ids, "x".repeat(1000), "long");

        // the same click signed under a key of the same id this instance does not have
        ClickIds elsewhere = new ClickIds(ClickIdKeys.fixed(List.of(new ClickIdKeys.Row(2, new byte[32], NOW, null))));
        ClickId click = ids.verify(id).click();
        assertRefused(ids, elsewhere.sign(click), "re-signed with another key");
        // a key id nobody knows
        ClickIds unknownKey = new ClickIds(keys(9));
        assertRefused(ids, unknownKey.next(123456789, Platform.IPHONE, false, "SI"), "signed with an unknown key");
        // another version, signed correctly
        byte[] v2 = Base64.getUrlDecoder().decode(ids.sign(click));
        v2[0] = 2;
        assertRefused(ids, resign(v2, secretOf(2)), "version 2");
        assertThat(ids.verify(resign(Base64.getUrlDecoder().decode(id), secretOf(2))))
                .as("signed alike, the id itself is valid").isEqualTo(ids.verify(id));
        byte[] spare = Base64.getUrlDecoder().decode(id);
        spare[10] |= 0x0C;
        assertRefused(ids, resign(spare, secretOf(2)), "spare bits set, signed");
        byte[] country = Base64.getUrlDecoder().decode(id);
        country[10] |= 0x03;
        country[11] = (byte) 0xFF;
        assertRefused(ids, resign(country, secretOf(2)), "no country, signed");
        byte[] campaign = Base64.getUrlDecoder().decode(id);
        campaign[3] = (byte) 0xFF;
        assertRefused(ids, resign(campaign, secretOf(2)), "a campaign id past 2^53, signed");
    }

    @Test
    void aRetiredKeyVerifiesUntilTheLongestWindowHasPassed() {
        byte[] secret = new byte[32];
        ClickIdKeys keys = ClickIdKeys.fixed(List.of(
                new ClickIdKeys.Row(1, secret, NOW.minus(ClickIdKeys.KEEP_RETIRED).minusSeconds(7200),
                        Instant.now().minus(ClickIdKeys.KEEP_RETIRED).plusSeconds(3600)),
                new ClickIdKeys.Row(2, secret.clone(), NOW.minus(ClickIdKeys.KEEP_RETIRED).minusSeconds(7200),
                        Instant.now().minus(ClickIdKeys.KEEP_RETIRED).minusSeconds(1)),
                new ClickIdKeys.Row(3, secret.clone(), NOW, null)));
        ClickIds ids = new ClickIds(keys);
        ClickIds signer = new ClickIds(ClickIdKeys.fixed(List.of(new ClickIdKeys.Row(2, secret.clone(), NOW, null))));
        ClickId click = new ClickId(1, 5, Platform.ANDROID, false, "FR", Instant.parse("2026-01-01T00:00:00Z"),
                "000000000000000000000001");
        assertThat(ids.verify(ids.sign(click)).outcome()).isEqualTo(ClickIds.Outcome.SIGNED);
        ClickId expired = new ClickId(2, 5, Platform.ANDROID, false, "FR", Instant.parse("2026-01-01T00:00:00Z"),
                "000000000000000000000001");
        assertRefused(ids, signer.sign(expired), "a key retired longer ago than the longest window");
    }

    static byte[] secretOf(int id) {
        byte[] secret = new byte[32];
        secret[0] = (byte) id;
        secret[31] = (byte) (id >> 8);
        return secret;
    }

    /** {@code raw}'s fields with the tag {@code secret} gives them: a correctly signed id of whatever the fields say. */
    static String resign(byte[] raw, byte[] secret) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(secret, "HmacSHA256"));
            mac.update(raw, 0, ClickIds.SIGNED_BYTES);
            System.arraycopy(mac.doFinal(), 0, raw, ClickIds.SIGNED_BYTES, raw.length - ClickIds.SIGNED_BYTES);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void assertRefused(ClickIds ids, String id, String why) {
        ClickIds.Verification v = ids.verify(id);
        assertThat(v.outcome()).as(why + ": " + id).isEqualTo(ClickIds.Outcome.INVALID);
        assertThat(v.click()).isNull();
        assertThat(v.reason()).as(why).isNotBlank();
    }
}
