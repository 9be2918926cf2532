package com.o7tracker.clickid;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.o7tracker.campaign.Platform;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Fuzzes the verifier with made-up strings, ids this service signed with characters changed,
 * added or cut, and ids signed elsewhere under keys of the same ids: it never throws, and accepts
 * only an id it signed, telling exactly the click it signed.
 */
class ClickIdVerifyFuzzTest {

    private static final Instant NOW = Instant.now();
    private static final ClickIds IDS = new ClickIds(ClickIdKeys.fixed(List.of(
            new ClickIdKeys.Row(1, ClickIdsTest.secretOf(1), NOW.minusSeconds(7200), NOW.minusSeconds(60)),
            new ClickIdKeys.Row(2, ClickIdsTest.secretOf(2), NOW.minusSeconds(60), null))));
    /** Another service's keys, of the same ids. */
    private static final ClickIds ELSEWHERE = new ClickIds(ClickIdKeys.fixed(List.of(
            new ClickIdKeys.Row(1, ClickIdsTest.secretOf(101), NOW.minusSeconds(7200), NOW.minusSeconds(60)),
            new ClickIdKeys.Row(2, ClickIdsTest.secretOf(102), NOW.minusSeconds(60), null),
            new ClickIdKeys.Row(3, ClickIdsTest.secretOf(103), NOW.minusSeconds(60), null))));
    private static final Set<String> SIGNED = ConcurrentHashMap.newKeySet();
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    @FuzzTest(maxDuration = "10s")
    void verifyNeverThrowsAndAcceptsOnlyWhatItSigned(FuzzedDataProvider data) {
        int how = data.consumeInt(0, 3);
        String id;
        if (how == 0) {
            id = data.consumeRemainingAsString();
        } else {
            ClickId click = new ClickId(data.consumeBoolean() ? 1 : 2, data.consumeLong(1, ClickIdsTest.MAX_CAMPAIGN),
                    Platform.fromCode(data.consumeInt(0, Platform.values().length - 1)), data.consumeBoolean(),
                    data.consumeString(2), Instant.ofEpochSecond(data.consumeLong(0, 0xFFFF_FFFFL) * 60),
                    (HexFormat.of().formatHex(data.consumeBytes(12)) + "0".repeat(24)).substring(0, 24));
            if (how == 3) {
                id = ELSEWHERE.sign(click);
            } else {
                id = IDS.sign(click);
                if (SIGNED.size() > 1_000_000) {
                    SIGNED.clear();
                }
                SIGNED.add(id);
            }
            StringBuilder changed = new StringBuilder(id);
            int changes = data.consumeInt(0, 4);
            for (int c = 0; c < changes && changed.length() > 0; c++) {
                int at = data.consumeInt(0, changed.length() - 1);
                switch (data.consumeInt(0, 2)) {
                    case 0 -> changed.setCharAt(at, ALPHABET.charAt(data.consumeInt(0, ALPHABET.length() - 1)));
                    case 1 -> changed.setLength(at);
                    default -> changed.insert(at, data.consumeString(4));
                }
            }
            if (how == 2) {
                changed.append(data.consumeRemainingAsString());
            }
            id = changed.toString();
        }

        ClickIds.Verification v = IDS.verify(id);
        switch (v.outcome()) {
            case SIGNED -> {
                assertThat(SIGNED).as("accepted an id it did not sign: %s", id).contains(id);
                assertThat(IDS.sign(v.click())).as("the click it tells is the one signed").isEqualTo(id);
            }
            case BEFORE_SIGNED_IDS -> assertThat(id).matches("[A-Za-z0-9_-]{17,27}");
            case INVALID -> {
                assertThat(v.click()).isNull();
                assertThat(v.reason()).isNotBlank();
            }
        }
    }
}
