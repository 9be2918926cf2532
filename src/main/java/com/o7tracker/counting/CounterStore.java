package com.o7tracker.counting;

import com.o7tracker.campaign.Platform;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/** The PostgreSQL side of counting: campaign counters and each journal's applied position. */
public class CounterStore {

    private final Jdbi jdbi;
    private volatile long lastTransactionId;

    public CounterStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /**
     * What a claim of a journal's row found: {@code CLAIMED} (this process owns it now, the clicks
     * below {@code applied} are in the counters), {@code IN_USE} (owned with one of this
     * directory's tokens by a process that was alive within the lease; {@code heartbeat} tells a
     * later claim whether it still is), {@code FOREIGN} (owned by another copy of the directory,
     * which was opened at {@code claimedEnd}, null if unknown) or {@code AHEAD} (applied past the
     * claimant's records: moved by another copy of the directory).
     */
    public record Claim(Kind kind, long applied, Instant heartbeat, Long claimedEnd) {
        public enum Kind { CLAIMED, IN_USE, FOREIGN, AHEAD }
    }

    /**
     * Claims the journal's row for {@code newOwner}, whose directory ended at {@code opened} when
     * it was opened: registers it at {@code start} if it is new; takes it over if it has no owner
     * (as an earlier version left it), is already {@code newOwner}'s, or is owned with one of
     * {@code ownTokens} by a process whose last sign of life is older than {@code lease}, unless
     * its applied position is past {@code opened}.
     */
    public Claim claim(String journalId, long start, long opened, List<String> ownTokens, String newOwner, Duration lease) {
        return jdbi.inTransaction(handle -> {
            register(handle, journalId, start, newOwner, opened);
            Map<String, Object> row = handle.createQuery("""
                            SELECT applied_seq, owner, updated_at, claimed_end,
                                   updated_at < clock_timestamp() - make_interval(secs => :lease) AS expired
                            FROM click_journals WHERE journal_id = :id FOR UPDATE
                            """)
                    .bind("id", journalId)
                    .bind("lease", lease.toMillis() / 1000.0)
                    .mapToMap()
                    .one();
            Object owner = row.get("owner");
            long applied = ((Number) row.get("applied_seq")).longValue();
            Instant heartbeat = ((Timestamp) row.get("updated_at")).toInstant();
            Long claimedEnd = row.get("claimed_end") == null ? null : ((Number) row.get("claimed_end")).longValue();
            if (owner != null && !owner.equals(newOwner)) {
                if (!ownTokens.contains(owner)) {
                    return new Claim(Claim.Kind.FOREIGN, applied, heartbeat, claimedEnd);
                }
                if (!Boolean.TRUE.equals(row.get("expired"))) {
                    return new Claim(Claim.Kind.IN_USE, applied, heartbeat, claimedEnd);
                }
            }
            if (applied > opened) {
                return new Claim(Claim.Kind.AHEAD, applied, heartbeat, claimedEnd);
            }
            handle.createUpdate("""
                            UPDATE click_journals SET owner = :owner, claimed_end = :opened, updated_at = clock_timestamp()
                            WHERE journal_id = :id
                            """)
                    .bind("id", journalId)
                    .bind("owner", newOwner)
                    .bind("opened", opened)
                    .execute();
            return new Claim(Claim.Kind.CLAIMED, applied, heartbeat, opened);
        });
    }

    /**
     * After PostgreSQL came back behind {@code applied} (it lost commits): takes the row back for
     * {@code owner} if PostgreSQL has it owned by this process, one of this directory's tokens or
     * nobody, at the position it holds; registers it at {@code start} if PostgreSQL lost it whole.
     * Returns the position PostgreSQL holds. Throws if the row is another's or not behind.
     */
    public long reclaimBehind(String journalId, long start, long applied, List<String> ownTokens, String owner) {
        return jdbi.inTransaction(handle -> {
            register(handle, journalId, start, owner, start);
            Map<String, Object> row = handle.createQuery(
                            "SELECT applied_seq, owner FROM click_journals WHERE journal_id = :id FOR UPDATE")
                    .bind("id", journalId)
                    .mapToMap()
                    .one();
            long truth = ((Number) row.get("applied_seq")).longValue();
            Object rowOwner = row.get("owner");
            if (truth >= applied || (rowOwner != null && !rowOwner.equals(owner) && !ownTokens.contains(rowOwner))) {
                throw new IllegalStateException("Journal " + journalId + " is at position " + truth + " in PostgreSQL,"
                        + " owned by " + rowOwner + "; another process may be applying it");
            }
            handle.createUpdate("UPDATE click_journals SET owner = :owner, updated_at = clock_timestamp() WHERE journal_id = :id")
                    .bind("id", journalId)
                    .bind("owner", owner)
                    .execute();
            return truth;
        });
    }

