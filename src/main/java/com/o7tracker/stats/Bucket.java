package com.o7tracker.stats;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.time.Instant;

/**
 * The clicks of one bucket, in the campaign counters' names; {@code clickCount} counts humans only.
 * {@code conversionCount}: the conversions accepted in the bucket, null (left out) where they
 * cannot be told, in a series narrowed to a dimension other than the country (not in a click id).
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record Bucket(Instant start, long clickCount, long androidClickCount, long iphoneClickCount,
                     long windowsphoneClickCount, long otherClickCount, long botClickCount,
                     @JsonInclude(JsonInclude.Include.NON_NULL) Long conversionCount) {

    /** A bucket of clicks alone. */
    public Bucket(Instant start, long clickCount, long androidClickCount, long iphoneClickCount,
                  long windowsphoneClickCount, long otherClickCount, long botClickCount) {
        this(start, clickCount, androidClickCount, iphoneClickCount, windowsphoneClickCount, otherClickCount, botClickCount,
                null);
    }

    /** This bucket with its conversions. */
    Bucket withConversions(long conversions) {
        return new Bucket(start, clickCount, androidClickCount, iphoneClickCount, windowsphoneClickCount, otherClickCount,
                botClickCount, conversions);
    }

    /** The counters in {@link com.o7tracker.campaign.Counters#NAMES} order. */
    public long[] counters() {
        return new long[] {clickCount, androidClickCount, iphoneClickCount, windowsphoneClickCount, otherClickCount,
            botClickCount};
    }
}
