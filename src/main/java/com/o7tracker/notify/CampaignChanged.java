package com.o7tracker.notify;

import java.util.OptionalLong;

/**
 * The payload of {@link Channel#CAMPAIGN_CHANGED}: the campaign's id in decimal. PostgreSQL's
 * trigger (migration V007) writes it, as the application of earlier versions did; only read here.
 */
public final class CampaignChanged {

    private CampaignChanged() {
    }

    /** The campaign's id, or empty for a payload that is no id. */
    public static OptionalLong parse(String payload) {
        try {
            return OptionalLong.of(Long.parseLong(payload));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }
}
