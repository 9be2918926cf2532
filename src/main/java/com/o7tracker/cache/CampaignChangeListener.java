package com.o7tracker.cache;

import com.o7tracker.campaign.CampaignDao;
import com.o7tracker.db.DatabaseFactory;
import io.dropwizard.lifecycle.Managed;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jdbi.v3.core.ConnectionFactory;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Listens on PostgreSQL's {@code campaign_changed} channel, on a connection of its own, so a
 * campaign created, updated or deleted by any client (any instance, or SQL by hand: PostgreSQL's
 * trigger sends the notification) is re-read from PostgreSQL by this instance within milliseconds
 * of the commit. Every few seconds it checks that the connection
 * still answers, so a silently dead connection (a failover, a dropped NAT entry) is noticed within
 * seconds; it then reconnects at once and reloads every campaign and the deletions it may have
 * missed. The same reload fills the in-process cache at start, so clicks rarely wait for a lookup.
 * The same connection hears the channels of the live events (applied clicks, campaign changes).
 */
public class CampaignChangeListener implements Managed, Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(CampaignChangeListener.class);
    private static final int POLL_MILLIS = 250;
    private static final long LIVENESS_CHECK_NANOS = TimeUnit.SECONDS.toNanos(2);
    private static final int LIVENESS_TIMEOUT_SECONDS = 3;

    private final String url;
    private final Properties properties;
    private final CampaignDao dao;
    private final CampaignTargets targets;
    private final Map<String, Consumer<String>> alsoHeard;
    private final Thread thread;
    private volatile boolean running;

    /** Also hands the notifications of the channels of {@code alsoHeard} (lower case) to their consumer. */
    public CampaignChangeListener(DatabaseFactory.Endpoint database, CampaignDao dao, CampaignTargets targets,
                                  Map<String, Consumer<String>> alsoHeard) {
        this.dao = dao;
        this.alsoHeard = Map.copyOf(alsoHeard);
        this.url = database.url();
        this.properties = new Properties();
        properties.setProperty("user", database.user());
        properties.setProperty("password", database.password());
        properties.setProperty("connectTimeout", "3");
        properties.setProperty("loginTimeout", "5");
        properties.setProperty("tcpKeepAlive", "true");
        // A reload or re-read on a connection gone silent fails within this; polling sets its own.
        properties.setProperty("socketTimeout", "4");
        properties.setProperty("ApplicationName", "o7tracker-listener");
        this.targets = targets;
        this.thread = new Thread(this, "campaign-change-listener");
        this.thread.setDaemon(true);
    }

    /** Loads the recent deletions before the first click, then listens (and loads the campaigns) in the background. */
    @Override
    public void start() {
        try {
            targets.loadDeletions(dao, Optional.empty());
        } catch (RuntimeException e) {
            LOG.warn("Could not load the recent campaign deletions yet ({}); the listener retries", e.toString());
        }
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
        // Until when every change notification is known to have arrived (empty before the first connection).
        Optional<Instant> heardUntil = Optional.empty();
        int failures = 0;
        while (running) {
            try (Connection connection = DriverManager.getConnection(url, properties)) {
                Instant listeningSince = Instant.now();
                try (Statement statement = connection.createStatement()) {
                    statement.execute("LISTEN " + CampaignDao.CHANGE_CHANNEL);
                    for (String channel : alsoHeard.keySet()) {
                        statement.execute("LISTEN " + channel);
                    }
                }
                if (heardUntil.isPresent()) {
                    LOG.info("Listening for campaign changes again; reloading what may have been missed since {}",
                            heardUntil.get());
                }
                PGConnection pg = connection.unwrap(PGConnection.class);
                // Reads on the listening connection itself: it works whatever state the pool is in.
                Jdbi jdbi = Jdbi.create(new ConnectionFactory() {
                    @Override
                    public Connection openConnection() {
                        return connection;
                    }

                    @Override
                    public void closeConnection(Connection toClose) {
                        // kept open for listening
                    }
                }).installPlugin(new SqlObjectPlugin());
                CampaignDao listening = jdbi.onDemand(CampaignDao.class);
                // Listening first, so a change made while the cache fills is heard.
                if (!refresh(listening, pg, heardUntil)) {
                    throw new SQLException("the campaigns could not be reloaded");
                }
                heardUntil = Optional.of(listeningSince);
                failures = 0;
                long lastCheck = System.nanoTime();
                while (running) {
                    apply(listening, pg.getNotifications(POLL_MILLIS));
                    if (System.nanoTime() - lastCheck > LIVENESS_CHECK_NANOS) {
                        Instant checked = Instant.now();
                        lastCheck = System.nanoTime();
                        // Answered after every notification sent before it: all of those have arrived.
                        if (!connection.isValid(LIVENESS_TIMEOUT_SECONDS)) {
                            throw new SQLException("the listening connection did not answer within "
                                    + LIVENESS_TIMEOUT_SECONDS + " s");
                        }
                        heardUntil = Optional.of(checked);
                    }
                }
            } catch (SQLException e) {
                if (running) {
                    LOG.warn("Campaign change listener lost PostgreSQL ({}); reconnecting", e.getMessage());
                }
            } finally {
                targets.notificationsLost();
            }
            // Reconnect at once, then every second; the cache keeps serving what it has meanwhile.
            if (running) {
                try {
                    Thread.sleep(failures++ == 0 ? 50 : 1_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** Reloads every campaign and the recent deletions; false if that failed. */
    private boolean refresh(CampaignDao listening, PGConnection pg, Optional<Instant> heardUntil) {
        long started = System.nanoTime();
        try {
            long loaded = targets.refreshAll(listening, heardUntil, () -> {
                try {
                    apply(listening, pg.getNotifications(1));
                } catch (SQLException e) {
                    throw new IllegalStateException("lost the change notifications", e);
                }
            });
            LOG.info("{} campaign(s) loaded into the in-process cache in {} ms", loaded,
                    (System.nanoTime() - started) / 1_000_000);
            return true;
        } catch (RuntimeException e) {
            LOG.warn("Could not fill the in-process cache ({}); campaigns are looked up as they are clicked", e.toString());
            return false;
        }
    }

    private void apply(CampaignDao listening, PGNotification[] notifications) throws SQLException {
        if (notifications == null) {
            return;
        }
        for (PGNotification notification : notifications) {
            Consumer<String> other = alsoHeard.get(notification.getName());
            if (other == null) {
                changed(listening, notification.getParameter());
                continue;
            }
            try {
                other.accept(notification.getParameter());
            } catch (RuntimeException e) {
                LOG.warn("Ignoring a notification on {} that could not be handled: {}", notification.getName(), e.toString());
            }
        }
    }

    /** Re-reads the campaign; a re-read that fails ends this connection, so the reconnect reloads everything. */
    private void changed(CampaignDao listening, String payload) throws SQLException {
        long id;
        try {
            id = Long.parseLong(payload);
        } catch (NumberFormatException e) {
            LOG.warn("Ignoring campaign change notification '{}'", payload);
            return;
        }
        if (!targets.changed(listening, id)) {
            throw new SQLException("campaign " + id + " could not be re-read after its change");
        }
    }
}
