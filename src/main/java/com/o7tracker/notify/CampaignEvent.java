package com.o7tracker.notify;

import com.o7tracker.campaign.CampaignChanges.Change;
import java.util.Optional;

/** The payload of {@link Channel#CAMPAIGN_EVENTS}: {@code "id created|updated|deleted"}. */
public record CampaignEvent(long campaignId, Change change) {

    public String encode() {
        return campaignId + " " + change.wireName();
    }

    /** The event, or empty for a payload that does not read as one. */
    public static Optional<CampaignEvent> parse(String payload) {
        String[] parts = payload.split(" ");
        if (parts.length != 2) {
            return Optional.empty();
        }
        Optional<Change> change = Change.ofWireName(parts[1]);
        if (change.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new CampaignEvent(Long.parseLong(parts[0]), change.get()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
