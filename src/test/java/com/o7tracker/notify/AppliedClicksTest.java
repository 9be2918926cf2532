package com.o7tracker.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.o7tracker.counting.ClickCounts;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AppliedClicksTest {

    private static final String JOURNAL = "0c6f3a4e-9d2b-4f7a-8a51-2f0a7e3b9c11";

    @Test
    void aFlushOfManyCampaignsIsToldInPayloadsPostgreSqlAcceptsAndReadsBackWholeEachWithItsPosition() {
        ClickCounts counts = new ClickCounts();
        for (long id = 1; id <= 3_000; id++) {
            counts.add(id * 1_000_003L, (int) (id % 4), 29_000_000, id);
            counts.add(id * 1_000_003L, 0x80 | (int) (id % 4), 29_000_001, 1);
        }
        List<String> payloads = AppliedClicks.encode(JOURNAL, 9_876_543_210L, counts);
        assertThat(payloads).hasSizeGreaterThan(1).allSatisfy(p -> assertThat(p.length()).isLessThanOrEqualTo(AppliedClicks.MAX_PAYLOAD));
        Map<Long, long[]> read = new HashMap<>();
        payloads.forEach(p -> {
            AppliedClicks.Heard heard = AppliedClicks.parse(p);
            assertThat(heard.position()).hasValue(new AppliedClicks.Position(JOURNAL, 9_876_543_210L));
            read.putAll(heard.campaigns());
        });
        assertThat(read).hasSize(3_000);
        counts.campaigns().forEach((id, counters) -> assertThat(read.get(id)).containsExactly(counters));
    }

    @Test
    void entriesThatDoNotReadAreLeftOut() {
        assertThat(AppliedClicks.parse("7:1,2,3,4,5 x:1,2,3,4,5 8:1,2 9 :1,2,3,4,5 10:1,2,3,4,z").campaigns())
                .containsOnlyKeys(7L);
        assertThat(AppliedClicks.parse("").campaigns()).isEmpty();
        assertThat(AppliedClicks.parse("@:5 @a b:5 @j:-1 @j:x 7:1,2,3,4,5").position()).isEmpty();
    }

    @Test
    void aPayloadOfAnEarlierVersionHasNoPositionAndAnEarlierVersionReadsTheNewOnesCampaignsAlone() {
        AppliedClicks.Heard old = AppliedClicks.parse("7:1,0,0,0,2 8:0,1,0,0,0");
        assertThat(old.position()).isEmpty();
        assertThat(old.campaigns()).containsOnlyKeys(7L, 8L);

        ClickCounts counts = new ClickCounts();
        counts.add(7, 0, 29_000_000, 3);
        String payload = AppliedClicks.encode(JOURNAL, 42, counts).get(0);
        assertThat(earlierVersionsParse(payload)).containsOnlyKeys(7L);
        assertThat(earlierVersionsParse(payload).get(7L)).containsExactly(3, 0, 0, 0, 0);
    }

    @Test
    void aJournalIdThatCannotBeToldIsLeftOutNotTheClicks() {
        ClickCounts counts = new ClickCounts();
        counts.add(7, 0, 29_000_000, 3);
        List<String> payloads = AppliedClicks.encode("a journal:with spaces", 42, counts);
        assertThat(payloads).containsExactly("7:3,0,0,0,0");
        assertThat(AppliedClicks.encode(JOURNAL, 42, new ClickCounts())).as("nothing applied, nothing told").isEmpty();
    }

    /** The parser of the versions before the position, as they shipped: a rolling deploy runs both. */
    private static Map<Long, long[]> earlierVersionsParse(String payload) {
        Map<Long, long[]> read = new HashMap<>();
        for (String entry : payload.split(" ")) {
            int colon = entry.indexOf(':');
            String[] values = entry.substring(colon + 1).split(",");
            if (colon < 1 || values.length != ClickCounts.COUNTERS) {
                continue;
            }
            try {
                long[] counters = new long[ClickCounts.COUNTERS];
                for (int c = 0; c < counters.length; c++) {
                    counters[c] = Long.parseLong(values[c]);
                }
                read.put(Long.parseLong(entry.substring(0, colon)), counters);
            } catch (NumberFormatException e) {
                // left out
            }
        }
        return read;
    }
}
