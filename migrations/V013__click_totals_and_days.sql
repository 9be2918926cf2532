-- Kept totals, so that every stats answer reads a number of rows that does not grow with the
-- number of campaigns (all-campaign answers) nor with the hours of a long range (day and month rows):
--
--   click_total_minutes, click_total_hours, click_total_days: all campaigns' clicks per minute,
--     hour and day (deleted campaigns' included, as the all-campaign stats have them);
--   click_days, click_months: a campaign's clicks per day and month;
--   click_dimension_days: a campaign's clicks per dimension, day and value;
--   click_dimension_total_hours, click_dimension_total_days: all campaigns' clicks per dimension,
--     hour (day) and value;
--
-- each with the buckets' columns. They are written by the database itself, by statement triggers
-- on the tables the flush writes (click_minutes, click_dimension_hours), in the flush's
-- transaction: a flush that adds clicks to a bucket adds them to its totals in the same commit, so
-- the totals are exact as the buckets are, whichever version of o7tracker flushed (a previous
-- version beside this one during a rolling deploy writes them too, without knowing). A bucket's
-- rows only grow (x = x + n): a trigger adds the new rows' columns, or an update's new values less
-- its old ones. Moving minutes into hours (the rollup: a DELETE from click_minutes, an INSERT into
-- click_hours) changes no total. One statement per table, whatever the rows.
--
-- The migration takes the three click tables (in the order a flush and the rollup take them)
-- before it creates the triggers and fills the totals from the rows already there: a flush waits
-- for it to commit (the clicks wait in the journal), and none is counted twice or missed. It waits
-- at most 10 s for the tables, as migration 10 does for its own: queued behind a long
-- transaction it would hold back every instance's flush; without them the start fails and the
-- next start tries again.
SET LOCAL lock_timeout = '10s';
LOCK TABLE click_minutes, click_hours, click_dimension_hours IN SHARE ROW EXCLUSIVE MODE;

CREATE TABLE click_total_minutes (
    minute           timestamptz NOT NULL CHECK (date_trunc('minute', minute, 'UTC') = minute),
    android          bigint      NOT NULL DEFAULT 0 CHECK (android >= 0),
    iphone           bigint      NOT NULL DEFAULT 0 CHECK (iphone >= 0),
    windowsphone     bigint      NOT NULL DEFAULT 0 CHECK (windowsphone >= 0),
    other            bigint      NOT NULL DEFAULT 0 CHECK (other >= 0),
    bot_android      bigint      NOT NULL DEFAULT 0 CHECK (bot_android >= 0),
    bot_iphone       bigint      NOT NULL DEFAULT 0 CHECK (bot_iphone >= 0),
    bot_windowsphone bigint      NOT NULL DEFAULT 0 CHECK (bot_windowsphone >= 0),
    bot_other        bigint      NOT NULL DEFAULT 0 CHECK (bot_other >= 0),
    PRIMARY KEY (minute)
);

CREATE TABLE click_total_hours (
    hour             timestamptz NOT NULL CHECK (date_trunc('hour', hour, 'UTC') = hour),
    android          bigint      NOT NULL DEFAULT 0 CHECK (android >= 0),
    iphone           bigint      NOT NULL DEFAULT 0 CHECK (iphone >= 0),
    windowsphone     bigint      NOT NULL DEFAULT 0 CHECK (windowsphone >= 0),
    other            bigint      NOT NULL DEFAULT 0 CHECK (other >= 0),
    bot_android      bigint      NOT NULL DEFAULT 0 CHECK (bot_android >= 0),
    bot_iphone       bigint      NOT NULL DEFAULT 0 CHECK (bot_iphone >= 0),
    bot_windowsphone bigint      NOT NULL DEFAULT 0 CHECK (bot_windowsphone >= 0),
    bot_other        bigint      NOT NULL DEFAULT 0 CHECK (bot_other >= 0),
    PRIMARY KEY (hour)
);

CREATE TABLE click_total_days (
    day              timestamptz NOT NULL CHECK (date_trunc('day', day, 'UTC') = day),
    android          bigint      NOT NULL DEFAULT 0 CHECK (android >= 0),
    iphone           bigint      NOT NULL DEFAULT 0 CHECK (iphone >= 0),
    windowsphone     bigint      NOT NULL DEFAULT 0 CHECK (windowsphone >= 0),
    other            bigint      NOT NULL DEFAULT 0 CHECK (other >= 0),
    bot_android      bigint      NOT NULL DEFAULT 0 CHECK (bot_android >= 0),
    bot_iphone       bigint      NOT NULL DEFAULT 0 CHECK (bot_iphone >= 0),
    bot_windowsphone bigint      NOT NULL DEFAULT 0 CHECK (bot_windowsphone >= 0),
    bot_other        bigint      NOT NULL DEFAULT 0 CHECK (bot_other >= 0),
    PRIMARY KEY (day)
);

CREATE TABLE click_days (
    campaign_id      bigint      NOT NULL,
    day              timestamptz NOT NULL CHECK (date_trunc('day', day, 'UTC') = day),
    android          bigint      NOT NULL DEFAULT 0 CHECK (android >= 0),
    iphone           bigint      NOT NULL DEFAULT 0 CHECK (iphone >= 0),
    windowsphone     bigint      NOT NULL DEFAULT 0 CHECK (windowsphone >= 0),
    other            bigint      NOT NULL DEFAULT 0 CHECK (other >= 0),
    bot_android      bigint      NOT NULL DEFAULT 0 CHECK (bot_android >= 0),
    bot_iphone       bigint      NOT NULL DEFAULT 0 CHECK (bot_iphone >= 0),
    bot_windowsphone bigint      NOT NULL DEFAULT 0 CHECK (bot_windowsphone >= 0),
    bot_other        bigint      NOT NULL DEFAULT 0 CHECK (bot_other >= 0),
    PRIMARY KEY (campaign_id, day)
);

CREATE INDEX click_days_day_idx ON click_days (day);

-- Top campaigns over a year read 12 rows of each campaign, not 365.
CREATE TABLE click_months (
    campaign_id      bigint      NOT NULL,
    month            timestamptz NOT NULL CHECK (date_trunc('month', month, 'UTC') = month),
    android          bigint      NOT NULL DEFAULT 0 CHECK (android >= 0),
    iphone           bigint      NOT NULL DEFAULT 0 CHECK (iphone >= 0),
    windowsphone     bigint      NOT NULL DEFAULT 0 CHECK (windowsphone >= 0),
    other            bigint      NOT NULL DEFAULT 0 CHECK (other >= 0),
    bot_android      bigint      NOT NULL DEFAULT 0 CHECK (bot_android >= 0),
    bot_iphone       bigint      NOT NULL DEFAULT 0 CHECK (bot_iphone >= 0),
    bot_windowsphone bigint      NOT NULL DEFAULT 0 CHECK (bot_windowsphone >= 0),
    bot_other        bigint      NOT NULL DEFAULT 0 CHECK (bot_other >= 0),
    PRIMARY KEY (campaign_id, month)
);

CREATE INDEX click_months_month_idx ON click_months (month);

CREATE TABLE click_dimension_days (
    campaign_id      bigint      NOT NULL,
    dimension        text        NOT NULL CHECK (dimension IN ('country', 'referrer', 'utm_source', 'utm_medium',
                                                              'utm_campaign', 'language', 'os', 'browser')),
    day              timestamptz NOT NULL CHECK (date_trunc('day', day, 'UTC') = day),
    value            text        NOT NULL CHECK (length(value) BETWEEN 1 AND 253),
    android          bigint      NOT NULL DEFAULT 0 CHECK (android >= 0),
    iphone           bigint      NOT NULL DEFAULT 0 CHECK (iphone >= 0),
    windowsphone     bigint      NOT NULL DEFAULT 0 CHECK (windowsphone >= 0),
    other            bigint      NOT NULL DEFAULT 0 CHECK (other >= 0),
    bot_android      bigint      NOT NULL DEFAULT 0 CHECK (bot_android >= 0),
    bot_iphone       bigint      NOT NULL DEFAULT 0 CHECK (bot_iphone >= 0),
    bot_windowsphone bigint      NOT NULL DEFAULT 0 CHECK (bot_windowsphone >= 0),
    bot_other        bigint      NOT NULL DEFAULT 0 CHECK (bot_other >= 0),
    PRIMARY KEY (campaign_id, dimension, day, value)
);

CREATE TABLE click_dimension_total_hours (
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
    PRIMARY KEY (dimension, hour, value)
);

CREATE TABLE click_dimension_total_days (
    dimension        text        NOT NULL CHECK (dimension IN ('country', 'referrer', 'utm_source', 'utm_medium',
                                                              'utm_campaign', 'language', 'os', 'browser')),
    day              timestamptz NOT NULL CHECK (date_trunc('day', day, 'UTC') = day),
    value            text        NOT NULL CHECK (length(value) BETWEEN 1 AND 253),
    android          bigint      NOT NULL DEFAULT 0 CHECK (android >= 0),
    iphone           bigint      NOT NULL DEFAULT 0 CHECK (iphone >= 0),
    windowsphone     bigint      NOT NULL DEFAULT 0 CHECK (windowsphone >= 0),
    other            bigint      NOT NULL DEFAULT 0 CHECK (other >= 0),
    bot_android      bigint      NOT NULL DEFAULT 0 CHECK (bot_android >= 0),
    bot_iphone       bigint      NOT NULL DEFAULT 0 CHECK (bot_iphone >= 0),
    bot_windowsphone bigint      NOT NULL DEFAULT 0 CHECK (bot_windowsphone >= 0),
    bot_other        bigint      NOT NULL DEFAULT 0 CHECK (bot_other >= 0),
    PRIMARY KEY (dimension, day, value)
);

-- The series of one value reads that value's hours (days) of one dimension, without the others';
-- top campaigns of one value (all campaigns) read it by dimension and value.
CREATE INDEX click_dimension_hours_value_idx ON click_dimension_hours (campaign_id, dimension, value, hour);
CREATE INDEX click_dimension_days_value_idx ON click_dimension_days (campaign_id, dimension, value, day);
CREATE INDEX click_dimension_days_of_all_idx ON click_dimension_days (dimension, value, day);
CREATE INDEX click_dimension_total_hours_value_idx ON click_dimension_total_hours (dimension, value, hour);
CREATE INDEX click_dimension_total_days_value_idx ON click_dimension_total_days (dimension, value, day);

-- The breakdowns over all campaigns read click_dimension_total_hours and _days now: the index
-- (dimension, hour) they read becomes (dimension, value, hour), for the hours around the days of
-- top campaigns of one value (a previous version's breakdown over all campaigns, during a rolling
-- deploy, reads the table without an index of its own).
DROP INDEX click_dimension_hours_hour_idx;
CREATE INDEX click_dimension_hours_of_all_idx ON click_dimension_hours (dimension, value, hour);

-- click_minutes' new clicks: of all campaigns per minute, hour and day; of each campaign per day and month.
CREATE FUNCTION click_minutes_add_to_totals() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        WITH d AS (SELECT campaign_id, minute, android, iphone, windowsphone, other, bot_android, bot_iphone, bot_windowsphone, bot_other FROM new_rows)
        INSERT INTO click_total_minutes AS t (minute, android, iphone, windowsphone, other, bot_android, bot_iphone, bot_windowsphone, bot_other)
            SELECT minute, sum(android), sum(iphone), sum(windowsphone), sum(other), sum(bot_android), sum(bot_iphone), sum(bot_windowsphone), sum(bot_other) FROM d GROUP BY 1 ORDER BY 1
            ON CONFLICT (minute) DO UPDATE SET
            android = t.android + EXCLUDED.android,
            iphone = t.iphone + EXCLUDED.iphone,
            windowsphone = t.windowsphone + EXCLUDED.windowsphone,
            other = t.other + EXCLUDED.other,
            bot_android = t.bot_android + EXCLUDED.bot_android,
            bot_iphone = t.bot_iphone + EXCLUDED.bot_iphone,
            bot_windowsphone = t.bot_windowsphone + EXCLUDED.bot_windowsphone,
            bot_other = t.bot_other + EXCLUDED.bot_other;
        WITH d AS (SELECT campaign_id, minute, android, iphone, windowsphone, other, bot_android, bot_iphone, bot_windowsphone, bot_other FROM new_rows)
        INSERT INTO click_total_hours AS t (hour, android, iphone, windowsphone, other, bot_android, bot_iphone, bot_windowsphone, bot_other)
            SELECT date_trunc('hour', minute, 'UTC'), sum(android), sum(iphone), sum(windowsphone), sum(other), sum(bot_android), sum(bot_iphone), sum(bot_windowsphone), sum(bot_other) FROM d GROUP BY 1 ORDER BY 1
            ON CONFLICT (hour) DO UPDATE SET
            android = t.android + EXCLUDED.android,
            iphone = t.iphone + EXCLUDED.iphone,
            windowsphone = t.windowsphone + EXCLUDED.windowsphone,
            other = t.other + EXCLUDED.other,
            bot_android = t.bot_android + EXCLUDED.bot_android,
            bot_iphone = t.bot_iphone + EXCLUDED.bot_iphone,
            bot_windowsphone = t.bot_windowsphone + EXCLUDED.bot_windowsphone,
            bot_other = t.bot_other + EXCLUDED.bot_other;
        WITH d AS (SELECT campaign_id, minute, android, iphone, windowsphone, other, bot_android, bot_iphone, bot_windowsphone, bot_other FROM new_rows)
        INSERT INTO click_total_days AS t (day, android, iphone, windowsphone, other, bot_android, bot_iphone, bot_windowsphone, bot_other)
            SELECT date_trunc('day', minute, 'UTC'), sum(android), sum(iphone), sum(windowsphone), sum(other), sum(bot_android), sum(bot_iphone), sum(bot_windowsphone), sum(bot_other) FROM d GROUP BY 1 ORDER BY 1
            ON CONFLICT (day) DO UPDATE SET
            android = t.android + EXCLUDED.android,
            iphone = t.iphone + EXCLUDED.iphone,
            windowsphone = t.windowsphone + EXCLUDED.windowsphone,
            other = t.other + EXCLUDED.other,
            bot_android = t.bot_android + EXCLUDED.bot_android,
            bot_iphone = t.bot_iphone + EXCLUDED.bot_iphone,
            bot_windowsphone = t.bot_windowsphone + EXCLUDED.bot_windowsphone,
            bot_other = t.bot_other + EXCLUDED.bot_other;
        WITH d AS (SELECT campaign_id, minute, android, iphone, windowsphone, other, bot_android, bot_iphone, bot_windowsphone, bot_other FROM new_rows)
        INSERT INTO click_days AS t (campaign_id, day, android, iphone, windowsphone, other, bot_android, bot_iphone, bot_windowsphone, bot_other)
            SELECT campaign_id, date_trunc('day', minute, 'UTC'), sum(android), sum(iphone), sum(windowsphone), sum(other), sum(bot_android), sum(bot_iphone), sum(bot_windowsphone), sum(bot_other) FROM d GROUP BY 1, 2 ORDER BY 1, 2
            ON CONFLICT (campaign_id, day) DO UPDATE SET
            android = t.android + EXCLUDED.android,
            iphone = t.iphone + EXCLUDED.iphone,
            windowsphone = t.windowsphone + EXCLUDED.windowsphone,
            other = t.other + EXCLUDED.other,
            bot_android = t.bot_android + EXCLUDED.bot_android,
            bot_iphone = t.bot_iphone + EXCLUDED.bot_iphone,
            bot_windowsphone = t.bot_windowsphone + EXCLUDED.bot_windowsphone,
            bot_other = t.bot_other + EXCLUDED.bot_other;
        WITH d AS (SELECT campaign_id, minute, android, iphone, windowsphone, other, bot_android, bot_iphone, bot_windowsphone, bot_other FROM new_rows)
        INSERT INTO click_months AS t (campaign_id, month, android, iphone, windowsphone, other, bot_android, bot_iphone, bot_windowsphone, bot_other)
            SELECT campaign_id, date_trunc('month', minute, 'UTC'), sum(android), sum(iphone), sum(windowsphone), sum(other), sum(bot_android), sum(bot_iphone), sum(bot_windowsphone), sum(bot_other) FROM d GROUP BY 1, 2 ORDER BY 1, 2
            ON CONFLICT (campaign_id, month) DO UPDATE SET
            android = t.android + EXCLUDED.android,
            iphone = t.iphone + EXCLUDED.iphone,
            windowsphone = t.windowsphone + EXCLUDED.windowsphone,
            other = t.other + EXCLUDED.other,
            bot_android = t.bot_android + EXCLUDED.bot_android,
            bot_iphone = t.bot_iphone + EXCLUDED.bot_iphone,
            bot_windowsphone = t.bot_windowsphone + EXCLUDED.bot_windowsphone,
            bot_other = t.bot_other + EXCLUDED.bot_other;
    ELSE
        WITH d AS (SELECT campaign_id, minute, android, iphone, windowsphone, other, bot_android, bot_iphone, bot_windowsphone, bot_other FROM new_rows UNION ALL SELECT campaign_id, minute, -android, -iphone, -windowsphone, -other, -bot_android, -bot_iphone, -bot_windowsphone, -bot_other FROM old_rows)
        INSERT INTO click_total_minutes AS t (minute, android, iphone, windowsphone, other, bot_android, bot_iphone, bot_windowsphone, bot_other)
            SELECT minute, sum(android), sum(iphone), sum(windowsphone), sum(other), sum(bot_android), sum(bot_iphone), sum(bot_windowsphone), sum(bot_other) FROM d GROUP BY 1 ORDER BY 1
            ON CONFLICT (minute) DO UPDATE SET
            android = t.android + EXCLUDED.android,
            iphone = t.iphone + EXCLUDED.iphone,
            windowsphone = t.windowsphone + EXCLUDED.windowsphone,
            other = t.other + EXCLUDED.other,
            bot_android = t.bot_android + EXCLUDED.bot_android,
            bot_iphone = t.bot_iphone + EXCLUDED.bot_iphone,
            bot_windowsphone = t.bot_windowsphone + EXCLUDED.bot_windowsphone,
            bot_other = t.bot_other + EXCLUDED.bot_other;
        WITH d AS (SELECT campaign_id, minute, android, iphone, windowsphone, other, bot_android, bot_iphone, bot_windowsphone, bot_other FROM new_rows UNION ALL SELECT campaign_id, minute, -android, -iphone, -windowsphone, -other, -bot_android, -bot_iphone, -bot_windowsphone, -bot_other FROM old_rows)
        INSERT INTO click_total_hours AS t (hour, android, iphone, windowsphone, other, bot_android, bot_iphone, bot_windowsphone, bot_other)
            SELECT date_trunc('hour', minute, 'UTC'), sum(android), sum(iphone), sum(windowsphone), sum(other), sum(bot_android), sum(bot_iphone), sum(bot_windowsphone), sum(bot_other) FROM d GROUP BY 1 ORDER BY 1
            ON CONFLICT (hour) DO UPDATE SET
            android = t.android + EXCLUDED.android,
            iphone = t.iphone + EXCLUDED.iphone,
            windowsphone = t.windowsphone + EXCLUDED.windowsphone,
            other = t.other + EXCLUDED.other,
            bot_android = t.bot_android + EXCLUDED.bot_android,
            bot_iphone = t.bot_iphone + EXCLUDED.bot_iphone,
            bot_windowsphone = t.bot_windowsphone + EXCLUDED.bot_windowsphone,
            bot_other = t.bot_other + EXCLUDED.bot_other;
        WITH d AS (SELECT campaign_id, minute, android, iphone, windowsphone, other, bot_android, bot_iphone, bot_windowsphone, bot_other FROM new_rows UNION ALL SELECT campaign_id, minute, -android, -iphone, -windowsphone, -other, -bot_android, -bot_iphone, -bot_windowsphone, -bot_other FROM old_rows)
        INSERT INTO click_total_days AS t (day, android, iphone, windowsphone, other, bot_android, bot_iphone, bot_windowsphone, bot_other)
            SELECT date_trunc('day', minute, 'UTC'), sum(android), sum(iphone), sum(windowsphone), sum(other), sum(bot_android), sum(bot_iphone), sum(bot_windowsphone), sum(bot_other) FROM d GROUP BY 1 ORDER BY 1
            ON CONFLICT (day) DO UPDATE SET
            android = t.android + EXCLUDED.android,
            iphone = t.iphone + EXCLUDED.iphone,
            windowsphone = t.windowsphone + EXCLUDED.windowsphone,
            other = t.other + EXCLUDED.other,
            bot_android = t.bot_android + EXCLUDED.bot_android,
            bot_iphone = t.bot_iphone + EXCLUDED.bot_iphone,
            bot_windowsphone = t.bot_windowsphone + EXCLUDED.bot_windowsphone,
            bot_other = t.bot_other + EXCLUDED.bot_other;
        WITH d AS (SELECT campaign_id, minute, android, iphone, windowsphone, other, bot_android, bot_iphone, bot_windowsphone, bot_other FROM new_rows UNION ALL SELECT campaign_id, minute, -android, -iphone, -windowsphone, -other, -bot_android, -bot_iphone, -bot_windowsphone, -bot_other FROM old_rows)
        INSERT INTO click_days AS t (campaign_id, day, android, iphone, windowsphone, other, bot_android, bot_iphone, bot_windowsphone, bot_other)
            SELECT campaign_id, date_trunc('day', minute, 'UTC'), sum(android), sum(iphone), sum(windowsphone), sum(other), sum(bot_android), sum(bot_iphone), sum(bot_windowsphone), sum(bot_other) FROM d GROUP BY 1, 2 ORDER BY 1, 2
            ON CONFLICT (campaign_id, day) DO UPDATE SET
            android = t.android + EXCLUDED.android,
            iphone = t.iphone + EXCLUDED.iphone,
            windowsphone = t.windowsphone + EXCLUDED.windowsphone,
            other = t.other + EXCLUDED.other,
            bot_android = t.bot_android + EXCLUDED.bot_android,
            bot_iphone = t.bot_iphone + EXCLUDED.bot_iphone,
            bot_windowsphone = t.bot_windowsphone + EXCLUDED.bot_windowsphone,
            bot_other = t.bot_other + EXCLUDED.bot_other;
        WITH d AS (SELECT campaign_id, minute, android, iphone, windowsphone, other, bot_android, bot_iphone, bot_windowsphone, bot_other FROM new_rows UNION ALL SELECT campaign_id, minute, -android, -iphone, -windowsphone, -other, -bot_android, -bot_iphone, -bot_windowsphone, -bot_other FROM old_rows)
        INSERT INTO click_months AS t (campaign_id, month, android, iphone, windowsphone, other, bot_android, bot_iphone, bot_windowsphone, bot_other)
            SELECT campaign_id, date_trunc('month', minute, 'UTC'), sum(android), sum(iphone), sum(windowsphone), sum(other), sum(bot_android), sum(bot_iphone), sum(bot_windowsphone), sum(bot_other) FROM d GROUP BY 1, 2 ORDER BY 1, 2
            ON CONFLICT (campaign_id, month) DO UPDATE SET
            android = t.android + EXCLUDED.android,
            iphone = t.iphone + EXCLUDED.iphone,
            windowsphone = t.windowsphone + EXCLUDED.windowsphone,
            other = t.other + EXCLUDED.other,
            bot_android = t.bot_android + EXCLUDED.bot_android,
            bot_iphone = t.bot_iphone + EXCLUDED.bot_iphone,
            bot_windowsphone = t.bot_windowsphone + EXCLUDED.bot_windowsphone,
            bot_other = t.bot_other + EXCLUDED.bot_other;
    END IF;
    RETURN NULL;
END
$$;

-- click_dimension_hours' new clicks: of each campaign per day, of all campaigns per hour and day.
CREATE FUNCTION click_dimension_hours_add_to_totals() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        WITH d AS (SELECT campaign_id, dimension, hour, value, android, iphone, windowsphone, other, bot_android, bot_iphone, bot_windowsphone, bot_other FROM new_rows)
        INSERT INTO click_dimension_days AS t (campaign_id, dimension, day, value, android, iphone, windowsphone, other, bot_android, bot_iphone, bot_windowsphone, bot_other)
            SELECT campaign_id, dimension, date_trunc('day', hour, 'UTC'), value, sum(android), sum(iphone), sum(windowsphone), sum(other), sum(bot_android), sum(bot_iphone), sum(bot_windowsphone), sum(bot_other) FROM d GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
            ON CONFLICT (campaign_id, dimension, day, value) DO UPDATE SET
            android = t.android + EXCLUDED.android,
            iphone = t.iphone + EXCLUDED.iphone,
            windowsphone = t.windowsphone + EXCLUDED.windowsphone,
            other = t.other + EXCLUDED.other,
            bot_android = t.bot_android + EXCLUDED.bot_android,
            bot_iphone = t.bot_iphone + EXCLUDED.bot_iphone,
            bot_windowsphone = t.bot_windowsphone + EXCLUDED.bot_windowsphone,
            bot_other = t.bot_other + EXCLUDED.bot_other;
        WITH d AS (SELECT campaign_id, dimension, hour, value, android, iphone, windowsphone, other, bot_android, bot_iphone, bot_windowsphone, bot_other FROM new_rows)
        INSERT INTO click_dimension_total_hours AS t (dimension, hour, value, android, iphone, windowsphone, other, bot_android, bot_iphone, bot_windowsphone, bot_other)
            SELECT dimension, hour, value, sum(android), sum(iphone), sum(windowsphone), sum(other), sum(bot_android), sum(bot_iphone), sum(bot_windowsphone), sum(bot_other) FROM d GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
            ON CONFLICT (dimension, hour, value) DO UPDATE SET
            android = t.android + EXCLUDED.android,
            iphone = t.iphone + EXCLUDED.iphone,
            windowsphone = t.windowsphone + EXCLUDED.windowsphone,
            other = t.other + EXCLUDED.other,
            bot_android = t.bot_android + EXCLUDED.bot_android,
            bot_iphone = t.bot_iphone + EXCLUDED.bot_iphone,
            bot_windowsphone = t.bot_windowsphone + EXCLUDED.bot_windowsphone,
            bot_other = t.bot_other + EXCLUDED.bot_other;
        WITH d AS (SELECT campaign_id, dimension, hour, value, android, iphone, windowsphone, other, bot_android, bot_iphone, bot_windowsphone, bot_other FROM new_rows)
        INSERT INTO click_dimension_total_days AS t (dimension, day, value, android, iphone, windowsphone, other, bot_android, bot_iphone, bot_windowsphone, bot_other)
            SELECT dimension, date_trunc('day', hour, 'UTC'), value, sum(android), sum(iphone), sum(windowsphone), sum(other), sum(bot_android), sum(bot_iphone), sum(bot_windowsphone), sum(bot_other) FROM d GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
            ON CONFLICT (dimension, day, value) DO UPDATE SET
            android = t.android + EXCLUDED.android,
            iphone = t.iphone + EXCLUDED.iphone,
            windowsphone = t.windowsphone + EXCLUDED.windowsphone,
            other = t.other + EXCLUDED.other,
            bot_android = t.bot_android + EXCLUDED.bot_android,
            bot_iphone = t.bot_iphone + EXCLUDED.bot_iphone,
            bot_windowsphone = t.bot_windowsphone + EXCLUDED.bot_windowsphone,
            bot_other = t.bot_other + EXCLUDED.bot_other;
    ELSE
        WITH d AS (SELECT campaign_id, dimension, hour, value, android, iphone, windowsphone, other, bot_android, bot_iphone, bot_windowsphone, bot_other FROM new_rows UNION ALL SELECT campaign_id, dimension, hour, value, -android, -iphone, -windowsphone, -other, -bot_android, -bot_iphone, -bot_windowsphone, -bot_other FROM old_rows)
        INSERT INTO click_dimension_days AS t (campaign_id, dimension, day, value, android, iphone, windowsphone, other, bot_android, bot_iphone, bot_windowsphone, bot_other)
            SELECT campaign_id, dimension, date_trunc('day', hour, 'UTC'), value, sum(android), sum(iphone), sum(windowsphone), sum(other), sum(bot_android), sum(bot_iphone), sum(bot_windowsphone), sum(bot_other) FROM d GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
            ON CONFLICT (campaign_id, dimension, day, value) DO UPDATE SET
            android = t.android + EXCLUDED.android,
            iphone = t.iphone + EXCLUDED.iphone,
            windowsphone = t.windowsphone + EXCLUDED.windowsphone,
            other = t.other + EXCLUDED.other,
            bot_android = t.bot_android + EXCLUDED.bot_android,
            bot_iphone = t.bot_iphone + EXCLUDED.bot_iphone,
            bot_windowsphone = t.bot_windowsphone + EXCLUDED.bot_windowsphone,
            bot_other = t.bot_other + EXCLUDED.bot_other;
        WITH d AS (SELECT campaign_id, dimension, hour, value, android, iphone, windowsphone, other, bot_android, bot_iphone, bot_windowsphone, bot_other FROM new_rows UNION ALL SELECT campaign_id, dimension, hour, value, -android, -iphone, -windowsphone, -other, -bot_android, -bot_iphone, -bot_windowsphone, -bot_other FROM old_rows)
        INSERT INTO click_dimension_total_hours AS t (dimension, hour, value, android, iphone, windowsphone, other, bot_android, bot_iphone, bot_windowsphone, bot_other)
            SELECT dimension, hour, value, sum(android), sum(iphone), sum(windowsphone), sum(other), sum(bot_android), sum(bot_iphone), sum(bot_windowsphone), sum(bot_other) FROM d GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
            ON CONFLICT (dimension, hour, value) DO UPDATE SET
            android = t.android + EXCLUDED.android,
            iphone = t.iphone + EXCLUDED.iphone,
            windowsphone = t.windowsphone + EXCLUDED.windowsphone,
            other = t.other + EXCLUDED.other,
            bot_android = t.bot_android + EXCLUDED.bot_android,
            bot_iphone = t.bot_iphone + EXCLUDED.bot_iphone,
            bot_windowsphone = t.bot_windowsphone + EXCLUDED.bot_windowsphone,
            bot_other = t.bot_other + EXCLUDED.bot_other;
        WITH d AS (SELECT campaign_id, dimension, hour, value, android, iphone, windowsphone, other, bot_android, bot_iphone, bot_windowsphone, bot_other FROM new_rows UNION ALL SELECT campaign_id, dimension, hour, value, -android, -iphone, -windowsphone, -other, -bot_android, -bot_iphone, -bot_windowsphone, -bot_other FROM old_rows)
        INSERT INTO click_dimension_total_days AS t (dimension, day, value, android, iphone, windowsphone, other, bot_android, bot_iphone, bot_windowsphone, bot_other)
            SELECT dimension, date_trunc('day', hour, 'UTC'), value, sum(android), sum(iphone), sum(windowsphone), sum(other), sum(bot_android), sum(bot_iphone), sum(bot_windowsphone), sum(bot_other) FROM d GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
            ON CONFLICT (dimension, day, value) DO UPDATE SET
            android = t.android + EXCLUDED.android,
            iphone = t.iphone + EXCLUDED.iphone,
            windowsphone = t.windowsphone + EXCLUDED.windowsphone,
            other = t.other + EXCLUDED.other,
            bot_android = t.bot_android + EXCLUDED.bot_android,
            bot_iphone = t.bot_iphone + EXCLUDED.bot_iphone,
            bot_windowsphone = t.bot_windowsphone + EXCLUDED.bot_windowsphone,
            bot_other = t.bot_other + EXCLUDED.bot_other;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER click_minutes_inserted AFTER INSERT ON click_minutes
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION click_minutes_add_to_totals();
CREATE TRIGGER click_minutes_updated AFTER UPDATE ON click_minutes
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION click_minutes_add_to_totals();

CREATE TRIGGER click_dimension_hours_inserted AFTER INSERT ON click_dimension_hours
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION click_dimension_hours_add_to_totals();
CREATE TRIGGER click_dimension_hours_updated AFTER UPDATE ON click_dimension_hours
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION click_dimension_hours_add_to_totals();

-- The totals of the rows already there.
INSERT INTO click_total_minutes (minute, android, iphone, windowsphone, other, bot_android, bot_iphone, bot_windowsphone, bot_other)
SELECT minute, sum(android), sum(iphone), sum(windowsphone), sum(other), sum(bot_android), sum(bot_iphone), sum(bot_windowsphone), sum(bot_other)
FROM click_minutes GROUP BY 1;

INSERT INTO click_total_hours (hour, android, iphone, windowsphone, other, bot_android, bot_iphone, bot_windowsphone, bot_other)
SELECT date_trunc('hour', at, 'UTC'), sum(android), sum(iphone), sum(windowsphone), sum(other), sum(bot_android), sum(bot_iphone), sum(bot_windowsphone), sum(bot_other)
FROM (SELECT campaign_id, minute AS at, android, iphone, windowsphone, other, bot_android, bot_iphone, bot_windowsphone, bot_other FROM click_minutes
      UNION ALL SELECT campaign_id, hour, android, iphone, windowsphone, other, bot_android, bot_iphone, bot_windowsphone, bot_other FROM click_hours) AS m GROUP BY 1;

INSERT INTO click_total_days (day, android, iphone, windowsphone, other, bot_android, bot_iphone, bot_windowsphone, bot_other)
SELECT date_trunc('day', at, 'UTC'), sum(android), sum(iphone), sum(windowsphone), sum(other), sum(bot_android), sum(bot_iphone), sum(bot_windowsphone), sum(bot_other)
FROM (SELECT campaign_id, minute AS at, android, iphone, windowsphone, other, bot_android, bot_iphone, bot_windowsphone, bot_other FROM click_minutes
      UNION ALL SELECT campaign_id, hour, android, iphone, windowsphone, other, bot_android, bot_iphone, bot_windowsphone, bot_other FROM click_hours) AS m GROUP BY 1;

INSERT INTO click_days (campaign_id, day, android, iphone, windowsphone, other, bot_android, bot_iphone, bot_windowsphone, bot_other)
SELECT campaign_id, date_trunc('day', at, 'UTC'), sum(android), sum(iphone), sum(windowsphone), sum(other), sum(bot_android), sum(bot_iphone), sum(bot_windowsphone), sum(bot_other)
FROM (SELECT campaign_id, minute AS at, android, iphone, windowsphone, other, bot_android, bot_iphone, bot_windowsphone, bot_other FROM click_minutes
      UNION ALL SELECT campaign_id, hour, android, iphone, windowsphone, other, bot_android, bot_iphone, bot_windowsphone, bot_other FROM click_hours) AS m GROUP BY 1, 2;

INSERT INTO click_months (campaign_id, month, android, iphone, windowsphone, other, bot_android, bot_iphone, bot_windowsphone, bot_other)
SELECT campaign_id, date_trunc('month', at, 'UTC'), sum(android), sum(iphone), sum(windowsphone), sum(other), sum(bot_android), sum(bot_iphone), sum(bot_windowsphone), sum(bot_other)
FROM (SELECT campaign_id, minute AS at, android, iphone, windowsphone, other, bot_android, bot_iphone, bot_windowsphone, bot_other FROM click_minutes
      UNION ALL SELECT campaign_id, hour, android, iphone, windowsphone, other, bot_android, bot_iphone, bot_windowsphone, bot_other FROM click_hours) AS m GROUP BY 1, 2;

INSERT INTO click_dimension_days (campaign_id, dimension, day, value, android, iphone, windowsphone, other, bot_android, bot_iphone, bot_windowsphone, bot_other)
SELECT campaign_id, dimension, date_trunc('day', hour, 'UTC'), value, sum(android), sum(iphone), sum(windowsphone), sum(other), sum(bot_android), sum(bot_iphone), sum(bot_windowsphone), sum(bot_other)
FROM click_dimension_hours GROUP BY 1, 2, 3, 4;

INSERT INTO click_dimension_total_hours (dimension, hour, value, android, iphone, windowsphone, other, bot_android, bot_iphone, bot_windowsphone, bot_other)
SELECT dimension, hour, value, sum(android), sum(iphone), sum(windowsphone), sum(other), sum(bot_android), sum(bot_iphone), sum(bot_windowsphone), sum(bot_other)
FROM click_dimension_hours GROUP BY 1, 2, 3;

INSERT INTO click_dimension_total_days (dimension, day, value, android, iphone, windowsphone, other, bot_android, bot_iphone, bot_windowsphone, bot_other)
SELECT dimension, date_trunc('day', hour, 'UTC'), value, sum(android), sum(iphone), sum(windowsphone), sum(other), sum(bot_android), sum(bot_iphone), sum(bot_windowsphone), sum(bot_other)
FROM click_dimension_hours GROUP BY 1, 2, 3;
