package com.o7tracker.counting;

import com.o7tracker.campaign.Platform;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Test helper: records a click and waits for the journal's answer, as a visitor would. */
final class Clicks {

    private Clicks() {
    }

    static ClickOutcome record(ClickJournal journal, long campaignId, Platform platform) {
        return record(journal, campaignId, platform, false);
    }

    static ClickOutcome record(ClickJournal journal, long campaignId, Platform platform, boolean bot) {
        CompletableFuture<ClickOutcome> answer = new CompletableFuture<>();
        journal.record(campaignId, ClickKind.of(platform, bot), answer::complete);
        try {
            return answer.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("the journal did not answer the click", e);
        }
    }
}
