package com.o7tracker.counting;

import com.o7tracker.campaign.Platform;
import com.o7tracker.dimension.Dimension;
import com.o7tracker.dimension.Visit;
import java.util.HashMap;
import java.util.Map;

/**
 * Clicks folded into what one flush adds: per campaign, minute and country, the clicks of each
 * platform, human and bot apart (indexed by {@link ClickKind#slot}); per campaign, hour, dimension
 * and value, the same; and, summed from those when first asked for, per campaign and minute, and
 * per campaign, its counters (indexed by {@link ClickKind#counter}). All are written in one transaction, so the minute
 * buckets, and each dimension's rows, always sum to the counters. Not thread-safe: one thread at a
 * time (the journal writer under the deltas' lock, then the flusher).
 */
public final class ClickCounts {

    /** A campaign's minute: its id and the minute since the epoch (UTC) the clicks were served in. */
    public record Minute(long campaignId, long minute) {
    }

    /** A campaign's minute and the country of its clicks counted here. */
    public record CountryMinute(long campaignId, long minute, String country) {
    }

    /** A campaign's hour (since the epoch, UTC) and one dimension's value in it. */
    public record DimensionHour(long campaignId, long hour, Dimension dimension, String value) {
    }

    private static final Dimension[] DIMENSIONS = Dimension.values();

    public static final int SLOTS = 2 * Platform.values().length;
    /** The length of each campaign's counters in {@link #campaigns()}. */
    public static final int COUNTERS = ClickKind.COUNTERS;

    private final Map<CountryMinute, long[]> countryMinutes = new HashMap<>();
    private final Map<DimensionHour, long[]> dimensions = new HashMap<>();
    /** The per-minute buckets, summed from the countries' minutes; null until asked for after a change. */
    private Map<Minute, long[]> minutes;
    /** The per-campaign counters, summed from the minutes; null until asked for after a change. */
    private Map<Long, long[]> campaigns;
    private long clicks;

    /**
     * Adds {@code n} clicks of {@code kind} (a journal record's kind byte: a platform code, with
     * 0x80 for a bot) on the campaign, served in {@code minute} (since the epoch), that told
     * nothing of where they came from.
     */
    public void add(long campaignId, int kind, long minute, long n) {
        add(campaignId, kind, minute, Visit.UNKNOWN, n);
    }

    /** Adds {@code n} clicks as {@link #add(long, int, long, long)} does, with the values of {@code visit}. */
    public void add(long campaignId, int kind, long minute, Visit visit, long n) {
        int slot = ClickKind.slot(kind);
        countryMinutes.computeIfAbsent(new CountryMinute(campaignId, minute, visit.get(Dimension.COUNTRY)),
                m -> new long[SLOTS])[slot] += n;
        long hour = Math.floorDiv(minute, 60);
        for (Dimension dimension : DIMENSIONS) {
            dimensions.computeIfAbsent(new DimensionHour(campaignId, hour, dimension, visit.get(dimension)),
                    d -> new long[SLOTS])[slot] += n;
        }
        clicks += n;
        minutes = null;
        campaigns = null;
    }

    void addAll(ClickCounts other) {
        addAll(other.countryMinutes, countryMinutes);
        addAll(other.dimensions, dimensions);
        clicks += other.clicks;
        minutes = null;
        campaigns = null;
    }

    private static <K> void addAll(Map<K, long[]> from, Map<K, long[]> into) {
        from.forEach((key, slots) -> {
            long[] mine = into.computeIfAbsent(key, k -> new long[SLOTS]);
            for (int s = 0; s < SLOTS; s++) {
                mine[s] += slots[s];
            }
        });
    }

    /** Per campaign: {android, iphone, windowsphone, other, bot}, summed from its minutes. */
    public Map<Long, long[]> campaigns() {
        if (campaigns == null) {
            int platforms = Platform.values().length;
            campaigns = new HashMap<>();
            minutes().forEach((minute, slots) -> {
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
        if (minutes == null) {
            minutes = new HashMap<>();
            countryMinutes.forEach((key, slots) -> {
                long[] sum = minutes.computeIfAbsent(new Minute(key.campaignId(), key.minute()), m -> new long[SLOTS]);
                for (int s = 0; s < SLOTS; s++) {
                    sum[s] += slots[s];
                }
            });
        }
        return minutes;
    }

    /** Per campaign, minute and country: as {@link #minutes}, for the sinks that tell countries apart. */
    public Map<CountryMinute, long[]> countryMinutes() {
        return countryMinutes;
    }

    /** Per campaign, hour, dimension and value: the human clicks of each platform, then the bots' of each. */
    public Map<DimensionHour, long[]> dimensions() {
        return dimensions;
    }

    long clicks() {
        return clicks;
    }

    /**
     * The rows these counts hold, about as many as a flush of them writes: (campaign, minute,
     * country) and (campaign, hour, dimension, value).
     */
    int rows() {
        return countryMinutes.size() + dimensions.size();
    }

    boolean isEmpty() {
        return clicks == 0;
    }
}
