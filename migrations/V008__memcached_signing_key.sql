-- memcached has no authentication: whoever reaches it can write a value under a campaign's key.
-- Every value the service writes there is signed (HMAC-SHA256, over the campaign's id and the
-- state) with this key, and a value whose signature does not hold is a miss. One key for every
-- instance, drawn by the first that needs it (SecureRandom, in the application) and kept here,
-- where only the service's database user reads it.
CREATE TABLE memcached_signing_key (
    id     smallint PRIMARY KEY CHECK (id = 1),
    secret bytea    NOT NULL CHECK (octet_length(secret) >= 32)
);
