-- When each journal's applied position last moved. A read of the counters answers with the
-- positions of the journals applied lately (the O7tracker-Applied header), from the same snapshot,
-- and each live clicks event names the position its flush moved to, so the dashboard tells exactly
-- which events its read already holds: none counted twice, none lost around a read. A journal
-- whose position has not moved for ten minutes has no event still on its way and is left out, so the
-- header stays short however many instances have come and gone.
--
-- Set by PostgreSQL, not the application, so the flushes of an instance of the previous version
-- (beside this one during a rolling deploy) move it too. Rows of earlier versions start without
-- one: nothing of theirs was applied lately.
--
-- The ALTER waits at most 10 s for its lock: queued behind a long transaction on click_journals
-- (an open psql session, a dump) it would hold back every instance's flush behind it. It fails
-- instead, the start fails with it, and the next start tries again.
SET LOCAL lock_timeout = '10s';

ALTER TABLE click_journals ADD COLUMN applied_at timestamptz;

CREATE FUNCTION click_journal_applied_at() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.applied_at := clock_timestamp();
    RETURN NEW;
END
$$;

CREATE TRIGGER click_journals_applied_at
    BEFORE UPDATE OF applied_seq ON click_journals
    FOR EACH ROW WHEN (NEW.applied_seq IS DISTINCT FROM OLD.applied_seq)
    EXECUTE FUNCTION click_journal_applied_at();
