package com.o7tracker.stats;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.time.Instant;

/** The clicks of one bucket, in the campaign counters' names; {@code clickCount} counts humans only. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record Bucket(Instant start, long clickCount, long androidClickCount, long iphoneClickCount,
                     long windowsphoneClickCount, long otherClickCount, long botClickCount) {

    /** The counters in {@link com.o7tracker.campaign.Counters#NAMES} order. */
    public long[] counters() {
        return new long[] {clickCount, androidClickCount, iphoneClickCount, windowsphoneClickCount, otherClickCount,
            botClickCount};
    }
}
