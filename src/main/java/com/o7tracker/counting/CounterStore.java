package com.o7tracker.counting;

import com.o7tracker.campaign.Platform;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.LongConsumer;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.QueryTimeOut;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;
import org.jdbi.v3.sqlobject.statement.UseRowMapper;
import org.jdbi.v3.sqlobject.transaction.Transaction;

/**
 * The PostgreSQL side of counting: campaign counters, their minute buckets and each journal's
 * applied position ({@code click_journals}). Each multi-statement unit is one {@code @Transaction}
 * method; the exactly-once counting rests on {@link #apply}'s being one.
 */
public interface CounterStore extends DimensionRows {

    /**
     * What a claim of a journal's row found: {@code CLAIMED} (this process owns it now, the clicks
     * below {@code applied} are in the counters), {@code IN_USE} (owned with one of this
     * directory's tokens by a process that was alive within the lease; {@code heartbeat} tells a
     * later claim whether it still is), {@code FOREIGN} (owned by another copy of the directory,
     * which was opened at {@code claimedEnd}, null if unknown) or {@code AHEAD} (applied past the
     * claimant's records: moved by another copy of the directory).
     */
    record Claim(Kind kind, long applied, Instant heartbeat, Long claimedEnd) {
        public enum Kind { CLAIMED, IN_USE, FOREIGN, AHEAD }
    }

    /**
     * Claims the journal's row for {@code newOwner}, whose directory ended at {@code opened} when
     * it was opened: registers it at {@code start} if it is new; takes it over if it has no owner
     * (as an earlier version left it), is already {@code newOwner}'s, or is owned with one of
     * {@code ownTokens} by a process whose last sign of life is older than {@code lease}, unless
     * its applied position is past {@code opened}.
     */
    @Transaction
    default Claim claim(String journalId, long start, long opened, List<String> ownTokens, String newOwner, Duration lease) {
        register(journalId, start, newOwner, opened);
        JournalRow row = lockRow(journalId, lease.toMillis() / 1000.0);
        if (row.owner() != null && !row.owner().equals(newOwner)) {
            if (!ownTokens.contains(row.owner())) {
                return new Claim(Claim.Kind.FOREIGN, row.applied(), row.heartbeat(), row.claimedEnd());
            }
            if (!row.expired()) {
                return new Claim(Claim.Kind.IN_USE, row.applied(), row.heartbeat(), row.claimedEnd());
            }
        }
        if (row.applied() > opened) {
            return new Claim(Claim.Kind.AHEAD, row.applied(), row.heartbeat(), row.claimedEnd());
        }
        takeOver(journalId, newOwner, opened);
        return new Claim(Claim.Kind.CLAIMED, row.applied(), row.heartbeat(), opened);
    }

    /**
     * After PostgreSQL came back behind {@code applied} (it lost commits): takes the row back for
     * {@code owner} if PostgreSQL has it owned by this process, one of this directory's tokens or
     * nobody, at the position it holds; registers it at {@code start} if PostgreSQL lost it whole.
     * Returns the position PostgreSQL holds. Throws if the row is another's or not behind.
     */
    @Transaction
    default long reclaimBehind(String journalId, long start, long applied, List<String> ownTokens, String owner) {
        register(journalId, start, owner, start);
        JournalRow row = lockRow(journalId, 0); // the lease plays no part here
        long truth = row.applied();
        if (truth >= applied || (row.owner() != null && !row.owner().equals(owner) && !ownTokens.contains(row.owner()))) {
            throw new IllegalStateException("Journal " + journalId + " is at position " + truth + " in PostgreSQL,"
                    + " owned by " + row.owner() + "; another process may be applying it");
        }
        setOwner(journalId, owner);
        return truth;
    }

    /** A journal's row as a claim reads it, {@code expired} by PostgreSQL's clock. */
    record JournalRow(long applied, String owner, Instant heartbeat, Long claimedEnd, boolean expired) {

