-- Every instance keeps its caches current by listening on campaign_changed. PostgreSQL now sends
-- that notification itself, in the transaction that changes a campaign's target, so a change by
-- any client reaches every instance once it commits: an operator's UPDATE, a restore, an instance
-- of the previous version. Until now the application sent it, and changes made with SQL were never
-- heard.
--
-- The payload is the campaign's id in decimal, as the application sent it, so the listener of the
-- previous version (beside this one during a rolling deploy) reads it as before. That version also
-- still sends its own notification for its changes; PostgreSQL folds identical notifications of one
-- transaction into one, and a listener re-reads the campaign from PostgreSQL whatever it hears, so
-- an extra one costs a read and nothing else.
--
-- The same columns as the version trigger (V004, V005): the counters' updates, every flush, tell
-- nothing. Row triggers do not fire on TRUNCATE.
CREATE FUNCTION campaign_notify_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        PERFORM pg_notify('campaign_changed', OLD.id::text);
    ELSE
        PERFORM pg_notify('campaign_changed', NEW.id::text);
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER campaigns_notify_changed
    AFTER INSERT OR DELETE OR UPDATE OF redirect_url, platforms, platform_urls, forward_query ON campaigns
    FOR EACH ROW EXECUTE FUNCTION campaign_notify_changed();
