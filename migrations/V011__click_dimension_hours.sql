-- Where clicks came from and on what, per campaign, dimension and hour (UTC): one row per value
-- a campaign's clicks had in that hour, with the same columns as the buckets (human clicks by
-- platform, bots by platform). Written by the flush in the same transaction as the counters, the
-- minute buckets and the journal position, merged by UPSERT across instances: for a range that
-- holds all of a campaign's clicks since this version, every dimension's rows sum, column by
-- column, to the campaign's counters.
--
-- dimension: the name the breakdowns use (by=country). value: the click's value after the rules
-- of dimension/Values (an ISO 3166-1 alpha-2 code or ZZ, a referrer's host, a utm value, a
-- language subtag, an OS or browser name), '(none)' when the click did not tell, '(other)' past
-- the bound of distinct values an instance keeps per (campaign, hour, dimension). Text from
-- visitors: shown as text, never as markup. Kept indefinitely, like the hour buckets; a campaign
-- without clicks has no rows.
CREATE TABLE click_dimension_hours (
    campaign_id      bigint      NOT NULL,
    dimension        text        NOT NULL CHECK (dimension IN ('country', 'referrer', 'utm_source', 'utm_medium',
                                                              'utm_campaign', 'language', 'os', 'browser')),
    hour             timestamptz NOT NULL CHECK (date_trunc('hour', hour, 'UTC') = hour),
    value            text        NOT NULL CHECK (length(value) BETWEEN 1 AND 253),
    android          bigint      NOT NULL DEFAULT 0 CHECK (android >= 0),
    iphone           bigint      NOT NULL DEFAULT 0 CHECK (iphone >= 0),
    windowsphone     bigint      NOT NULL DEFAULT 0 CHECK (windowsphone >= 0),
    other            bigint      NOT NULL DEFAULT 0 CHECK (other >= 0),
    bot_android      bigint      NOT NULL DEFAULT 0 CHECK (bot_android >= 0),
    bot_iphone       bigint      NOT NULL DEFAULT 0 CHECK (bot_iphone >= 0),
    bot_windowsphone bigint      NOT NULL DEFAULT 0 CHECK (bot_windowsphone >= 0),
    bot_other        bigint      NOT NULL DEFAULT 0 CHECK (bot_other >= 0),
    PRIMARY KEY (campaign_id, dimension, hour, value)
);

-- The breakdowns over all campaigns read one dimension's range of hours.
CREATE INDEX click_dimension_hours_hour_idx ON click_dimension_hours (dimension, hour);