        /** By column name, without reflection on parameter names (which instrumented classes may lose). */
        public static final class Mapper implements RowMapper<JournalRow> {
            @Override
            public JournalRow map(ResultSet rs, StatementContext ctx) throws SQLException {
                return new JournalRow(rs.getLong("applied_seq"), rs.getString("owner"),
                        rs.getTimestamp("updated_at").toInstant(), rs.getObject("claimed_end", Long.class),
                        rs.getBoolean("expired"));
            }
        }
    }

    /** Registers the journal's row at {@code start}, unless PostgreSQL has it. */
    @SqlUpdate("""
            INSERT INTO click_journals (journal_id, applied_seq, owner, claimed_end)
            VALUES (:id, :start, :owner, :opened)
            ON CONFLICT DO NOTHING
            """)
    void register(@Bind("id") String journalId, @Bind("start") long start, @Bind("owner") String owner,
                  @Bind("opened") long opened);

    @SqlQuery("""
            SELECT applied_seq, owner, updated_at, claimed_end,
                   updated_at < clock_timestamp() - make_interval(secs => :lease) AS expired
            FROM click_journals WHERE journal_id = :id FOR UPDATE
            """)
    @UseRowMapper(JournalRow.Mapper.class)
    JournalRow lockRow(@Bind("id") String journalId, @Bind("lease") double leaseSeconds);

    @SqlUpdate("""
            UPDATE click_journals SET owner = :owner, claimed_end = :opened, updated_at = clock_timestamp()
            WHERE journal_id = :id
            """)
    void takeOver(@Bind("id") String journalId, @Bind("owner") String owner, @Bind("opened") long opened);

    @SqlUpdate("UPDATE click_journals SET owner = :owner, updated_at = clock_timestamp() WHERE journal_id = :id")
    void setOwner(@Bind("id") String journalId, @Bind("owner") String owner);

    /** The owner's sign of life; false if {@code owner} no longer owns the journal. */
    @SqlUpdate("UPDATE click_journals SET updated_at = clock_timestamp() WHERE journal_id = :id AND owner = :owner")
    boolean heartbeat(@Bind("id") String journalId, @Bind("owner") String owner);

    /** At a clean stop: the journal may be claimed at once, without waiting for the lease. */
    @SqlUpdate("UPDATE click_journals SET updated_at = '-infinity' WHERE journal_id = :id AND owner = :owner")
    void release(@Bind("id") String journalId, @Bind("owner") String owner);

    /** Whether PostgreSQL answers a query within two seconds. */
    default boolean answers() {
        try {
            return selectOne() == 1;
        } catch (RuntimeException e) {
            return false; // no connection from the pool included: the handle is opened by the query
        }
    }

    @SqlQuery("SELECT 1")
    @QueryTimeOut(2)
    int selectOne();

    /**
     * PostgreSQL's word on a transaction {@link #apply} began: "committed", "aborted", "in
     * progress", or null if it is too old to know.
     */
    default String transactionStatus(long transactionId) {
        try {
            return txidStatus(transactionId);
        } catch (UnableToExecuteStatementException e) {
            // A PostgreSQL that came back from an older state (a failover that lost commits, a
            // restored dump) has not reached that id yet: it knows nothing of it.
            if (e.getCause() instanceof SQLException sql && "22023".equals(sql.getSQLState())) {
                return null;
            }
            throw e;
        }
    }

    @SqlQuery("SELECT txid_status(:xid)")
    String txidStatus(@Bind("xid") long transactionId);

    /** The position below which this journal's clicks are in the counters, or -1 if PostgreSQL has no row for it. */
    default long appliedSeqOrNone(String journalId) {
        return appliedSeq(journalId).orElse(-1L);
    }

    @SqlQuery("SELECT applied_seq FROM click_journals WHERE journal_id = :id")
    Optional<Long> appliedSeq(@Bind("id") String journalId);

