package com.o7tracker.counting;

import com.o7tracker.campaign.Platform;
import com.o7tracker.dimension.Visit;
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
        return record(journal, campaignId, platform, bot, Visit.UNKNOWN);
    }

    static ClickOutcome record(ClickJournal journal, long campaignId, Platform platform, boolean bot, Visit visit) {
        CompletableFuture<ClickOutcome> answer = new CompletableFuture<>();
        journal.record(campaignId, ClickKind.of(platform, bot), visit, answer::complete);
        try {
            return answer.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("the journal did not answer the click", e);
        }
    }
}
