package com.o7tracker.counting;

import com.o7tracker.dimension.Dimension;
import com.o7tracker.dimension.Values;
import com.o7tracker.dimension.Visit;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The bound on what strangers can make an instance store: at most {@link #MAX_VALUES} distinct
 * values per (campaign, hour, dimension), and {@link #MAX_TOTAL} per hour in all; a click with a
 * further value records {@link Values#OTHER} instead. Decided once, on the journal's writer thread before the click's
 * record is written, so the record holds what is counted and a replay after a crash counts the
 * same. The values of the current hour only are held: the writer stamps its own minute on each
 * batch, so every click it takes is of the current hour. At open, the journal shows this the
 * current hour's records still on disk ({@link #admit} in the order written), so a restart does
 * not admit another thousand.
 *
 * <p>The country is not bounded: two letters, at most 676 values. The writer thread's own.
 */
final class ValueBound {

    static final int MAX_VALUES = 1_000;
    /**
     * The distinct values an instance holds in all, per hour, over every campaign and dimension: a
     * campaign's thousand per dimension hold 1-2 MB of long values (1.1 MB measured), so without this a
     * flood over a few thousand campaigns would fill the heap. About 70 MB at most (values of 253
     * characters).
     */
    static final int MAX_TOTAL = 200_000;
    /** The dimensions whose values the journal keeps as text, in its dictionary: all but the country. */
    private static final Dimension[] BOUNDED = JournalRecord.NUMBERED;

    private final int maxValues;
    private final Map<Long, Set<String>[]> seen = new HashMap<>();
    private long hour = Long.MIN_VALUE;
    /** The values held for this hour, over every campaign and dimension. */
    private int total;

    ValueBound() {
        this(MAX_VALUES);
    }

    ValueBound(int maxValues) {
        this.maxValues = maxValues;
    }

    /** The visit as the campaign's click in {@code hour} (since the epoch) records it: past the bound, (other). */
    Visit admit(long campaignId, long hour, Visit visit) {
        if (hour > this.hour) {
            seen.clear();
            total = 0;
            this.hour = hour;
        } // an earlier hour (a clock stepped back) is bounded with the current one
        @SuppressWarnings("unchecked")
        Set<String>[] sets = seen.computeIfAbsent(campaignId, id -> new Set[BOUNDED.length]);
        Visit admitted = visit;
        for (int i = 0; i < BOUNDED.length; i++) {
            String value = visit.get(BOUNDED[i]);
            if (value.equals(Values.NONE) || value.equals(Values.OTHER)) {
                continue;
            }
            if (sets[i] == null) {
                sets[i] = new HashSet<>();
            }
            if (sets[i].size() < maxValues && total < MAX_TOTAL) {
                if (sets[i].add(value)) {
                    total++;
                }
            } else if (!sets[i].contains(value)) {
                admitted = admitted.with(BOUNDED[i], Values.OTHER);
            }
        }
        return admitted;
    }
}
