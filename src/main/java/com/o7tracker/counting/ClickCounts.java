package com.o7tracker.counting;

import com.o7tracker.campaign.Platform;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
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

    /** PostgreSQL's channel on which every instance tells every other the clicks each flush applied (live events). */
    public static final String APPLIED_CHANNEL = "o7t_clicks_applied";
    /** Under PostgreSQL's limit of 8000 bytes per notification payload. */
    static final int MAX_PAYLOAD = 7_900;

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

    /**
     * The campaigns' counters as notification payloads of at most {@link #MAX_PAYLOAD} characters,
     * one entry per campaign: {@code id:android,iphone,windowsphone,other,bot}, space-separated.
     */
    public List<String> notifications() {
        List<String> payloads = new ArrayList<>();
        StringBuilder payload = new StringBuilder();
        campaigns().forEach((id, c) -> {
            String entry = id + ":" + c[0] + "," + c[1] + "," + c[2] + "," + c[3] + "," + c[4];
            if (payload.length() + 1 + entry.length() > MAX_PAYLOAD) {
                payloads.add(payload.toString());
                payload.setLength(0);
            }
            payload.append(payload.length() == 0 ? "" : " ").append(entry);
        });
        if (payload.length() > 0) {
            payloads.add(payload.toString());
        }
        return payloads;
    }

    /** The campaigns' counters of one payload of {@link #notifications()}; entries that do not read are left out. */
    public static Map<Long, long[]> readNotification(String payload) {
        Map<Long, long[]> read = new HashMap<>();
        for (String entry : payload.split(" ")) {
            int colon = entry.indexOf(':');
            String[] values = entry.substring(colon + 1).split(",");
            if (colon < 1 || values.length != ClickKind.COUNTERS) {
                continue;
            }
            try {
                long[] counters = new long[ClickKind.COUNTERS];
                for (int c = 0; c < counters.length; c++) {
                    counters[c] = Long.parseLong(values[c]);
                }
                read.put(Long.parseLong(entry.substring(0, colon)), counters);
            } catch (NumberFormatException e) {
                // left out
            }
        }
        return read;
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
