package com.o7tracker.campaign;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A campaign as stored and as the admin API shows it: the original service's JSON shape, then the
 * fields added since (Other and bot counters, platform URLs, query forwarding, name and tags, the
 * conversion window and the conversions counted).
 *
 * @param name                 null when the campaign has none
 * @param tags                 empty when it has none
 * @param conversionWindowDays a conversion later than this after its click's minute is not counted
 * @param conversionCount      the conversions counted, of every event
 * @param conversions          the conversions counted per event
 * @param revenue              the revenue of the conversions counted per currency, as exact decimals
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record Campaign(
        long id,
        String redirectUrl,
        Instant createdAt,
        Instant updatedAt,
        List<Platform> platforms,
        long clickCount,
        long androidClickCount,
        long iphoneClickCount,
        long windowsphoneClickCount,
        long otherClickCount,
        long botClickCount,
        Map<String, String> platformUrls,
        boolean forwardQuery,
        String name,
        List<String> tags,
        int conversionWindowDays,
        long conversionCount,
        Map<String, Long> conversions,
        Map<String, String> revenue) {

    /** A new campaign's conversion window, in days. */
    public static final int DEFAULT_CONVERSION_WINDOW_DAYS = 30;

    public Campaign {
        platformUrls = platformUrls == null ? Map.of() : platformUrls; // JSON of the original's shape has none
        tags = tags == null ? List.of() : List.copyOf(tags);
        // JSON of earlier versions has no window (0, which is never one)
        conversionWindowDays = conversionWindowDays == 0 ? DEFAULT_CONVERSION_WINDOW_DAYS : conversionWindowDays;
        conversions = conversions == null ? Map.of() : conversions;
        revenue = revenue == null ? Map.of() : revenue;
    }

    /** A campaign without conversions, its window the default. */
    public Campaign(long id, String redirectUrl, Instant createdAt, Instant updatedAt, List<Platform> platforms,
                    long clickCount, long androidClickCount, long iphoneClickCount, long windowsphoneClickCount,
                    long otherClickCount, long botClickCount, Map<String, String> platformUrls, boolean forwardQuery,
                    String name, List<String> tags) {
        this(id, redirectUrl, createdAt, updatedAt, platforms, clickCount, androidClickCount, iphoneClickCount,
                windowsphoneClickCount, otherClickCount, botClickCount, platformUrls, forwardQuery, name, tags,
                DEFAULT_CONVERSION_WINDOW_DAYS, 0, Map.of(), Map.of());
    }
}
