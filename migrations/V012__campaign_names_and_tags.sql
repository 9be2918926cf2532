-- A campaign's name and tags, for the people who manage many campaigns: a name to tell them apart
-- (NULL: none; shown as its URL), tags to group them (lower case, as the API stores them, no
-- duplicates, in the order given). Neither is part of where a click goes, so the version and
-- change-notification triggers (V004, V005, V007) do not watch them. Adding columns with constant defaults
-- rewrites nothing; their CHECKs are verified and the indexes built in a few scans of the table
-- under its lock (well under a second for thousands of campaigns).
--
-- The ALTER waits at most 10 s for its lock, as V010's: queued behind a long transaction on
-- campaigns it would hold back every click lookup and flush behind it. It fails instead, the start
-- fails with it, and the next start tries again.
SET LOCAL lock_timeout = '10s';

-- pg_trgm is a trusted extension (PostgreSQL 13 on): a user with CREATE on the database (its
-- owner) may create it, no superuser needed; Cloud SQL has it.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- The API's rule for tags, in PostgreSQL too, so a hand-written row cannot hold a tag the list's
-- filter could never be sent: 1-50 of a-z, 0-9, '-' and '_', none twice.
CREATE FUNCTION campaign_tags_valid(tags text[]) RETURNS boolean LANGUAGE sql IMMUTABLE STRICT AS $$
    SELECT coalesce(array_ndims(tags), 1) = 1
       AND cardinality(tags) <= 20
       AND (SELECT count(t) = count(*) AND count(DISTINCT t) = count(*)
                   AND coalesce(bool_and(t ~ '^[a-z0-9_-]{1,50}$'), true)
            FROM unnest(tags) AS t)
$$;

ALTER TABLE campaigns
    -- Trimmed, 1-200 characters, no control characters (C0, DEL, C1), as the API takes it.
    ADD COLUMN name text CONSTRAINT campaigns_name_check CHECK (
        length(name) BETWEEN 1 AND 200 AND name !~ '[\u0001-\u001f\u007f-\u009f]' AND name = btrim(name)),
    ADD COLUMN tags text[] NOT NULL DEFAULT '{}' CONSTRAINT campaigns_tags_check CHECK (campaign_tags_valid(tags));

-- GIN indexes without fastupdate: a new campaign goes into the index at once instead of a pending
-- list that only a vacuum empties. Until then PostgreSQL costs every search as a scan of that list
-- and prefers reading the whole table (on 5000 new campaigns: a Seq Scan for `?q=`, the index once
-- vacuumed); campaigns are created by people, so the few milliseconds more per insert are nothing.

-- `?tag=spring,summer` is `tags && ARRAY[...]`, as the platforms filter (V001).
CREATE INDEX campaigns_tags_idx ON campaigns USING gin (tags) WITH (fastupdate = off);

-- `?q=text` is `name ILIKE '%text%' OR redirect_url ILIKE '%text%'`: a trigram index on each, which
-- PostgreSQL combines (BitmapOr). Not CONCURRENTLY: Flyway would run it outside a transaction, where
-- it waits for every open transaction on the table and can hang a deploy; on a table of campaigns
-- (thousands of rows, not millions) the lock is held for well under a second.
CREATE INDEX campaigns_name_trgm_idx ON campaigns USING gin (name gin_trgm_ops) WITH (fastupdate = off);
CREATE INDEX campaigns_redirect_url_trgm_idx ON campaigns USING gin (redirect_url gin_trgm_ops) WITH (fastupdate = off);
