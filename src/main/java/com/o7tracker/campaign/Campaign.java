package com.o7tracker.campaign;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A campaign as stored and as the admin API shows it: the original service's JSON shape, then the
 * fields added since (Other and bot counters, platform URLs, query forwarding, name and tags).
 *
 * @param name null when the campaign has none
 * @param tags empty when it has none
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
        List<String> tags) {

    public Campaign {
        platformUrls = platformUrls == null ? Map.of() : platformUrls; // JSON of the original's shape has none
        tags = tags == null ? List.of() : List.copyOf(tags);
    }
}