    /** Registers the journal's row at {@code start}, unless PostgreSQL has it. */
    private static void register(Handle handle, String journalId, long start, String owner, long opened) {
        handle.createUpdate("""
                        INSERT INTO click_journals (journal_id, applied_seq, owner, claimed_end)
                        VALUES (:id, :start, :owner, :opened)
                        ON CONFLICT DO NOTHING
                        """)
                .bind("id", journalId)
                .bind("start", start)
                .bind("owner", owner)
                .bind("opened", opened)
                .execute();
    }

    /** The owner's sign of life; false if {@code owner} no longer owns the journal. */
    public boolean heartbeat(String journalId, String owner) {
        return jdbi.withHandle(handle -> handle.createUpdate(
                        "UPDATE click_journals SET updated_at = clock_timestamp() WHERE journal_id = :id AND owner = :owner")
                .bind("id", journalId)
                .bind("owner", owner)
                .execute()) == 1;
    }

    /** At a clean stop: the journal may be claimed at once, without waiting for the lease. */
    public void release(String journalId, String owner) {
        jdbi.useHandle(handle -> handle.createUpdate(
                        "UPDATE click_journals SET updated_at = '-infinity' WHERE journal_id = :id AND owner = :owner")
                .bind("id", journalId)
                .bind("owner", owner)
                .execute());
    }

