-- One row per click journal (one per service instance and journal directory): the journal
-- position whose clicks are already in the campaign counters. It moves in the same transaction
-- as the counters, so a restart replays exactly the clicks that are not in them yet.
CREATE TABLE click_journals (
    journal_id  text        PRIMARY KEY,
    applied_seq bigint      NOT NULL CHECK (applied_seq >= 0),
    updated_at  timestamptz NOT NULL DEFAULT clock_timestamp()
);
