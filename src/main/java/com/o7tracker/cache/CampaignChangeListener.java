package com.o7tracker.cache;

import com.o7tracker.campaign.CampaignDao;
import com.o7tracker.notify.CampaignChanged;
import com.o7tracker.notify.Notifications;
import com.o7tracker.notify.Subscriber;
import io.dropwizard.lifecycle.Managed;
import java.sql.SQLException;
import java.util.Optional;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the campaign lookups current with the campaign_changed notifications, so a campaign
 * created, updated or deleted by any client (any instance, or SQL by hand: PostgreSQL's trigger
 * sends the notification) is re-read from PostgreSQL by this instance within milliseconds of the
 * commit. Whenever the listening connection (re)connects it reloads every campaign and the
 * deletions it may have missed; the same reload fills the in-process cache at start, so clicks
 * rarely wait for a lookup. Reads go through the listening connection, so a change heard is
 * re-read whatever state the pools are in.
 */
public class CampaignChangeListener implements Subscriber, Managed {

    private static final Logger LOG = LoggerFactory.getLogger(CampaignChangeListener.class);

    private final CampaignDao dao;
    private final CampaignTargets targets;
    /** The campaigns read through the connection listening now ({@link Notifications#listeningJdbi}). */
    private final CampaignDao listening;

    public CampaignChangeListener(CampaignDao dao, CampaignTargets targets, Notifications notifications) {
        this.dao = dao;
        this.targets = targets;
        this.listening = notifications.listeningJdbi().onDemand(CampaignDao.class);
    }

    /** Loads the recent deletions before the first click (the campaigns load once listening, in the background). */
    @Override
    public void start() {
        try {
            targets.loadDeletions(dao, Optional.empty());
        } catch (RuntimeException e) {
            LOG.warn("Could not load the recent campaign deletions yet ({}); the listener retries", e.toString());
        }
    }

    /** Reloads every campaign and the recent deletions; the cache is complete from then on if they all fit. */
    @Override
    public void connected(Listening connection) throws SQLException {
        if (connection.heardUntil().isPresent()) {
            LOG.info("Listening for campaign changes again; reloading what may have been missed since {}",
                    connection.heardUntil().get());
        }
        long started = System.nanoTime();
        try {
            long loaded = targets.refreshAll(listening, connection.heardUntil(), () -> {
                try {
                    connection.hearPending();
                } catch (SQLException e) {
                    throw new IllegalStateException("lost the change notifications", e);
                }
            });
            LOG.info("{} campaign(s) loaded into the in-process cache in {} ms", loaded,
                    (System.nanoTime() - started) / 1_000_000);
        } catch (RuntimeException e) {
            LOG.warn("Could not fill the in-process cache ({}); campaigns are looked up as they are clicked", e.toString());
            throw new SQLException("the campaigns could not be reloaded");
        }
    }

    /** Re-reads the campaign; a re-read that fails ends the connection, so the reconnect reloads everything. */
    @Override
    public void heard(String payload) throws SQLException {
        OptionalLong id = CampaignChanged.parse(payload);
        if (id.isEmpty()) {
            LOG.warn("Ignoring campaign change notification '{}'", payload);
            return;
        }
        boolean reread;
        try {
            reread = targets.changed(listening, id.getAsLong());
        } catch (RuntimeException e) {
            reread = false; // not kept in the caches: as good as not read
        }
        if (!reread) {
            throw new SQLException("campaign " + id.getAsLong() + " could not be re-read after its change");
        }
    }

    @Override
    public void lost() {
        targets.notificationsLost();
    }
}
