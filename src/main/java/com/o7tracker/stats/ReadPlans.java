package com.o7tracker.stats;

import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/**
 * How PostgreSQL plans the stats' reads, set for the read's transaction alone
 * ({@code SET LOCAL}: AppliedPositions reads in one). Outside a transaction they do nothing.
 */
interface ReadPlans {

    /**
     * In the read's transaction (AppliedPositions), each statement is planned for the values it is
     * given. Else, once PgJDBC prepares a statement on the server (its fifth use), PostgreSQL may
     * plan it once for any values: for a breakdown it guesses some 60 rows and sorts them by value,
     * where a month of a campaign's 1,000 referrers is 720,000 rows, sorted in 930 ms; planned for
     * its values, the same breakdown is hash-aggregated in 230 ms (PostgreSQL 15, measured).
     */
    @SqlUpdate("SET LOCAL plan_cache_mode = force_custom_plan")
    void planForTheValues();

    /**
     * In the read's transaction, no parallel workers: ranking 10,000 campaigns' year (143,000 rows)
     * in parallel sums each campaign in every worker, then sorts the 30,000 partial sums to merge
     * them: 62 ms, where one process hash-aggregates them in 47 ms (PostgreSQL 15, 2 cores,
     * measured), and leaves the other core to the clicks.
     */
    @SqlUpdate("SET LOCAL max_parallel_workers_per_gather = 0")
    void rankInOneProcess();
}
