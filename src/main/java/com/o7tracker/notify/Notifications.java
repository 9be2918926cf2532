package com.o7tracker.notify;

import com.o7tracker.db.DatabaseFactory;
import io.dropwizard.lifecycle.Managed;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.ConnectionFactory;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PostgreSQL's notifications, heard and sent for the whole service. One connection of its own
 * LISTENs to every channel that has a subscriber and hands each notification to the subscribers of
 * its channel, so a change committed by any instance (or by SQL by hand, for the campaign trigger)
 * reaches this one within milliseconds. Every few seconds it checks that the connection still
 * answers, so a silently dead connection (a failover, a dropped NAT entry) is noticed within
 * seconds; it then reconnects at once, and each subscriber catches up on what it may have missed
 * ({@link Subscriber#connected}). The connection is raw JDBC: a LISTEN socket is where JDBI's pools
 * cannot go.
 */
public class Notifications implements Managed, Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(Notifications.class);
    private static final int POLL_MILLIS = 250;
    private static final long LIVENESS_CHECK_NANOS = TimeUnit.SECONDS.toNanos(2);
    private static final int LIVENESS_TIMEOUT_SECONDS = 3;

    private final String url;
    private final Properties properties;
    private final Sender sender;
    private final Map<Channel, List<Subscriber>> subscribers = new EnumMap<>(Channel.class);
    private final Thread thread;
    private final Jdbi listeningJdbi;
    private Connection listeningNow;
    private volatile boolean running;

    /** Listens on a connection of its own to {@code database}; sends through {@code jdbi}'s pool. */
    public Notifications(DatabaseFactory.Endpoint database, Jdbi jdbi) {
        this.url = database.url();
        this.properties = new Properties();
        properties.setProperty("user", database.user());
        properties.setProperty("password", database.password());
        properties.setProperty("connectTimeout", "3");
        properties.setProperty("loginTimeout", "5");
        properties.setProperty("tcpKeepAlive", "true");
        // A subscriber's catch-up or read on a connection gone silent fails within this; polling sets its own.
        properties.setProperty("socketTimeout", "4");
        properties.setProperty("ApplicationName", "o7tracker-listener");
        this.sender = jdbi.onDemand(Sender.class);
        this.thread = new Thread(this, "notifications-listener");
        this.thread.setDaemon(true);
        this.listeningJdbi = Jdbi.create(new ConnectionFactory() {
            @Override
            public Connection openConnection() throws SQLException {
                if (listeningNow == null) {
                    throw new SQLException("not listening");
                }
                return listeningNow;
            }

            @Override
            public void closeConnection(Connection toClose) {
                // kept open for listening
            }
        }).installPlugin(new SqlObjectPlugin());
    }

    /**
     * Reads through the connection listening now, so a subscriber's reads work whatever state the
     * pools are in; for the listening thread only (a subscriber's handlers), and only while it
     * listens: a read between connections fails with an {@link SQLException}.
     */
    public Jdbi listeningJdbi() {
        return listeningJdbi;
    }

    /** Hands the notifications of {@code channel} to {@code subscriber}, from {@link #start} on. */
    public synchronized void subscribe(Channel channel, Subscriber subscriber) {
        if (running) {
            throw new IllegalStateException("subscribe before the listening starts");
        }
        subscribers.computeIfAbsent(channel, c -> new ArrayList<>()).add(subscriber);
    }

    /**
     * Sends each payload as a notification on {@code channel}, in one statement, through the pool:
     * it waits for a connection and for PostgreSQL, so callers that must not wait call it from a
     * thread of their own. Sent after the commit of what it tells, never inside it (a notification
     * that cannot be sent must not hold back what it tells of); throws if it could not be sent.
     */
    public void send(Channel channel, List<String> payloads) {
        sender.notify(channel.wireName(), payloads.toArray(new String[0]));
    }

    interface Sender {
        @SqlQuery("SELECT count(pg_notify(:channel, p)) FROM unnest(:payloads) AS p")
        long notify(String channel, String[] payloads);
    }

    @Override
    public synchronized void start() {
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
        Set<Subscriber> everyone = new LinkedHashSet<>();
        subscribers.values().forEach(everyone::addAll);
        // Until when every notification is known to have arrived (empty before the first connection).
        Optional<Instant> heardUntil = Optional.empty();
        int failures = 0;
        while (running) {
            // Raw JDBC, not a SqlObject: LISTEN holds one connection for as long as it listens, and
            // its notifications come through PGConnection, where JDBI's pooled handles cannot go.
            try (Connection connection = DriverManager.getConnection(url, properties)) {
                listeningNow = connection;
                Instant listeningSince = Instant.now();
                try (Statement statement = connection.createStatement()) {
                    for (Channel channel : subscribers.keySet()) {
                        statement.execute("LISTEN " + channel.wireName());
                    }
                }
                PGConnection pg = connection.unwrap(PGConnection.class);
                Subscriber.Listening listening = listening(pg, heardUntil);
                // Listening first, so a change made while a subscriber catches up is heard.
                for (Subscriber subscriber : everyone) {
                    subscriber.connected(listening);
                }
                heardUntil = Optional.of(listeningSince);
                failures = 0;
                long lastCheck = System.nanoTime();
                while (running) {
                    dispatch(pg.getNotifications(POLL_MILLIS));
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
            } catch (SQLException | RuntimeException e) {
                // Whatever ended this connection (a subscriber that could not catch up included), the
                // reconnect has every subscriber catch up again: the thread never ends while running.
                if (running) {
                    LOG.warn("The notification listener lost PostgreSQL ({}); reconnecting", e.getMessage());
                }
            } finally {
                listeningNow = null;
                for (Subscriber subscriber : everyone) {
                    try {
                        subscriber.lost();
                    } catch (RuntimeException e) {
                        LOG.warn("A notification subscriber failed when told the connection was lost: {}", e.toString());
                    }
                }
            }
            // Reconnect at once, then every second; subscribers keep serving what they have meanwhile.
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

    private Subscriber.Listening listening(PGConnection pg, Optional<Instant> heardUntil) {
        return new Subscriber.Listening() {
            @Override
            public Optional<Instant> heardUntil() {
                return heardUntil;
            }

            @Override
            public void hearPending() throws SQLException {
                dispatch(pg.getNotifications(1));
            }
        };
    }

    private void dispatch(PGNotification[] notifications) throws SQLException {
        if (notifications == null) {
            return;
        }
        for (PGNotification notification : notifications) {
            List<Subscriber> heard = Channel.ofWireName(notification.getName()).map(subscribers::get).orElse(List.of());
            for (Subscriber subscriber : heard) {
                try {
                    subscriber.heard(notification.getParameter());
                } catch (RuntimeException e) {
                    LOG.warn("Ignoring a notification on {} that could not be handled: {}", notification.getName(),
                            e.toString());
                }
            }
        }
    }
}
