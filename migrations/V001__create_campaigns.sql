-- Campaigns and their click counters. A click is never a read-modify-write in Java: counters only
-- ever move by `SET x = x + n` inside PostgreSQL.
CREATE TABLE campaigns (
    id                       bigint      PRIMARY KEY CHECK (id > 0 AND id < 9007199254740992),
    redirect_url             text        NOT NULL CHECK (length(redirect_url) BETWEEN 1 AND 2048),
    platforms                text[]      NOT NULL DEFAULT '{}'
                                         CHECK (platforms <@ ARRAY['Android', 'IPhone', 'WindowsPhone']),
    created_at               timestamptz NOT NULL DEFAULT clock_timestamp(),
    updated_at               timestamptz NOT NULL DEFAULT clock_timestamp(),
    click_count              bigint      NOT NULL DEFAULT 0 CHECK (click_count >= 0),
    android_click_count      bigint      NOT NULL DEFAULT 0 CHECK (android_click_count >= 0),
    iphone_click_count       bigint      NOT NULL DEFAULT 0 CHECK (iphone_click_count >= 0),
    windowsphone_click_count bigint      NOT NULL DEFAULT 0 CHECK (windowsphone_click_count >= 0)
);

-- Newest first, with a keyset cursor of (created_at, id).
CREATE INDEX campaigns_newest_idx ON campaigns (created_at DESC, id DESC);

-- `?platforms=Android,IPhone` is `platforms && ARRAY[...]`, served by this index.
CREATE INDEX campaigns_platforms_idx ON campaigns USING gin (platforms);
