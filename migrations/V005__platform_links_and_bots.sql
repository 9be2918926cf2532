-- Smart tracking links. A fourth platform, Other, for visitors on none of the three (desktop, an
-- unknown or missing User-Agent); bots and link-preview fetchers counted apart, never in
-- click_count, which stays the sum of the human platform counters. Existing rows start at 0.
-- Adding columns with constant defaults rewrites nothing; the new CHECK is verified in one scan of
-- the table under its lock (about a second per million campaigns).
ALTER TABLE campaigns
    ADD COLUMN other_click_count bigint NOT NULL DEFAULT 0 CHECK (other_click_count >= 0),
    ADD COLUMN bot_click_count   bigint NOT NULL DEFAULT 0 CHECK (bot_click_count >= 0),
    -- Where a click of each platform goes instead of redirect_url: {"Android": "https://…"}.
    ADD COLUMN platform_urls     jsonb   NOT NULL DEFAULT '{}' CONSTRAINT campaigns_platform_urls_check CHECK (
        jsonb_typeof(platform_urls) = 'object'
        AND platform_urls - ARRAY['Android', 'IPhone', 'WindowsPhone', 'Other'] = '{}'::jsonb
        AND NOT jsonb_path_exists(platform_urls, 'strict $.* ? (@.type() != "string")')),
    -- Whether the tracking link's query parameters (other than platform) go on to the target.
    ADD COLUMN forward_query     boolean NOT NULL DEFAULT false;

-- Every existing row passed the stricter check it replaces: no scan to verify it again.
ALTER TABLE campaigns DROP CONSTRAINT campaigns_platforms_check,
    ADD CONSTRAINT campaigns_platforms_check CHECK (platforms <@ ARRAY['Android', 'IPhone', 'WindowsPhone', 'Other'])
    NOT VALID;

-- The new fields are part of where a click goes: changing them makes a new version (V004).
DROP TRIGGER campaigns_version ON campaigns;
CREATE TRIGGER campaigns_version BEFORE UPDATE OF redirect_url, platforms, platform_urls, forward_query ON campaigns
    FOR EACH ROW EXECUTE FUNCTION campaign_new_version();
