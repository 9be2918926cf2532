package com.o7tracker.counting;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/**
 * The flush's rows of where clicks came from ({@code click_dimension_hours}): per campaign, hour,
 * dimension and value, the clicks of each platform, human and bot apart. Part of
 * {@link CounterStore#apply}'s transaction, never written alone.
 */
public interface DimensionRows {

    /**
     * The rows one statement upserts at most: a flush of many campaigns' varied clicks can hold
     * over 100,000 (up to one per dimension for each (campaign, minute, visit) held), and each
     * statement must end well within the socket timeout.
     */
    int STATEMENT_ROWS = 10_000;

    /**
     * The (campaign, hour, dimension, value) rows, in key order (every instance's flush upserts
     * them in the same order: two flushes of the same rows wait for each other instead of
     * deadlocking), in statements of at most {@link #STATEMENT_ROWS}; a deleted campaign's are dropped.
     */
    default void addToDimensions(Map<ClickCounts.DimensionHour, long[]> dimensions) {
        List<Map.Entry<ClickCounts.DimensionHour, long[]>> rows = new ArrayList<>(dimensions.entrySet());
        rows.sort(Comparator.comparingLong((Map.Entry<ClickCounts.DimensionHour, long[]> e) -> e.getKey().campaignId())
                .thenComparing(e -> e.getKey().dimension().wireName())
                .thenComparingLong(e -> e.getKey().hour())
                .thenComparing(e -> e.getKey().value()));
        for (int from = 0; from < rows.size(); from += STATEMENT_ROWS) {
            List<Map.Entry<ClickCounts.DimensionHour, long[]>> part = rows.subList(from, Math.min(rows.size(), from + STATEMENT_ROWS));
            int n = part.size();
            long[] ids = new long[n];
            String[] names = new String[n];
            long[] starts = new long[n];
            String[] values = new String[n];
            long[][] slots = new long[ClickCounts.SLOTS][n];
            for (int j = 0; j < n; j++) {
                ClickCounts.DimensionHour key = part.get(j).getKey();
                ids[j] = key.campaignId();
                names[j] = key.dimension().wireName();
                starts[j] = key.hour() * 3600;
                values[j] = key.value();
                for (int s = 0; s < ClickCounts.SLOTS; s++) {
                    slots[s][j] = part.get(j).getValue()[s];
                }
            }
            addToDimensionHours(ids, names, starts, values, slots[0], slots[1], slots[2], slots[3], slots[4], slots[5],
                    slots[6], slots[7]);
        }
    }

    /** The rows of {@link #addToDimensions}, {@code slots} in {@link Buckets#COLUMNS}' order. */
    @SqlUpdate("INSERT INTO click_dimension_hours AS b (campaign_id, dimension, hour, value, " + Buckets.COLUMNS + ")" + """

            SELECT d.id, d.dimension, to_timestamp(d.start), d.value, d.a, d.i, d.w, d.o, d.ba, d.bi, d.bw, d.bo
            FROM unnest(:ids, :dimensions, :starts, :values, :a, :i, :w, :o, :ba, :bi, :bw, :bo)
                 AS d(id, dimension, start, value, a, i, w, o, ba, bi, bw, bo)
            WHERE EXISTS (SELECT 1 FROM campaigns c WHERE c.id = d.id)
            ON CONFLICT (campaign_id, dimension, hour, value)\s""" + Buckets.ADD_ON_CONFLICT)
    void addToDimensionHours(@Bind("ids") long[] ids, @Bind("dimensions") String[] dimensions,
                             @Bind("starts") long[] starts, @Bind("values") String[] values, @Bind("a") long[] a,
                             @Bind("i") long[] i, @Bind("w") long[] w, @Bind("o") long[] o, @Bind("ba") long[] ba,
                             @Bind("bi") long[] bi, @Bind("bw") long[] bw, @Bind("bo") long[] bo);

}
