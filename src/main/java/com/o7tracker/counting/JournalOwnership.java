package com.o7tracker.counting;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who applies this journal, and since when: the row of the journal in PostgreSQL
 * ({@code click_journals}: owner token, lease, the applied position, and where the claimant's
 * directory ended when it was opened) and the owner tokens kept in the directory. Only the owner
 * moves the journal's position. Used by the flusher's thread only (under its lock). The directory
 * keeps every token its processes claimed with: a row restored from an older dump, or left by a
 * failover, may be owned by any of them, and is still this directory's.
 *
 * <p>A directory is told from a copy of it (a VM image, {@code cp -a}) in every order of starts:
 * <ul>
 * <li>the row is owned with a token this directory does not hold: another copy claimed it since
 * this directory last did. This directory's records from the point where the two parted (the
 * lower of where each was opened) are its own: they are counted as a new journal;
 * <li>the row's applied position is past this directory's records as it was opened: the row was
 * moved by a copy that went on writing, so this directory is the other copy, and its records from
 * where it was opened are its own;
 * <li>otherwise it is this directory's row, taken once its previous owner's lease has expired
 * (a crash) or was released (a clean stop), or at once if its owner is alive with this
 * directory's token elsewhere (a copy of a running instance: then this one starts anew).
 * </ul>
 */
final class JournalOwnership {

    private static final Logger LOG = LoggerFactory.getLogger(JournalOwnership.class);

    private final ClickJournal journal;
    private final CounterStore store;
    private final Duration lease;
    /** The token with which this process claims the journal's row (the owner once claimed). */
    private final String token = UUID.randomUUID().toString();
    private String owner;
    private long lastSignOfLifeNanos;
    /** The owner's last sign of life seen when the row was found in use, to tell whether it lives on. */
    private Instant inUseHeartbeat;

    JournalOwnership(ClickJournal journal, CounterStore store, Duration lease) {
        this.journal = journal;
        this.store = store;
        this.lease = lease;
    }

    /** The owner token once claimed, null before. */
    String owner() {
        return owner;
    }

    /**
     * Takes the journal's row (starting a new journal if this directory is a copy, see the class)
     * and returns the position below which its clicks are in PostgreSQL. Throws while the row is
     * leased by a process that may still be alive.
     */
    long claim() throws IOException {
        List<String> own = journal.files().ownerTokens();
        if (!own.contains(token)) {
            List<String> claiming = new ArrayList<>(own);
            claiming.add(token);
            journal.files().writeOwnerTokens(claiming);
        }
        long opened = journal.files().unclaimedStart(journal::durableSeq);
        CounterStore.Claim claim = store.claim(journal.journalId(), journal.files().startPosition(), opened, own, token, lease);
        switch (claim.kind()) {
            case IN_USE -> {
                if (inUseHeartbeat == null || inUseHeartbeat.equals(claim.heartbeat())) {
                    if (inUseHeartbeat == null) {
                        LOG.warn("Click journal {} was in use {} ago; waiting up to {} for its owner's next sign of life"
                                + " (then this directory is a copy) or for its lease to expire (then its owner is gone)",
                                journal.journalId(), Duration.between(claim.heartbeat(), Instant.now()), lease);
                        inUseHeartbeat = claim.heartbeat();
                    }
                    throw new IllegalStateException("click journal " + journal.journalId() + " is still leased");
                }
                claim = startNewJournal(opened, "its owner, with this directory's token, is alive elsewhere");
            }
            case FOREIGN -> claim = startNewJournal(Math.max(journal.files().startPosition(),
                            claim.claimedEnd() == null ? opened : Math.min(claim.claimedEnd(), opened)),
                    "another copy of this directory has claimed it since");
            case AHEAD -> claim = startNewJournal(opened, "PostgreSQL has applied it up to " + claim.applied()
                    + ", past this directory's records: a copy of this directory went on writing it");
            case CLAIMED -> { }
        }
        journal.files().claimed(); // the tokens stay: a restored PostgreSQL may hold any of them
        owner = token;
        lastSignOfLifeNanos = System.nanoTime();
        return claim.applied();
    }

    /** The records of this directory from {@code start} on are counted as a new journal. */
    private CounterStore.Claim startNewJournal(long start, String why) throws IOException {
        String copiedFrom = journal.journalId();
        journal.files().startNewJournal(start);
        LOG.warn("The click journal in {} is a copy: journal {} belongs to another instance ({}), which counts the"
                + " clicks it holds. This instance continues as new journal {} from position {}.",
                journal.directory(), copiedFrom, why, journal.journalId(), start);
        CounterStore.Claim claim = store.claim(journal.journalId(), start, start, List.of(), token, lease);
        if (claim.kind() != CounterStore.Claim.Kind.CLAIMED) {
            throw new IllegalStateException("Journal " + journal.journalId() + " is owned by another process");
        }
        return claim;
    }

    /** Every flush that moved the position is a sign of life. */
    void alive() {
        lastSignOfLifeNanos = System.nanoTime();
    }

    /** With nothing to apply, the owner still shows it is alive, every quarter of the lease. */
    void signOfLife() {
        if (owner == null || System.nanoTime() - lastSignOfLifeNanos < lease.toNanos() / 4) {
            return;
        }
        if (!store.heartbeat(journal.journalId(), owner)) {
            throw new IllegalStateException("Journal " + journal.journalId() + " was claimed by another process;"
                    + " this instance no longer applies it");
        }
        lastSignOfLifeNanos = System.nanoTime();
    }

    /**
     * After PostgreSQL came back behind this process's applied position (a failover that lost
     * commits, a restored dump): the row, as PostgreSQL has it now, is this process's again at
     * {@code truth}, or registered anew at the journal's start if PostgreSQL lost it. Returns the
     * position PostgreSQL holds.
     */
    long reclaimBehind(long applied) throws IOException {
        return store.reclaimBehind(journal.journalId(), journal.files().startPosition(), applied,
                journal.files().ownerTokens(), owner);
    }

    /** At a clean stop, after the drain: the journal may be claimed at once by the next start. */
    void release() {
        if (owner != null) {
            store.release(journal.journalId(), owner);
            owner = null;
        }
    }
}
