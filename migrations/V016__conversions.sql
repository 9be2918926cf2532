-- What clicks turn into: conversions reported by partners (a postback naming a signed click id),
-- each counted once per (click id, event), and each campaign's totals of them.
--
-- The totals are columns of the campaign, as its click counters are: a campaign's answer reads one
-- row, and the postback's transaction adds to them under the campaign's row lock, in the same
-- transaction as the conversion's row (exact: a conversion is in both or in neither). None of
-- these columns is watched by the version and change-notification triggers (V004, V005, V007):
-- where a click goes does not depend on them.
--
-- The ALTER waits at most 10 s for its lock, as V010's and V012's: queued behind a long
-- transaction on campaigns it would hold back every click lookup and flush behind it. It fails
-- instead, the start fails with it, and the next start tries again. Columns with constant defaults
-- rewrite nothing.
SET LOCAL lock_timeout = '10s';

ALTER TABLE campaigns
    -- A postback later than this after the click's minute is not attributed (1-365 days, as the API takes it).
    ADD COLUMN conversion_window_days integer NOT NULL DEFAULT 30
        CONSTRAINT campaigns_conversion_window_days_check CHECK (conversion_window_days BETWEEN 1 AND 365),
    ADD COLUMN conversion_count bigint NOT NULL DEFAULT 0,
    -- {"install": 12, "purchase": 3}: the count per event.
    ADD COLUMN conversions jsonb NOT NULL DEFAULT '{}'
        CONSTRAINT campaigns_conversions_check CHECK (jsonb_typeof(conversions) = 'object'),
    -- {"EUR": 14.97}: the revenue per currency, exact (jsonb numbers are PostgreSQL numerics).
    ADD COLUMN revenue jsonb NOT NULL DEFAULT '{}'
        CONSTRAINT campaigns_revenue_check CHECK (jsonb_typeof(revenue) = 'object');

-- One row per conversion counted. Its campaign, platform, bot flag, country and click minute are
-- those the signed click id carries; accepted_at is when it was counted (the stats' buckets).
-- Rows stay when their campaign is deleted, as its clicks stay in the buckets.
CREATE TABLE conversions (
    click_id    text        NOT NULL CONSTRAINT conversions_click_id_check CHECK (click_id ~ '^[A-Za-z0-9_-]{1,64}$'),
    event       text        NOT NULL CONSTRAINT conversions_event_check CHECK (event ~ '^[a-z0-9_]{1,32}$'),
    campaign_id bigint      NOT NULL,
    platform    text        NOT NULL,
    bot         boolean     NOT NULL,
    country     text        NOT NULL CONSTRAINT conversions_country_check CHECK (country ~ '^[A-Z]{2}$'),
    clicked_at  timestamptz NOT NULL,
    accepted_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    revenue     numeric     CONSTRAINT conversions_revenue_check CHECK (revenue >= 0 AND scale(revenue) <= 6),
    currency    text        CONSTRAINT conversions_currency_check CHECK (currency ~ '^[A-Z]{3}$'),
    CONSTRAINT conversions_revenue_currency_check CHECK ((revenue IS NULL) = (currency IS NULL)),
    -- Exactly once: however often and however concurrently a partner sends the same postback.
    PRIMARY KEY (click_id, event)
);

-- A campaign's conversions over time, and all campaigns' (the stats by the minute accepted).
CREATE INDEX conversions_campaign_accepted_idx ON conversions (campaign_id, accepted_at);
CREATE INDEX conversions_accepted_idx ON conversions (accepted_at);
