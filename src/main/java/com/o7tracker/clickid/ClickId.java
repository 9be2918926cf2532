package com.o7tracker.clickid;

import com.o7tracker.campaign.Platform;
import java.time.Instant;

/**
 * What a signed click id says of its click: the key that signed it, the campaign, the platform
 * counted, whether it was a bot's, the country ({@code ZZ} when unknown), the minute it was served
 * and a number no other click has (24 hex digits, 96 bits).
 */
public record ClickId(int keyId, long campaignId, Platform platform, boolean bot, String country, Instant minute,
                      String unique) {
}
