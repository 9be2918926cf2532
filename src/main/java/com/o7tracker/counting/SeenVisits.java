package com.o7tracker.counting;

import com.o7tracker.dimension.Visit;
import java.util.HashMap;
import java.util.Map;

/**
 * The journal writer's memory of the visits it has taken this hour into the open segment, per
 * campaign: each as {@link ValueBound} admitted it, and its values' numbers in the segment's
 * dictionary ({@link JournalValues}). A click like one seen before (most are: the same sites,
 * sources and languages send many) costs one lookup instead of a bound check and a dictionary
 * lookup per value, and leaves the same {@link Visit} instance in the counts, where equal visits
 * then compare by identity. Forgotten at a new hour, a new segment, and past {@link #MAX_ENTRIES}
 * (a flood of distinct values: each is then a first sight, which is what it would be anyway).
 * The writer thread's own.
 */
final class SeenVisits {

    static final int MAX_ENTRIES = 100_000;

    /** A visit as recorded: the values kept, and their numbers in the record. */
    record Seen(Visit admitted, int[] ids) {
    }

    private record Key(long campaignId, Visit visit) {
    }

    private final ValueBound bound;
    private final Map<Key, Seen> seen = new HashMap<>();
    private long hour = Long.MIN_VALUE;
    private JournalValues dictionary;

    SeenVisits(ValueBound bound) {
        this.bound = bound;
    }

    /** The campaign's click from {@code visit} in {@code hour} (since the epoch), recorded in the segment of {@code values}. */
    Seen record(long campaignId, long hour, Visit visit, JournalValues values) {
        if (hour != this.hour || values != dictionary || seen.size() >= MAX_ENTRIES) {
            seen.clear();
            this.hour = hour;
            this.dictionary = values;
        }
        Key key = new Key(campaignId, visit);
        Seen known = seen.get(key);
        if (known == null) {
            Visit admitted = bound.admit(campaignId, hour, visit);
            known = new Seen(admitted, JournalRecord.ids(admitted, values));
            seen.put(key, known);
        }
        return known;
    }
}
