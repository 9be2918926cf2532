package com.o7tracker.cache;

import com.o7tracker.campaign.CampaignDao;
import com.o7tracker.db.DatabaseFactory;
import io.dropwizard.lifecycle.Managed;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Listens on PostgreSQL's {@code campaign_changed} channel, on a connection of its own, so a
 * campaign updated or deleted through any instance stops being served from this instance's cache
 * within milliseconds of the commit. Notifications sent while the connection was down are lost,
 * so every reconnect drops the whole in-process cache. After each (re)connect it fills the
 * in-process cache with every campaign (up to its size), so clicks rarely wait for a lookup.
 */
public class CampaignChangeListener implements Managed, Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(CampaignChangeListener.class);
    private static final int POLL_MILLIS = 250;

    private final String url;
    private final Properties properties;
    private final CampaignTargets targets;
    private final Thread thread;
    private volatile boolean running;

    public CampaignChangeListener(DatabaseFactory.Endpoint database, CampaignTargets targets) {
        this.url = database.url();
        this.properties = new Properties();
        properties.setProperty("user", database.user());
        properties.setProperty("password", database.password());
        properties.setProperty("connectTimeout", "3");
        properties.setProperty("tcpKeepAlive", "true");
        properties.setProperty("ApplicationName", "o7tracker-listener");
        this.targets = targets;
        this.thread = new Thread(this, "campaign-change-listener");
        this.thread.setDaemon(true);
    }

    @Override
    public void start() {
        running = true;
        thread.start();
    }

    @Override
    public void stop() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join(2_000);
    }

    @Override
    public void run() {
        boolean first = true;
        while (running) {
            try (Connection connection = DriverManager.getConnection(url, properties)) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("LISTEN " + CampaignDao.CHANGE_CHANNEL);
                }
                if (!first) {
                    targets.invalidateAll();
                    LOG.info("Listening for campaign changes again; in-process cache cleared");
                }
                first = false;
                PGConnection pg = connection.unwrap(PGConnection.class);
                // Listening first, so a change made while the cache fills is heard and wins.
                preload(pg);
                while (running) {
                    apply(pg.getNotifications(POLL_MILLIS));
                }
            } catch (SQLException e) {
                if (running) {
                    LOG.warn("Campaign change listener lost PostgreSQL ({}); retrying", e.getMessage());
                }
            }
            // Pause before reconnecting; the cache keeps serving what it has meanwhile.
            if (running) {
                try {
                    Thread.sleep(1_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private void preload(PGConnection pg) {
        long started = System.nanoTime();
        try {
            long loaded = targets.preload(() -> {
                try {
                    apply(pg.getNotifications(1));
                } catch (SQLException e) {
                    throw new IllegalStateException("lost the change notifications", e);
                }
            });
            LOG.info("{} campaign(s) loaded into the in-process cache in {} ms", loaded,
                    (System.nanoTime() - started) / 1_000_000);
        } catch (RuntimeException e) {
            LOG.warn("Could not fill the in-process cache ({}); campaigns are looked up as they are clicked", e.toString());
        }
    }

    private void apply(PGNotification[] notifications) {
        if (notifications == null) {
            return;
        }
        for (PGNotification notification : notifications) {
            changed(notification.getParameter());
        }
    }

    private void changed(String payload) {
        try {
            targets.changedElsewhere(Long.parseLong(payload));
        } catch (NumberFormatException e) {
            LOG.warn("Ignoring campaign change notification '{}'", payload);
        }
    }
}
