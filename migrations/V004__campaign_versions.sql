-- Every change of a campaign gets a version from one sequence, so caches can tell an older copy
-- from a newer one whatever order their writes arrive in: a cached target is only ever replaced by
-- a newer one. A deletion leaves a tombstone with its own (newer) version, so "deleted" also wins
-- over every copy of the campaign read before it. Existing rows get versions as they are now.
CREATE SEQUENCE campaign_versions;

ALTER TABLE campaigns ADD COLUMN version bigint NOT NULL DEFAULT nextval('campaign_versions');

CREATE TABLE campaign_tombstones (
    id         bigint      PRIMARY KEY,
    version    bigint      NOT NULL,
    deleted_at timestamptz NOT NULL DEFAULT clock_timestamp()
);

-- Caches load the recent deletions at start and after a missed notification.
CREATE INDEX campaign_tombstones_deleted_at_idx ON campaign_tombstones (deleted_at);

-- Versions and tombstones come from PostgreSQL itself, whoever changes a campaign: an instance of
-- the previous version during a rolling deploy, or a hand-written statement. The counters' updates
-- do not touch the target, so they do not move the version.
CREATE FUNCTION campaign_new_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.version := nextval('campaign_versions');
    RETURN NEW;
END
$$;

CREATE TRIGGER campaigns_version BEFORE UPDATE OF redirect_url, platforms ON campaigns
    FOR EACH ROW EXECUTE FUNCTION campaign_new_version();

CREATE FUNCTION campaign_tombstone() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO campaign_tombstones (id, version) VALUES (OLD.id, nextval('campaign_versions'))
    ON CONFLICT (id) DO UPDATE SET version = EXCLUDED.version, deleted_at = clock_timestamp();
    RETURN OLD;
END
$$;

CREATE TRIGGER campaigns_tombstone AFTER DELETE ON campaigns
    FOR EACH ROW EXECUTE FUNCTION campaign_tombstone();
