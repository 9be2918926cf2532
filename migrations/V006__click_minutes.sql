-- Clicks per campaign and minute (the minute each click was served in, UTC), human clicks by
-- platform and bots by platform. Written in the same transaction as the campaign counters and
-- the journal position, so the buckets are exactly-once too and always sum to the counters:
-- click_count = android + iphone + windowsphone + other, bot_click_count = the bot_ columns.
-- A flush writes one row per (campaign, minute) it has clicks for, whatever their number.
CREATE TABLE click_minutes (
    campaign_id      bigint      NOT NULL,
    minute           timestamptz NOT NULL CHECK (date_trunc('minute', minute, 'UTC') = minute),
    android          bigint      NOT NULL DEFAULT 0 CHECK (android >= 0),
    iphone           bigint      NOT NULL DEFAULT 0 CHECK (iphone >= 0),
    windowsphone     bigint      NOT NULL DEFAULT 0 CHECK (windowsphone >= 0),
    other            bigint      NOT NULL DEFAULT 0 CHECK (other >= 0),
    bot_android      bigint      NOT NULL DEFAULT 0 CHECK (bot_android >= 0),
    bot_iphone       bigint      NOT NULL DEFAULT 0 CHECK (bot_iphone >= 0),
    bot_windowsphone bigint      NOT NULL DEFAULT 0 CHECK (bot_windowsphone >= 0),
    bot_other        bigint      NOT NULL DEFAULT 0 CHECK (bot_other >= 0),
    PRIMARY KEY (campaign_id, minute)
);

-- The stats over all campaigns read a time range first.
CREATE INDEX click_minutes_minute_idx ON click_minutes (minute);

-- Minute buckets are kept for a while (7 days by default), then rolled up into hour buckets,
-- kept indefinitely: the same columns per (campaign, hour).
CREATE TABLE click_hours (
    campaign_id      bigint      NOT NULL,
    hour             timestamptz NOT NULL CHECK (date_trunc('hour', hour, 'UTC') = hour),
    android          bigint      NOT NULL DEFAULT 0 CHECK (android >= 0),
    iphone           bigint      NOT NULL DEFAULT 0 CHECK (iphone >= 0),
    windowsphone     bigint      NOT NULL DEFAULT 0 CHECK (windowsphone >= 0),
    other            bigint      NOT NULL DEFAULT 0 CHECK (other >= 0),
    bot_android      bigint      NOT NULL DEFAULT 0 CHECK (bot_android >= 0),
    bot_iphone       bigint      NOT NULL DEFAULT 0 CHECK (bot_iphone >= 0),
    bot_windowsphone bigint      NOT NULL DEFAULT 0 CHECK (bot_windowsphone >= 0),
    bot_other        bigint      NOT NULL DEFAULT 0 CHECK (bot_other >= 0),
    PRIMARY KEY (campaign_id, hour)
);

CREATE INDEX click_hours_hour_idx ON click_hours (hour);
