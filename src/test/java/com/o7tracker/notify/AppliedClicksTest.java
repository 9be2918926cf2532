package com.o7tracker.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.o7tracker.counting.ClickCounts;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AppliedClicksTest {

    @Test
    void aFlushOfManyCampaignsIsToldInPayloadsPostgreSqlAcceptsAndReadsBackWhole() {
        ClickCounts counts = new ClickCounts();
        for (long id = 1; id <= 3_000; id++) {
            counts.add(id * 1_000_003L, (int) (id % 4), 29_000_000, id);
            counts.add(id * 1_000_003L, 0x80 | (int) (id % 4), 29_000_001, 1);
        }
        List<String> payloads = AppliedClicks.encode(counts);
        assertThat(payloads).hasSizeGreaterThan(1).allSatisfy(p -> assertThat(p.length()).isLessThanOrEqualTo(AppliedClicks.MAX_PAYLOAD));
        Map<Long, long[]> read = new HashMap<>();
        payloads.forEach(p -> read.putAll(AppliedClicks.parse(p)));
        assertThat(read).hasSize(3_000);
        counts.campaigns().forEach((id, counters) -> assertThat(read.get(id)).containsExactly(counters));
    }

    @Test
    void entriesThatDoNotReadAreLeftOut() {
        assertThat(AppliedClicks.parse("7:1,2,3,4,5 x:1,2,3,4,5 8:1,2 9 :1,2,3,4,5 10:1,2,3,4,z"))
                .containsOnlyKeys(7L);
        assertThat(AppliedClicks.parse("")).isEmpty();
    }
}
