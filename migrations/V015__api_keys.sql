-- API keys: credentials for scripts and partners that are not the admin password, each limited to
-- its scopes (read, write, postback). Only the SHA-256 hash of a key is kept: the key itself is
-- shown once, when it is made, and a copy of this table lets nobody in. A revoked key's row is
-- deleted, not marked: it can never be used again, and a dead hash kept would only be something
-- more to leak.
-- The API's rule for scopes, in PostgreSQL too (a CHECK cannot hold a subquery; a function can).
CREATE FUNCTION api_key_scopes_valid(scopes text[]) RETURNS boolean LANGUAGE sql IMMUTABLE STRICT AS $$
    SELECT coalesce(array_ndims(scopes), 0) = 1
       AND scopes <@ ARRAY['read', 'write', 'postback']
       AND (SELECT count(s) = count(*) AND count(DISTINCT s) = count(*) FROM unnest(scopes) AS s)
$$;

CREATE TABLE api_keys (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- Trimmed, 1-200 characters, no control characters (C0, DEL, C1), as the API takes it.
    name text NOT NULL CONSTRAINT api_keys_name_check CHECK (
        length(name) BETWEEN 1 AND 200 AND name !~ '[\u0001-\u001f\u007f-\u009f]' AND name = btrim(name)),
    -- The scopes the API knows, none twice, at least one.
    scopes text[] NOT NULL CONSTRAINT api_keys_scopes_check CHECK (api_key_scopes_valid(scopes)),
    key_hash bytea NOT NULL CONSTRAINT api_keys_key_hash_key UNIQUE CONSTRAINT api_keys_key_hash_check CHECK (length(key_hash) = 32),
    created_at timestamptz NOT NULL DEFAULT now(),
    -- Written at most once a minute per key, off the request path: an approximation by design.
    last_used_at timestamptz
);

-- Every instance keeps the keys it has checked in memory; a revocation (a deletion, by the API or
-- by hand) or a change of a key's scopes tells every instance at its commit, so each forgets the
-- key within a second. The payload is the key's id in decimal. last_used_at tells nothing.
CREATE FUNCTION api_key_notify_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('o7t_api_key_changed', OLD.id::text);
    RETURN NULL;
END
$$;

CREATE TRIGGER api_keys_notify_changed
    AFTER DELETE OR UPDATE OF scopes, key_hash ON api_keys
    FOR EACH ROW EXECUTE FUNCTION api_key_notify_changed();