    /** Whether PostgreSQL answers a query within two seconds. */
    public boolean answers() {
        try {
            return jdbi.withHandle(handle -> handle.createQuery("SELECT 1").setQueryTimeout(2).mapTo(Integer.class).one()) == 1;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /**
     * PostgreSQL's word on a transaction {@link #apply} began: "committed", "aborted", "in
     * progress", or null if it is too old to know.
     */
    public String transactionStatus(long transactionId) {
        return jdbi.withHandle(handle -> {
            try {
                return handle.createQuery("SELECT txid_status(:xid)")
                        .bind("xid", transactionId)
                        .mapTo(String.class)
                        .one();
            } catch (UnableToExecuteStatementException e) {
                // A PostgreSQL that came back from an older state (a failover that lost commits, a
                // restored dump) has not reached that id yet: it knows nothing of it.
                if (e.getCause() instanceof SQLException sql && "22023".equals(sql.getSQLState())) {
                    return null;
                }
                throw e;
            }
        });
    }

    /** The position below which this journal's clicks are in the counters, or -1 if PostgreSQL has no row for it. */
    public long appliedSeqOrNone(String journalId) {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT applied_seq FROM click_journals WHERE journal_id = :id")
                .bind("id", journalId)
                .mapTo(Long.class)
                .findOne()
                .orElse(-1L));
    }

    /** The id of the transaction the last {@link #apply} began, 0 if it failed before it had one. */
    public long lastTransactionId() {
        return lastTransactionId;
    }

    /**
     * Adds the counts to the campaigns and to their minute buckets, and moves the journal's
     * position from {@code fromSeq} to {@code toSeq}, in one transaction: all happen or none does,
     * so no click is applied twice and the buckets always sum to the counters. One statement covers
     * every campaign of the batch, one every (campaign, minute), whatever the number of clicks.
     * Clicks of a campaign deleted meanwhile are dropped from both.
     */
    public void apply(String journalId, String owner, long fromSeq, long toSeq, ClickCounts counts) {
        Map<Long, long[]> campaigns = new TreeMap<>(counts.campaigns());
        int n = campaigns.size();
        long[] ids = new long[n];
        long[][] counters = new long[ClickKind.COUNTERS][n];
        int i = 0;
        for (Map.Entry<Long, long[]> entry : campaigns.entrySet()) {
            ids[i] = entry.getKey();
            for (int c = 0; c < ClickKind.COUNTERS; c++) {
                counters[c][i] = entry.getValue()[c];
            }
            i++;
        }
        List<Map.Entry<ClickCounts.Minute, long[]>> minutes = new ArrayList<>(counts.minutes().entrySet());
        minutes.sort(Comparator.comparingLong((Map.Entry<ClickCounts.Minute, long[]> e) -> e.getKey().campaignId())
                .thenComparingLong(e -> e.getKey().minute()));
        int m = minutes.size();
        long[] minuteIds = new long[m];
        long[] minuteStarts = new long[m];
        long[][] slots = new long[ClickCounts.SLOTS][m];
        for (int j = 0; j < m; j++) {
            minuteIds[j] = minutes.get(j).getKey().campaignId();
            minuteStarts[j] = minutes.get(j).getKey().minute() * 60;
            for (int s = 0; s < ClickCounts.SLOTS; s++) {
                slots[s][j] = minutes.get(j).getValue()[s];
            }
        }
        lastTransactionId = 0;
        jdbi.useTransaction(handle -> {
            // Its id settles the outcome if the answer to COMMIT is lost (ClickFlusher's in-doubt batch).
            lastTransactionId = handle.createQuery("SELECT txid_current()").mapTo(Long.class).one();
            if (n > 0) {
                // Rows locked in id order, as every instance's flush locks them: two flushes of the
                // same campaigns wait for each other instead of deadlocking (UPDATE ... FROM locks in
                // the join's order).
                handle.createQuery("SELECT id FROM campaigns WHERE id = ANY(:ids) ORDER BY id FOR NO KEY UPDATE")
                        .bind("ids", ids)
                        .mapTo(Long.class)
                        .list();
                handle.createUpdate("""
                                UPDATE campaigns AS c
                                SET click_count = c.click_count + d.android + d.iphone + d.windowsphone + d.other,
                                    android_click_count = c.android_click_count + d.android,
                                    iphone_click_count = c.iphone_click_count + d.iphone,
                                    windowsphone_click_count = c.windowsphone_click_count + d.windowsphone,
                                    other_click_count = c.other_click_count + d.other,
                                    bot_click_count = c.bot_click_count + d.bot
                                FROM unnest(:ids, :android, :iphone, :windowsphone, :other, :bot)
                                     AS d(id, android, iphone, windowsphone, other, bot)
                                WHERE c.id = d.id
                                """)
                        .bind("ids", ids)
                        .bind("android", counters[Platform.ANDROID.code()])
                        .bind("iphone", counters[Platform.IPHONE.code()])
                        .bind("windowsphone", counters[Platform.WINDOWS_PHONE.code()])
                        .bind("other", counters[Platform.OTHER.code()])
                        .bind("bot", counters[ClickKind.BOT_COUNTER])
                        .execute();
            }
            if (m > 0) {
                handle.createUpdate("""
                                INSERT INTO click_minutes AS b (campaign_id, minute, android, iphone, windowsphone, other,
                                                                bot_android, bot_iphone, bot_windowsphone, bot_other)
                                SELECT d.id, to_timestamp(d.start), d.a, d.i, d.w, d.o, d.ba, d.bi, d.bw, d.bo
                                FROM unnest(:ids, :starts, :a, :i, :w, :o, :ba, :bi, :bw, :bo)
                                     AS d(id, start, a, i, w, o, ba, bi, bw, bo)
                                WHERE EXISTS (SELECT 1 FROM campaigns c WHERE c.id = d.id)
                                ON CONFLICT (campaign_id, minute) DO UPDATE SET
                                    android = b.android + EXCLUDED.android,
                                    iphone = b.iphone + EXCLUDED.iphone,
                                    windowsphone = b.windowsphone + EXCLUDED.windowsphone,
                                    other = b.other + EXCLUDED.other,
                                    bot_android = b.bot_android + EXCLUDED.bot_android,
                                    bot_iphone = b.bot_iphone + EXCLUDED.bot_iphone,
                                    bot_windowsphone = b.bot_windowsphone + EXCLUDED.bot_windowsphone,
                                    bot_other = b.bot_other + EXCLUDED.bot_other
                                """)
                        .bind("ids", minuteIds)
                        .bind("starts", minuteStarts)
                        .bind("a", slots[0]).bind("i", slots[1]).bind("w", slots[2]).bind("o", slots[3])
                        .bind("ba", slots[4]).bind("bi", slots[5]).bind("bw", slots[6]).bind("bo", slots[7])
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
