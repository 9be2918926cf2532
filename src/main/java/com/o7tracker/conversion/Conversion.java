package com.o7tracker.conversion;

import com.o7tracker.campaign.Platform;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * A conversion a partner reports: the click it belongs to, as its signed click id tells it
 * (campaign, platform counted, bot or not, country, the minute the click was served), and what it
 * turned into.
 *
 * @param event    1-32 of {@code a-z 0-9 _}, lower case
 * @param revenue  null when none was reported; then {@code currency} is null too
 * @param currency ISO 4217, three upper-case letters
 */
public record Conversion(String clickId, long campaignId, Platform platform, boolean bot, String country,
                         Instant clickedAt, String event, BigDecimal revenue, String currency) {

    public Conversion {
        if ((revenue == null) != (currency == null)) {
            throw new IllegalArgumentException("revenue and currency go together");
        }
    }
}
