package com.o7tracker.counting;

import com.o7tracker.campaign.Platform;
import com.o7tracker.dimension.Dimension;
import com.o7tracker.dimension.Visit;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Clicks folded into what one flush adds: per campaign, minute and visit (where the clicks came
 * from), the clicks of each platform, human and bot apart (indexed by {@link ClickKind#slot}).
 * One map entry per click, on the journal writer's thread; the views a flush writes are summed
 * from it when first asked for: per campaign and minute (the buckets), per campaign, minute and
 * country (the InfluxDB stream), per campaign, hour, dimension and value (the dimension rows) and
 * per campaign, its counters (indexed by {@link ClickKind#counter}). All are written in one
 * transaction, so the minute buckets, and each dimension's rows, always sum to the counters. Not
 * thread-safe: one thread at a time (the journal writer under the deltas' lock, then the flusher).
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

    /** The clicks of one campaign's minute from one visit. */
    private record VisitMinute(long campaignId, long minute, Visit visit) {
    }

    private static final Dimension[] DIMENSIONS = Dimension.values();

    public static final int SLOTS = 2 * Platform.values().length;
    /** The length of each campaign's counters in {@link #campaigns()}. */
    public static final int COUNTERS = ClickKind.COUNTERS;

    private final Map<VisitMinute, long[]> visits = new HashMap<>();
    /** The views summed from the visits; null until asked for after a change. */
    private Map<Minute, long[]> minutes;
    private Map<CountryMinute, long[]> countryMinutes;
    private Map<DimensionHour, long[]> dimensions;
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
        visits.computeIfAbsent(new VisitMinute(campaignId, minute, visit), v -> new long[SLOTS])[ClickKind.slot(kind)] += n;
        clicks += n;
        changed();
    }

    void addAll(ClickCounts other) {
        addAll(other.visits, visits);
        clicks += other.clicks;
        changed();
    }

    private void changed() {
        minutes = null;
        countryMinutes = null;
        dimensions = null;
        campaigns = null;
    }

    private static <K> void addAll(Map<K, long[]> from, Map<K, long[]> into) {
        from.forEach((key, slots) -> add(into, key, slots));
    }

    private static <K> void add(Map<K, long[]> into, K key, long[] slots) {
        long[] mine = into.computeIfAbsent(key, k -> new long[SLOTS]);
        for (int s = 0; s < SLOTS; s++) {
            mine[s] += slots[s];
        }
    }

    /** The visits' slots summed by {@code key}. */
    private <K> Map<K, long[]> sum(Function<VisitMinute, K> key) {
        Map<K, long[]> sums = new HashMap<>();
        visits.forEach((visit, slots) -> add(sums, key.apply(visit), slots));
        return sums;
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
            minutes = sum(v -> new Minute(v.campaignId(), v.minute()));
        }
        return minutes;
    }

    /** Per campaign, minute and country: as {@link #minutes}, for the sinks that tell countries apart. */
    public Map<CountryMinute, long[]> countryMinutes() {
        if (countryMinutes == null) {
            countryMinutes = sum(v -> new CountryMinute(v.campaignId(), v.minute(), v.visit().get(Dimension.COUNTRY)));
        }
        return countryMinutes;
    }

    /** Per campaign, hour, dimension and value: the human clicks of each platform, then the bots' of each. */
    public Map<DimensionHour, long[]> dimensions() {
        if (dimensions == null) {
            dimensions = new HashMap<>();
            visits.forEach((v, slots) -> {
                long hour = Math.floorDiv(v.minute(), 60);
                for (Dimension dimension : DIMENSIONS) {
                    add(dimensions, new DimensionHour(v.campaignId(), hour, dimension, v.visit().get(dimension)), slots);
                }
            });
        }
        return dimensions;
    }

    long clicks() {
        return clicks;
    }

    /**
     * The (campaign, minute, visit) entries these counts hold: their memory, and a bound of the
     * rows a flush of them writes (at most one per dimension each, and one bucket).
     */
    int rows() {
        return visits.size();
    }

    boolean isEmpty() {
        return clicks == 0;
    }
}
