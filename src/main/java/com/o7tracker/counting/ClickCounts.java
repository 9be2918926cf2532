package com.o7tracker.counting;

import com.o7tracker.campaign.Platform;
import java.util.HashMap;
import java.util.Map;

/**
 * Clicks folded into what one flush adds: per campaign and minute, the clicks of each platform,
 * human and bot apart (indexed by {@link ClickKind#slot}); and, summed from those when first asked
 * for, per campaign, its counters (indexed by {@link ClickKind#counter}). Both are written in one
 * transaction, so the minute buckets always sum to the counters. Not thread-safe: one thread at a
 * time (the journal writer under the deltas' lock, then the flusher).
 */
public final class ClickCounts {

    /** A campaign's minute: its id and the minute since the epoch (UTC) the clicks were served in. */
    public record Minute(long campaignId, long minute) {
    }

    public static final int SLOTS = 2 * Platform.values().length;
    /** The length of each campaign's counters in {@link #campaigns()}. */
    public static final int COUNTERS = ClickKind.COUNTERS;

    private final Map<Minute, long[]> minutes = new HashMap<>();
    /** The per-campaign counters, summed from the minutes; null until asked for after a change. */
    private Map<Long, long[]> campaigns;
    private long clicks;

    /**
     * Adds {@code n} clicks of {@code kind} (a journal record's kind byte: a platform code, with
     * 0x80 for a bot) on the campaign, served in {@code minute} (since the epoch).
     */
    public void add(long campaignId, int kind, long minute, long n) {
        minutes.computeIfAbsent(new Minute(campaignId, minute), m -> new long[SLOTS])[ClickKind.slot(kind)] += n;
        clicks += n;
        campaigns = null;
    }

    void addAll(ClickCounts other) {
        other.minutes.forEach((minute, slots) -> {
            long[] mine = minutes.computeIfAbsent(minute, m -> new long[SLOTS]);
            for (int s = 0; s < SLOTS; s++) {
                mine[s] += slots[s];
            }
        });
        clicks += other.clicks;
        campaigns = null;
    }

    /** Per campaign: {android, iphone, windowsphone, other, bot}, summed from its minutes. */
    public Map<Long, long[]> campaigns() {
        if (campaigns == null) {
            int platforms = Platform.values().length;
            campaigns = new HashMap<>();
            minutes.forEach((minute, slots) -> {
                long[] counters = campaigns.computeIfAbsent(minute.campaignId(), id -> new long[ClickKind.COUNTERS]);
                for (int p = 0; p < platforms; p++) {
                    counters[p] += slots[p];
                    counters[ClickKind.BOT_COUNTER] += slots[platforms + p];
                }
            });
        }
        return campaigns;
    }

    /** Per campaign and minute: the human clicks of each platform, then the bots' of each. */
    public Map<Minute, long[]> minutes() {
        return minutes;
    }

    long clicks() {
        return clicks;
    }

    /** The (campaign, minute) rows a flush of these counts writes. */
    int rows() {
        return minutes.size();
    }

    boolean isEmpty() {
        return clicks == 0;
    }
}
