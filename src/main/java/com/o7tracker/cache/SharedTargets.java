package com.o7tracker.cache;

import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import com.o7tracker.campaign.CampaignDao;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The memcached tier of {@link CampaignTargets}: campaign states every instance shares, between
 * the in-process cache and PostgreSQL. memcached has no authentication, so a value is believed only
 * if this service signed it ({@link MemcachedSigner}) for the campaign within cache.memcachedTtl;
 * and a state only ever replaces an older one there (compare-and-swap on the version). Reads run on
 * the caller's thread (a click's miss, bounded by memcached's timeout); writes run on one writer
 * thread of their own, so no click waits for memcached to take a value. Without memcached servers
 * every read misses and nothing is written.
 */
final class SharedTargets {

    /** The category the rejected values have always been logged under, which log filters name. */
    private static final Logger LOG = LoggerFactory.getLogger(CampaignTargets.class);
    /** Memcached writes waiting for a retry or a reader's fill; beyond this, readers' fills are dropped. */
    private static final int MEMCACHED_QUEUE = 10_000;
    private static final long MAX_FILL_AGE_NANOS = TimeUnit.SECONDS.toNanos(2);
    private static final long REJECT_LOG_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final Optional<Memcached> memcached;
    private final int memcachedTtlSeconds;
    private final int unknownTtlSeconds;
    private final ScheduledThreadPoolExecutor memcachedWriter;
    private final Meter memcachedHits;
    private final Meter memcachedMisses;
    private final Meter memcachedWriteRetries;
    private final Meter memcachedRejected;
    private final MemcachedSigner signer;
    /** Values rejected since the last log line, and when the next may be written (a flood logs once a minute). */
    private final AtomicLong rejectedUnlogged = new AtomicLong();
    private final AtomicLong nextRejectLog = new AtomicLong(System.nanoTime());

    /** {@code dao}: where the signing key is kept. */
    SharedTargets(Optional<Memcached> memcached, CampaignDao dao, CacheFactory config, MetricRegistry metrics) {
        this.memcached = memcached;
        this.memcachedTtlSeconds = (int) config.getMemcachedTtl().toSeconds();
        this.unknownTtlSeconds = (int) config.getUnknownTtl().toSeconds();
        this.memcachedWriter = new ScheduledThreadPoolExecutor(1, r -> {
            Thread thread = new Thread(r, "memcached-writer");
            thread.setDaemon(true);
            return thread;
        });
        this.memcachedHits = metrics.meter("cache.memcached.hits");
        this.memcachedMisses = metrics.meter("cache.memcached.misses");
        this.memcachedWriteRetries = metrics.meter("cache.memcached.writeRetries");
        this.memcachedRejected = metrics.meter("cache.memcached.rejected");
        this.signer = new MemcachedSigner(dao);
        if (memcached.isPresent() && !signer.load()) {
            memcachedWriter.schedule(this::loadSigningKey, 1, TimeUnit.SECONDS);
        }
    }

    /**
     * The state memcached holds for the campaign, if the service signed it; null on a miss, a
     * timeout, an error, a value it did not sign, or no memcached.
     */
    Target read(long id) {
        if (memcached.isEmpty()) {
            return null;
        }
        Optional<String> value = memcached.get().get(key(id));
        Target cached = value.map(v -> decode(id, v)).orElse(null);
        if (cached != null) {
            memcachedHits.mark();
            return cached;
        }
        if (value.isPresent() && signer.ready()) {
            rejected(id);
        }
        memcachedMisses.mark();
        return null;
    }

    /**
     * Puts the state in memcached unless a newer one is there, on the writer thread. A writer's
     * state is retried until memcached takes it (or the copies it would replace have expired); a
     * reader's fill is dropped if memcached cannot take it or the queue is full.
     */
    void share(long id, Target target, boolean writer) {
        if (memcached.isEmpty() || (!writer && memcachedWriter.getQueue().size() >= MEMCACHED_QUEUE)) {
            return;
        }
        long queued = System.nanoTime();
        long giveUpAt = queued + TimeUnit.SECONDS.toNanos(memcachedTtlSeconds);
        try {
            memcachedWriter.execute(() -> {
                // A reader's fill that waited long may predate a change it would then outlive.
                if (writer || System.nanoTime() - queued < MAX_FILL_AGE_NANOS) {
                    store(id, target, writer, giveUpAt);
                }
            });
        } catch (RejectedExecutionException e) {
            // stopping: memcached's copies expire with their TTL, and every instance reloads from PostgreSQL
        }
    }

    /** Stops the writer (pending retries are dropped: the copies they fix expire with their TTL). */
    void stop() {
        memcachedWriter.shutdownNow();
    }

    private void store(long id, Target target, boolean retry, long giveUpAt) {
        int ttl = target.exists() ? memcachedTtlSeconds : target.version() == 0 ? unknownTtlSeconds : memcachedTtlSeconds;
        Optional<String> value = target.encode(id, signer, Instant.now().getEpochSecond());
        // A value this service did not sign is replaced, whatever version it claims.
        boolean settled = value.isPresent() && memcached.get().storeUnlessNewer(key(id), ttl, value.get(), held -> {
            Target cached = decode(id, held);
            return cached != null && cached.version() >= target.version();
        });
        if (!settled && retry && System.nanoTime() - giveUpAt < 0) {
            memcachedWriteRetries.mark();
            try {
                memcachedWriter.schedule(() -> store(id, target, true, giveUpAt), 1, TimeUnit.SECONDS);
            } catch (RejectedExecutionException e) {
                // stopping
            }
        }
    }

    /** Every second until the key is read (PostgreSQL unreachable when the caches were built). */
    private void loadSigningKey() {
        if (!signer.load()) {
            try {
                memcachedWriter.schedule(this::loadSigningKey, 1, TimeUnit.SECONDS);
            } catch (RejectedExecutionException e) {
                // stopping
            }
        }
    }

    /**
     * A value in memcached that this service did not write for the campaign: someone else wrote it
     * (memcached has no authentication), or an instance of an earlier version (unsigned), during a
     * rolling deploy. Read from PostgreSQL instead; counted, and logged at most once a minute.
     */
    private void rejected(long id) {
        memcachedRejected.mark();
        long unlogged = rejectedUnlogged.incrementAndGet();
        long next = nextRejectLog.get();
        if (System.nanoTime() - next >= 0 && nextRejectLog.compareAndSet(next, System.nanoTime() + REJECT_LOG_NANOS)) {
            rejectedUnlogged.addAndGet(-unlogged);
            LOG.warn("memcached held a value for campaign {} that this service did not sign, or signed longer than"
                    + " cache.memcachedTtl ago (forged, garbage, put back, or written by an earlier version); read from"
                    + " PostgreSQL instead ({} such value(s) since the last report)",
                    id, unlogged);
        }
    }

    /** What memcached's value says, if the service signed it for the campaign within cache.memcachedTtl. */
    private Target decode(long id, String value) {
        return Target.decode(id, value, signer, Instant.now().getEpochSecond(), memcachedTtlSeconds);
    }

    /**
     * Versioned entries under keys of their own format: instances of earlier versions read theirs
     * (plain URLs, then "version url", then signed without the time) and never one of these.
     */
    private static String key(long id) {
        return "o7t:campaign:v4:" + id;
    }
}
