package com.o7tracker.clickid;

import com.o7tracker.notify.Notifications;
import com.o7tracker.notify.Subscriber;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.spec.SecretKeySpec;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The keys that sign click ids, as every instance shares them in PostgreSQL (migration V014), held
 * in memory so that a click is signed with no I/O. The first instance to start draws the first key
 * (256 random bits). A rotation, here or on any instance (or by SQL), is heard through PostgreSQL's
 * notification ({@code o7t_click_id_keys}) and re-read, so new clicks everywhere sign with the new
 * key within a second; the keys are re-read too whenever the listening connection comes back, and,
 * at most once a second, when an id names a key this instance does not know (one rotated in while
 * the notification was on its way).
 *
 * <p>A retired key verifies the ids it signed for {@link #KEEP_RETIRED} after it stopped signing,
 * then it is refused, and deleted at the next re-read (a rotation, a change heard, or the hourly
 * {@link #refresh}).
 */
public final class ClickIdKeys implements Subscriber {

    private static final Logger LOG = LoggerFactory.getLogger(ClickIdKeys.class);
    /**
     * How long a retired key keeps verifying: the longest conversion window a campaign may have
     * (the postbacks of issue 20 give each campaign 1 to 365 days), so that a conversion reported
     * on the last day of any window still finds its click's key.
     */
    public static final Duration KEEP_RETIRED = Duration.ofDays(365);
    static final String ALGORITHM = "HmacSHA256";
    private static final long RELOAD_SPACING_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** One key as stored. */
    public record Row(int id, byte[] secret, Instant createdAt, Instant retiredAt) {
    }

    /** One key, ready for the MAC; {@code retiredAt} null while it signs. */
    record Key(int id, SecretKeySpec spec, Instant retiredAt) {

        boolean expired(Instant now) {
            return retiredAt != null && retiredAt.plus(KEEP_RETIRED).isBefore(now);
        }
    }

    private record Snapshot(Key current, Map<Integer, Key> byId) {
    }

    /** Null for {@link #fixed} keys. */
    private final ClickIdKeyDao dao;
    /** The keys read through the connection listening now ({@link Notifications#listeningJdbi}), when told to. */
    private final ClickIdKeyDao listening;
    private volatile Snapshot keys;
    private final AtomicLong nextReloadAt = new AtomicLong(System.nanoTime());

    public ClickIdKeys(Jdbi jdbi, Notifications notifications) {
        this.dao = jdbi.onDemand(ClickIdKeyDao.class);
        this.listening = notifications.listeningJdbi().onDemand(ClickIdKeyDao.class);
    }

    private ClickIdKeys(List<Row> rows) {
        this.dao = null;
        this.listening = null;
        install(rows);
    }

    /** These keys and no others, never re-read (the last without {@code retiredAt} signs). */
    static ClickIdKeys fixed(List<Row> rows) {
        return new ClickIdKeys(rows);
    }

    /**
     * Reads the keys, storing the first if there is none yet: before the first click. Throws when
     * PostgreSQL cannot be read (the service cannot start without it: it migrates it first).
     */
    public void load() {
        reload(dao);
    }

    /**
     * Deletes the keys past their time and re-reads the rest, off the click path (hourly): keys are
     * otherwise re-read only when one changes, and an instance may go a year without a rotation.
     */
    public void refresh() {
        try {
            reload(dao);
        } catch (RuntimeException e) {
            LOG.warn("Could not re-read the click id keys ({}); the next hour tries again", e.toString());
        }
    }

    /** Retires the current key for a new one, which this instance signs with from now on; the new key's id. */
    public int rotate() {
        int id = dao.rotate(fresh());
        reload(dao);
        LOG.info("Click ids are signed with key {} from now on", id);
        return id;
    }

    /** The key new clicks are signed with. */
    Key signing() {
        return keys.current();
    }

    /**
     * The key of that id, unless it is unknown or retired for longer than {@link #KEEP_RETIRED}. An
     * unknown id has the keys re-read from PostgreSQL first, at most once a second (an id made up
     * by the thousand costs one read a second).
     */
    Optional<Key> find(int id) {
        Key key = keys.byId().get(id);
        if (key == null && dao != null) {
            long now = System.nanoTime();
            long next = nextReloadAt.get();
            if (now - next >= 0 && nextReloadAt.compareAndSet(next, now + RELOAD_SPACING_NANOS)) {
                try {
                    reload(dao);
                } catch (RuntimeException e) {
                    LOG.warn("Could not re-read the click id keys for an id signed with key {}: {}", id, e.toString());
                }
                key = keys.byId().get(id);
            }
        }
        return key == null || key.expired(Instant.now()) ? Optional.empty() : Optional.of(key);
    }

    /** A key changed somewhere: re-read them all, whatever the payload says. */
    @Override
    public void heard(String payload) throws SQLException {
        reloadListening();
    }

    /** Listening (again): what was rotated meanwhile is read now. */
    @Override
    public void connected(Listening connection) throws SQLException {
        reloadListening();
    }

    private void reloadListening() throws SQLException {
        try {
            reload(listening);
        } catch (RuntimeException e) {
            throw new SQLException("the click id keys could not be re-read", e);
        }
    }

    /** Deletes the keys past their time, stores a first key if there is none signing, and installs what is stored. */
    private synchronized void reload(ClickIdKeyDao from) {
        from.dropRetired(Math.toIntExact(KEEP_RETIRED.toDays()));
        List<Row> rows = from.all();
        if (rows.stream().noneMatch(row -> row.retiredAt() == null)) {
            from.createFirst(fresh());
            rows = from.all();
        }
        install(rows);
    }

    private void install(List<Row> rows) {
        Map<Integer, Key> byId = new HashMap<>();
        Key current = null;
        for (Row row : rows) {
            Key key = new Key(row.id(), new SecretKeySpec(row.secret(), ALGORITHM), row.retiredAt());
            byId.put(key.id(), key);
            if (row.retiredAt() == null) {
                current = key;
            }
        }
        if (current == null) {
            throw new IllegalStateException("no click id key signs (every key in click_id_keys is retired)");
        }
        keys = new Snapshot(current, Map.copyOf(byId));
    }

    private static byte[] fresh() {
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        return secret;
    }
}
