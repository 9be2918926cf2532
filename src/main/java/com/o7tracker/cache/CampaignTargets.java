package com.o7tracker.cache;

import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import com.github.benmanes.caffeine.cache.RemovalCause;
import com.o7tracker.campaign.CampaignChanges;
import com.o7tracker.campaign.CampaignDao;
import io.dropwizard.lifecycle.Managed;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a campaign's clicks go: an in-process cache, then memcached ({@link SharedTargets}), then
 * PostgreSQL. Every cached state carries the version PostgreSQL gave the change that made it, and a
 * state only ever replaces an older one, in-process and in memcached: whatever order writes,
 * notifications, refreshes and page loads arrive in, the newest state stays. A deletion is a state
 * too (with the version of its tombstone), so a copy of the deleted campaign read before it can
 * never come back.
 *
 * <p>Admin writes on this instance arrive through {@link #changed}; changes made anywhere are heard
 * from PostgreSQL's notifications ({@link CampaignChangeListener}). Both re-read PostgreSQL, never
 * memcached. Every campaign is loaded at start ({@link #refreshAll}); a cached campaign is kept
 * while PostgreSQL is unreachable, so known campaigns keep redirecting through a database outage.
 *
 * <p>Ids that are no campaign are remembered briefly in a cache of their own, so a stream of
 * made-up ids cannot push campaigns out. Their lookups use a small pool of their own
 * ({@code clickLookups}), so they cannot take the connections the flusher and the admin API need,
 * and few wait at once ({@code cache.maxWaitingLookups}), so they cannot take every request thread
 * either: each may wait up to ~120 ms (memcached, then a connection of that pool), and a few thousand
 * made-up ids a second would otherwise hold all 1,024. While the in-process cache holds every
 * campaign and hears every change ({@link #complete}), an id it does not hold is no campaign unless
 * it was created elsewhere in the last moments: those are looked up at a bounded rate only
 * ({@code cache.unknownLookupsPerSecond}), so a flood of made-up ids costs no lookup each.
 */
public class CampaignTargets implements CampaignChanges, Managed {

    private static final Logger LOG = LoggerFactory.getLogger(CampaignTargets.class);
    private static final int PAGE = 10_000;
    /** Allowance for this machine's clock against PostgreSQL's when asking for recent deletions. */
    private static final Duration CLOCK_MARGIN = Duration.ofMinutes(1);

    private final CampaignDao dao;
    private final CampaignDao clickLookups;
    private final SharedTargets shared;
    private final int memcachedTtlSeconds;
    private final long maximumSize;
    private final LoadingCache<Long, Target> local;
    private final Cache<Long, Target> unknown;
    private final ConcurrentHashMap<Long, CompletableFuture<Target>> loading = new ConcurrentHashMap<>();
    /** Permits for the callers that may wait for lookups at once: a flood of made-up ids cannot hold every request thread. */
    private final Semaphore waiting;
    /**
     * Whether the in-process cache holds every campaign and every change since it was filled has been
     * heard: set by a whole {@link #refreshAll} (which runs while listening), cleared when the
     * listener loses PostgreSQL or a campaign is dropped for room.
     */
    private volatile boolean complete;
    /** Campaigns dropped for room so far: a refresh during which one was dropped did not make the cache whole. */
    private final AtomicLong evicted = new AtomicLong();
    private final RateLimit unknownLookups;
    private final Meter databaseReads;

    public CampaignTargets(CampaignDao dao, CampaignDao clickLookups, Optional<Memcached> memcached, CacheFactory config,
                           MetricRegistry metrics) {
        this.dao = dao;
        this.clickLookups = clickLookups;
        this.memcachedTtlSeconds = (int) config.getMemcachedTtl().toSeconds();
        this.maximumSize = config.getLocalMaximumSize();
        this.waiting = new Semaphore(config.getMaxWaitingLookups());
        this.unknownLookups = new RateLimit(config.getUnknownLookupsPerSecond());
        this.databaseReads = metrics.meter("cache.database.reads");
        // Deletions weigh nothing: never pushed out by size, only expired, so no older copy outlives them.
        Caffeine<Long, Target> builder = Caffeine.newBuilder()
                .maximumWeight(maximumSize)
                .weigher((Long id, Target target) -> target.exists() ? 1 : 0)
                .evictionListener((Long id, Target target, RemovalCause cause) -> {
                    if (cause == RemovalCause.SIZE) {
                        evicted.incrementAndGet();
                        complete = false;
                    }
                });
        config.getLocalRefreshAfter().ifPresent(after -> builder.refreshAfterWrite(after.toJavaDuration()));
        this.local = builder
                .expireAfter(new TargetExpiry(config.getMemcachedTtl()))
                .recordStats()
                .build(new TargetReloader(dao, databaseReads));
        this.unknown = Caffeine.newBuilder()
                .maximumSize(Math.max(1_000, maximumSize / 10))
                .expireAfterWrite(config.getUnknownTtl().toJavaDuration())
                .build();
        this.shared = new SharedTargets(memcached, dao, config, metrics);
        metrics.gauge("cache.local.hits", () -> () -> local.stats().hitCount());
        metrics.gauge("cache.local.misses", () -> () -> local.stats().missCount());
        metrics.gauge("cache.local.hitRatio", () -> () -> local.stats().hitRate());
        metrics.gauge("cache.local.size", () -> local::estimatedSize);
        metrics.gauge("cache.unknown.size", () -> unknown::estimatedSize);
        // 1 while ids absent from the in-process cache are looked up at cache.unknownLookupsPerSecond only.
        metrics.gauge("cache.local.complete", () -> () -> complete ? 1 : 0);
    }

    /**
     * The campaign's target; throws if it is cached nowhere and PostgreSQL cannot be reached. A miss
     * is looked up outside the caches' locks, once however many visitors ask for the id meanwhile,
     * so a slow lookup delays only the visitors of that id. At most {@code cache.maxWaitingLookups}
     * callers wait for lookups at once (their own id's, or another visitor's of the same id); one
     * more gets {@link LookupsBusy} at once.
     */
    public Target find(long id) {
        Target target = local.getIfPresent(id);
        if (target != null) {
            return target;
        }
        target = unknown.getIfPresent(id);
        if (target != null) {
            return target;
        }
        // A permit per id looked up: the clicks that join a lookup already made take none.
        if (complete && !loading.containsKey(id) && !unknownLookups.tryAcquire()) {
            throw LookupsBusy.INSTANCE; // no campaign, almost surely: a flood of made-up ids
        }
        if (!waiting.tryAcquire()) {
            throw LookupsBusy.INSTANCE;
        }
        try {
            return lookUpOnce(id);
        } finally {
            waiting.release();
        }
    }

    /** The id's lookup, made by this caller or by the one already making it. */
    private Target lookUpOnce(long id) {
        CompletableFuture<Target> mine = new CompletableFuture<>();
        CompletableFuture<Target> theirs = loading.putIfAbsent(id, mine);
        if (theirs != null) {
            return theirs.join();
        }
        try {
            Target target = offer(id, lookUp(id));
            mine.complete(target);
            return target;
        } catch (Throwable e) {
            mine.completeExceptionally(e); // those waiting for this lookup fail with it, never hang
            throw e;
        } finally {
            loading.remove(id, mine);
        }
    }

    /**
     * A campaign was created, changed or deleted (through this instance, or heard from another):
     * its state is read from PostgreSQL, past memcached, which may still be old, and kept wherever
     * it is newer than what is cached.
     */
    public void changed(long id) {
        // On failure, the change's notification re-reads it (or the listener's reconnect reloads everything).
        changed(dao, id);
    }

    @Override
    public void changed(long id, Change change) {
        changed(id);
    }

    /**
     * {@link #changed(long)}, read through {@code from}; false if PostgreSQL could not be read (the
     * listener then reconnects and reloads everything, so no change stays unheard).
     */
    boolean changed(CampaignDao from, long id) {
        Target now;
        try {
            now = fromDatabase(from, id);
        } catch (RuntimeException e) {
            LOG.warn("Could not re-read campaign {} after a change: {}", id, e.toString());
            return false;
        }
        offer(id, now);
        shared.share(id, now, true);
        return true;
    }

    /**
     * Loads the deletions that memcached may still hold an older copy of, and those made after
     * {@code heardUntil} (when change notifications were last known to arrive, if ever), so that no
     * copy from before a deletion is served. Runs before a new instance takes clicks.
     */
    public void loadDeletions(CampaignDao from, Optional<Instant> heardUntil) {
        Instant since = Instant.now().minus(Duration.ofSeconds(memcachedTtlSeconds)).minus(CLOCK_MARGIN);
        if (heardUntil.isPresent() && heardUntil.get().minus(CLOCK_MARGIN).isBefore(since)) {
            since = heardUntil.get().minus(CLOCK_MARGIN);
        }
        for (CampaignDao.CampaignTarget row : from.deletedSince(since)) {
            offer(row.id(), Target.of(row));
        }
    }

    /**
     * {@link #loadDeletions}, then every campaign from PostgreSQL (read through {@code from}), up to
     * the in-process cache's size, each kept where it is newer than what is cached. Read in pages,
     * each a fresh snapshot; {@code afterPage} runs after each (the listener applies the changes
     * heard meanwhile). Returns how many campaigns were loaded. Called while every change is heard
     * (the listener listens first): if every campaign fit, the cache is {@link #complete} from then on.
     */
    public long refreshAll(CampaignDao from, Optional<Instant> heardUntil, Runnable afterPage) {
        long evictedBefore = evicted.get();
        loadDeletions(from, heardUntil);
        long limit = maximumSize - maximumSize / 10; // room for deletions and for campaigns not yet loaded
        long loaded = 0;
        long after = 0;
        boolean whole = false;
        while (loaded < limit) {
            int asked = (int) Math.min(PAGE, limit - loaded);
            List<CampaignDao.CampaignTarget> page = from.targetsAfter(after, asked);
            for (CampaignDao.CampaignTarget row : page) {
                offer(row.id(), Target.of(row));
                after = row.id();
            }
            loaded += page.size();
            afterPage.run();
            if (page.size() < asked) {
                whole = true;
                break;
            }
        }
        local.cleanUp(); // the evictions the last pages made are counted before they are compared
        complete = whole;
        if (evicted.get() != evictedBefore) {
            complete = false; // after the write: an eviction counted meanwhile clears it, or is seen here
        }
        return loaded;
    }

    /**
     * The change listener lost PostgreSQL: changes made elsewhere may go unheard until it has
     * reconnected and reloaded ({@link #refreshAll}), so an id the cache does not hold may be a new
     * campaign, and is looked up.
     */
    public void notificationsLost() {
        complete = false;
    }

    /** Stops the memcached writer (pending retries are dropped: the copies they fix expire with their TTL). */
    @Override
    public void stop() {
        shared.stop();
    }

    /** Keeps {@code target} in-process unless a state at least as new is cached; returns the state kept. */
    private Target offer(long id, Target target) {
        if (!target.exists() && target.version() == 0) {
            Target held = local.getIfPresent(id);
            if (held != null) {
                return held;
            }
            unknown.put(id, target);
            held = local.getIfPresent(id); // created meanwhile: the campaign wins
            if (held != null) {
                unknown.invalidate(id);
                return held;
            }
            return target;
        }
        unknown.invalidate(id);
        return local.asMap().merge(id, target, (held, offered) -> offered.version() > held.version() ? offered : held);
    }

    /** A miss on the click path: memcached, then PostgreSQL through the click path's own pool. */
    private Target lookUp(long id) {
        Target cached = shared.read(id);
        if (cached != null) {
            return cached;
        }
        Target target = fromDatabase(clickLookups, id);
        shared.share(id, target, false);
        return target;
    }

    private Target fromDatabase(CampaignDao from, long id) {
        databaseReads.mark();
        return Target.of(from.findTarget(id));
    }
}
