package com.o7tracker.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.o7tracker.notify.ApiKeyChanged;
import com.o7tracker.notify.Subscriber;
import com.o7tracker.web.Scope;
import io.dropwizard.lifecycle.Managed;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API keys: made, listed and revoked through PostgreSQL, checked from memory. A key checked
 * once is kept in memory by its hash, so a request costs no round trip to PostgreSQL; a key that
 * does not exist is remembered briefly too (bounded), so a client repeating a wrong or revoked key
 * costs no query either (random keys, each new, are the throttle's: a failed login each). A
 * revocation anywhere reaches every instance through PostgreSQL's notification (the trigger of
 * migration V015), and each forgets the key at once; while that notification cannot be heard
 * (the listening connection lost) no existing key is kept, so a revocation is never missed.
 * A generation count makes a lookup that raced a revocation keep nothing.
 *
 * <p>A key's last use is written at most once a minute per key per instance, by a task of its
 * own (an instance writes only a later time than the stored one), never on the request path.
 */
public class ApiKeys implements Subscriber, Managed {

    private static final Logger LOG = LoggerFactory.getLogger(ApiKeys.class);
    /** 256 random bits, URL-safe base64 without padding: 43 characters. */
    private static final int KEY_BYTES = 32;
    private static final long KEPT_NANOS = TimeUnit.MINUTES.toNanos(10);
    private static final long ABSENT_KEPT_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final long LAST_USE_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);
    static final int MAX_KEPT = 10_000;

    /** A key as checked: its id and scopes; {@link #ABSENT} for a hash no key has. */
    private record Known(long id, Set<Scope> scopes) {
    }

    private static final Known ABSENT = new Known(-1, Set.of());

    private final ApiKeyDao dao;
    private final ScheduledExecutorService writer;
    private final SecureRandom random = new SecureRandom();
    private final Cache<String, Known> known;
    private final AtomicLong generation = new AtomicLong();
    private volatile boolean listening;
    private final Map<Long, Long> lastMarked = new ConcurrentHashMap<>();
    private final Map<Long, Instant> unwritten = new ConcurrentHashMap<>();

    public ApiKeys(ApiKeyDao dao, ScheduledExecutorService writer) {
        this.dao = dao;
        this.writer = writer;
        this.known = Caffeine.newBuilder().maximumSize(MAX_KEPT).expireAfter(new Expiry<String, Known>() {
            @Override
            public long expireAfterCreate(String hash, Known key, long now) {
                return key == ABSENT ? ABSENT_KEPT_NANOS : KEPT_NANOS;
            }

            @Override
            public long expireAfterUpdate(String hash, Known key, long now, long remaining) {
                return expireAfterCreate(hash, key, now);
            }

            @Override
            public long expireAfterRead(String hash, Known key, long now, long remaining) {
                return key == ABSENT ? remaining : KEPT_NANOS;
            }
        }).build();
    }

    /** A new key with {@code scopes}: the row as listed, with the key itself, which is nowhere else. */
    public ApiKey create(String name, Set<Scope> scopes) {
        byte[] bytes = new byte[KEY_BYTES];
        random.nextBytes(bytes);
        String key = Credentials.KEY_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        String[] wireNames = EnumSet.copyOf(scopes).stream().map(Scope::wireName).toArray(String[]::new);
        return dao.insert(name, wireNames, sha256(key)).withKey(key);
    }

    public List<ApiKey> list() {
        return dao.list();
    }

    /** Whether a key had that id; every instance forgets it within a second (PostgreSQL's notification). */
    public boolean revoke(long id) {
        return dao.delete(id) == 1;
    }

    /** The caller a key of the right form is, or empty for a key that does not exist (or no longer does). */
    Optional<Caller> check(Credentials.Key credentials) {
        byte[] hash = sha256(credentials.key());
        String cacheKey = HexFormat.of().formatHex(hash);
        Known key = known.getIfPresent(cacheKey);
        if (key == null) {
            long before = generation.get();
            key = dao.findByHash(hash).map(ApiKeys::known).orElse(ABSENT);
            // A hash no key has stays so (256 random bits are not made twice); a key is kept only
            // while a revocation would be heard, and not if one was heard during the lookup.
            if (key == ABSENT || (listening && generation.get() == before)) {
                known.put(cacheKey, key);
                if (key != ABSENT && generation.get() != before) {
                    known.invalidate(cacheKey);
                }
            }
        }
        if (key == ABSENT) {
            return Optional.empty();
        }
        used(key.id());
        return Optional.of(Caller.key(key.id(), key.scopes()));
    }

    private static Known known(ApiKey row) {
        Set<Scope> scopes = EnumSet.noneOf(Scope.class);
        row.scopes().forEach(s -> Scope.ofWireName(s).ifPresent(scopes::add));
        return new Known(row.id(), scopes);
    }

    /** Marks the key's use to be written, if none was within the last minute. */
    private void used(long id) {
        long now = System.nanoTime();
        Long last = lastMarked.get(id);
        if (last == null || now - last >= LAST_USE_EVERY_NANOS) {
            lastMarked.put(id, now);
            unwritten.put(id, Instant.now());
        }
    }

    /** Writes the uses marked since the last write; a failure drops them (a last use is an approximation). */
    void writeLastUses() {
        List<Long> ids = new ArrayList<>();
        List<Instant> ats = new ArrayList<>();
        for (Long id : List.copyOf(unwritten.keySet())) {
            Instant at = unwritten.remove(id);
            if (at != null) {
                ids.add(id);
                ats.add(at);
            }
        }
        if (ids.isEmpty()) {
            return;
        }
        try {
            dao.used(ids, ats);
        } catch (RuntimeException e) {
            LOG.warn("Could not write the last use of {} API key(s): {}", ids.size(), e.getClass().getSimpleName());
        }
    }

    @Override
    public void start() {
        writer.scheduleWithFixedDelay(this::writeLastUses, 1, 1, TimeUnit.SECONDS);
    }

    @Override
    public void stop() {
        writeLastUses();
    }

    /** A key revoked or changed anywhere: forgotten here. */
    @Override
    public void heard(String payload) {
        OptionalLong id = ApiKeyChanged.parse(payload);
        generation.incrementAndGet();
        if (id.isEmpty()) {
            known.invalidateAll();
            return;
        }
        known.asMap().values().removeIf(key -> key.id() == id.getAsLong());
        lastMarked.remove(id.getAsLong());
    }

    /** Listening (again): what was kept before may have been revoked meanwhile. */
    @Override
    public void connected(Listening listening) {
        generation.incrementAndGet();
        known.invalidateAll();
        this.listening = true;
    }

    @Override
    public void lost() {
        this.listening = false;
        generation.incrementAndGet();
        known.invalidateAll();
    }

    static byte[] sha256(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