    /**
     * Adds the counts to the campaigns, to their minute buckets and to their dimensions' hour rows,
     * and moves the journal's position from {@code fromSeq} to {@code toSeq}, in one transaction:
     * all happen or none does, so no click is applied twice and the buckets, and each dimension's
     * rows, always sum to the counters. One statement covers every campaign of the batch, one
     * every (campaign, minute), one every (campaign, hour, dimension, value), whatever the number
     * of clicks. Clicks of a campaign deleted meanwhile are dropped from all. {@code began} is told the
     * transaction's id as soon as it has one: it settles the outcome if the answer to COMMIT is
     * lost ({@link ClickFlusher}'s in-doubt batch).
     */
    @Transaction
    default void apply(String journalId, String owner, long fromSeq, long toSeq, ClickCounts counts, LongConsumer began) {
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
        began.accept(transactionId());
        if (n > 0) {
            lockCampaigns(ids);
            addToCounters(ids, counters[Platform.ANDROID.code()], counters[Platform.IPHONE.code()],
                    counters[Platform.WINDOWS_PHONE.code()], counters[Platform.OTHER.code()], counters[ClickKind.BOT_COUNTER]);
        }
        if (m > 0) {
            addToMinutes(minuteIds, minuteStarts, slots[0], slots[1], slots[2], slots[3], slots[4], slots[5], slots[6],
                    slots[7]);
        }
        addToDimensions(counts.dimensions());
        if (moveApplied(journalId, owner, fromSeq, toSeq) != 1) {
            throw new IllegalStateException("Journal " + journalId + " is not at position " + fromSeq
                    + " or not owned by this process in PostgreSQL; another process may be applying it");
        }
    }

    @SqlQuery("SELECT txid_current()")
    long transactionId();

    /**
     * Locks the campaigns' rows in id order, as every instance's flush locks them: two flushes of
     * the same campaigns wait for each other instead of deadlocking (UPDATE ... FROM locks in the
     * join's order).
     */
    @SqlQuery("SELECT id FROM campaigns WHERE id = ANY(:ids) ORDER BY id FOR NO KEY UPDATE")
    List<Long> lockCampaigns(@Bind("ids") long[] ids);

    /** The campaigns' counters, each as {@code x = x + n}; a campaign deleted meanwhile is skipped. */
    @SqlUpdate("""
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
    void addToCounters(@Bind("ids") long[] ids, @Bind("android") long[] android, @Bind("iphone") long[] iphone,
                       @Bind("windowsphone") long[] windowsphone, @Bind("other") long[] other, @Bind("bot") long[] bot);

    /** The (campaign, minute) buckets, {@code slots} in {@link Buckets#COLUMNS}' order; a deleted campaign's are dropped. */
    @SqlUpdate("INSERT INTO click_minutes AS b (campaign_id, minute, " + Buckets.COLUMNS + ")" + """

            SELECT d.id, to_timestamp(d.start), d.a, d.i, d.w, d.o, d.ba, d.bi, d.bw, d.bo
            FROM unnest(:ids, :starts, :a, :i, :w, :o, :ba, :bi, :bw, :bo)
                 AS d(id, start, a, i, w, o, ba, bi, bw, bo)
            WHERE EXISTS (SELECT 1 FROM campaigns c WHERE c.id = d.id)
            ON CONFLICT (campaign_id, minute)\s""" + Buckets.ADD_ON_CONFLICT)
    void addToMinutes(@Bind("ids") long[] ids, @Bind("starts") long[] starts, @Bind("a") long[] a, @Bind("i") long[] i,
                      @Bind("w") long[] w, @Bind("o") long[] o, @Bind("ba") long[] ba, @Bind("bi") long[] bi,
                      @Bind("bw") long[] bw, @Bind("bo") long[] bo);

    @SqlUpdate("""
            UPDATE click_journals SET applied_seq = :to, updated_at = clock_timestamp()
            WHERE journal_id = :id AND applied_seq = :from AND owner = :owner
            """)
    int moveApplied(@Bind("id") String journalId, @Bind("owner") String owner, @Bind("from") long fromSeq,
                    @Bind("to") long toSeq);
}
