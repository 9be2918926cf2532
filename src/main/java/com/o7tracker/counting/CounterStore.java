package com.o7tracker.counting;

import com.o7tracker.campaign.Platform;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.jdbi.v3.core.Jdbi;

/** The PostgreSQL side of counting: campaign counters and each journal's applied position. */
public class CounterStore {

    private final Jdbi jdbi;

    public CounterStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /**
     * Claims the journal's row for {@code newOwner}: registers it at {@code start} if it is new, or
     * takes it over if its owner is one of {@code ownTokens} (or unset, as the previous version left
     * it). Returns the position below which the journal's clicks are in the counters, or empty if
     * another copy of the journal directory owns the row.
     */
    public OptionalLong claim(String journalId, long start, List<String> ownTokens, String newOwner) {
        return jdbi.inTransaction(handle -> {
            handle.createUpdate("""
                            INSERT INTO click_journals (journal_id, applied_seq, owner) VALUES (:id, :start, :owner)
                            ON CONFLICT DO NOTHING
                            """)
                    .bind("id", journalId)
                    .bind("start", start)
                    .bind("owner", newOwner)
                    .execute();
            Map<String, Object> row = handle.createQuery(
                            "SELECT applied_seq, owner FROM click_journals WHERE journal_id = :id FOR UPDATE")
                    .bind("id", journalId)
                    .mapToMap()
                    .one();
            Object owner = row.get("owner");
            if (owner != null && !owner.equals(newOwner) && !ownTokens.contains(owner)) {
                return OptionalLong.empty();
            }
            handle.createUpdate("UPDATE click_journals SET owner = :owner WHERE journal_id = :id")
                    .bind("id", journalId)
                    .bind("owner", newOwner)
                    .execute();
            return OptionalLong.of(((Number) row.get("applied_seq")).longValue());
        });
    }

    /** The position below which this journal's clicks are in the counters, as PostgreSQL has it now. */
    public long appliedSeq(String journalId) {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT applied_seq FROM click_journals WHERE journal_id = :id")
                .bind("id", journalId)
                .mapTo(Long.class)
                .one());
    }

    /**
     * Adds the counts to the campaigns and moves the journal's position from {@code fromSeq} to
     * {@code toSeq}, in one transaction: both happen or neither does, so no click is applied twice.
     * One UPDATE covers every campaign of the batch, whatever the number of clicks.
     */
    public void apply(String journalId, String owner, long fromSeq, long toSeq, Map<Long, long[]> counts) {
        int n = counts.size();
        long[] ids = new long[n];
        long[] android = new long[n];
        long[] iphone = new long[n];
        long[] windowsPhone = new long[n];
        int i = 0;
        for (Map.Entry<Long, long[]> entry : counts.entrySet()) {
            ids[i] = entry.getKey();
            android[i] = entry.getValue()[Platform.ANDROID.code()];
            iphone[i] = entry.getValue()[Platform.IPHONE.code()];
            windowsPhone[i] = entry.getValue()[Platform.WINDOWS_PHONE.code()];
            i++;
        }
        jdbi.useTransaction(handle -> {
            if (n > 0) {
                handle.createUpdate("""
                                UPDATE campaigns AS c
                                SET click_count = c.click_count + d.android + d.iphone + d.windowsphone,
                                    android_click_count = c.android_click_count + d.android,
                                    iphone_click_count = c.iphone_click_count + d.iphone,
                                    windowsphone_click_count = c.windowsphone_click_count + d.windowsphone
                                FROM unnest(:ids, :android, :iphone, :windowsphone) AS d(id, android, iphone, windowsphone)
                                WHERE c.id = d.id
                                """)
                        .bind("ids", ids)
                        .bind("android", android)
                        .bind("iphone", iphone)
                        .bind("windowsphone", windowsPhone)
                        .execute();
            }
            int moved = handle.createUpdate("""
                            UPDATE click_journals SET applied_seq = :to, updated_at = clock_timestamp()
                            WHERE journal_id = :id AND applied_seq = :from AND owner = :owner
                            """)
                    .bind("id", journalId)
                    .bind("owner", owner)
                    .bind("from", fromSeq)
                    .bind("to", toSeq)
                    .execute();
            if (moved != 1) {
                throw new IllegalStateException("Journal " + journalId + " is not at position " + fromSeq
                        + " or not owned by this process in PostgreSQL; another process may be applying it");
            }
        });
    }
}
