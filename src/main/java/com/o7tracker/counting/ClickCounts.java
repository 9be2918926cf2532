package com.o7tracker.counting;

import com.o7tracker.campaign.Platform;
import java.util.HashMap;
import java.util.Map;

/**
 * Clicks folded into what one flush adds: per campaign, its counters (indexed by
 * {@link ClickKind#counter}); and per campaign and minute, the clicks of each platform, human and
 * bot apart (indexed by {@link ClickKind#slot}). Both are written in one transaction, so the
 * minute buckets always sum to the counters.
 */
public final class ClickCounts {

    /** A campaign's minute: its id and the minute since the epoch (UTC) the clicks were served in. */
    public record Minute(long campaignId, long minute) {
    }

    public static final int SLOTS = 2 * Platform.values().length;

    private final Map<Long, long[]> campaigns = new HashMap<>();
    private final Map<Minute, long[]> minutes = new HashMap<>();
    private long clicks;

    /**
     * Adds {@code n} clicks of {@code kind} (a journal record's kind byte: a platform code, with
     * 0x80 for a bot) on the campaign, served in {@code minute} (since the epoch).
     */
    public void add(long campaignId, int kind, long minute, long n) {
        campaigns.computeIfAbsent(campaignId, id -> new long[ClickKind.COUNTERS])[ClickKind.counter(kind)] += n;
        minutes.computeIfAbsent(new Minute(campaignId, minute), m -> new long[SLOTS])[ClickKind.slot(kind)] += n;
        clicks += n;
    }

    void addAll(ClickCounts other) {
        other.minutes.forEach((minute, slots) -> {
            long[] mine = minutes.computeIfAbsent(minute, m -> new long[SLOTS]);
            for (int s = 0; s < SLOTS; s++) {
                mine[s] += slots[s];
            }
        });
        other.campaigns.forEach((id, counters) -> {
            long[] mine = campaigns.computeIfAbsent(id, c -> new long[ClickKind.COUNTERS]);
            for (int c = 0; c < ClickKind.COUNTERS; c++) {
                mine[c] += counters[c];
            }
        });
        clicks += other.clicks;
    }

    /** Per campaign: {android, iphone, windowsphone, other, bot}. */
    public Map<Long, long[]> campaigns() {
        return campaigns;
    }

    /** Per campaign and minute: the human clicks of each platform, then the bots' of each. */
    public Map<Minute, long[]> minutes() {
        return minutes;
    }

    long clicks() {
        return clicks;
    }

    boolean isEmpty() {
        return clicks == 0;
    }
}
