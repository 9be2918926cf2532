-- Where the journal directory that last claimed a row ended when it was opened: the point at which
-- a copy of a directory (a VM image, `cp -a data`) and its original part ways. A directory that
-- finds its row claimed by a copy counts its own records from there on as a new journal; a row
-- whose applied position is past a claimant's records was claimed by another copy, never by it.
-- Rows of earlier versions have none: their claimant's own records start where it was opened.
ALTER TABLE click_journals ADD COLUMN claimed_end bigint CHECK (claimed_end >= 0);
