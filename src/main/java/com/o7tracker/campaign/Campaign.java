package com.o7tracker.campaign;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.time.Instant;
import java.util.List;

/** A campaign as stored and as the admin API shows it (the original service's JSON shape). */
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
        long windowsphoneClickCount) {
}
