package com.o7tracker.cache;

import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.LoadingCache;
import com.o7tracker.campaign.Campaign;
import com.o7tracker.campaign.CampaignDao;
import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * Where a campaign's clicks go: an in-process cache, then memcached, then PostgreSQL. Unknown ids
 * are remembered briefly as unknown. Admin writes go through {@link #changed}; every instance also
 * hears PostgreSQL's change notifications ({@link CampaignChangeListener}) and drops its copy.
 *
 * <p>Every campaign is loaded at start ({@link #preload}); a cached campaign is kept while
 * PostgreSQL is unreachable, so known campaigns keep redirecting through a database outage.
 */
public class CampaignTargets {

    /**
     * What the click path needs of a campaign: its redirect URL as stored, and the {@code Location}
     * header made from it once, when it is cached (null if it is not a valid URI). {@link #UNKNOWN}
     * for an id with no campaign.
     */
    public record Target(String redirectUrl, String location) {
        public static Target of(String redirectUrl) {
            try {
                String location = URI.create(redirectUrl).toASCIIString();
                return new Target(redirectUrl, location.equals(redirectUrl) ? redirectUrl : location);
            } catch (IllegalArgumentException e) {
                return new Target(redirectUrl, null);
            }
        }

        public boolean exists() {
            return redirectUrl != null;
        }
    }

    public static final Target UNKNOWN = new Target(null, null);

    private static final int PRELOAD_PAGE = 10_000;

    /** In memcached an unknown id is the empty string (a redirect_url never is). */
    private static final String UNKNOWN_VALUE = "";

    private final CampaignDao dao;
    private final Optional<Memcached> memcached;
    private final int memcachedTtlSeconds;
    private final int unknownTtlSeconds;
    private final long maximumSize;
    private final LoadingCache<Long, Target> local;
    private final Meter memcachedHits;
    private final Meter memcachedMisses;
    private final Meter databaseReads;

    public CampaignTargets(CampaignDao dao, Optional<Memcached> memcached, CacheFactory config, MetricRegistry metrics) {
        this.dao = dao;
        this.memcached = memcached;
        this.memcachedTtlSeconds = (int) config.getMemcachedTtl().toSeconds();
        this.unknownTtlSeconds = (int) config.getUnknownTtl().toSeconds();
        long unknownTtlNanos = config.getUnknownTtl().toNanoseconds();
        this.maximumSize = config.getLocalMaximumSize();
        Caffeine<Object, Object> builder = Caffeine.newBuilder().maximumSize(config.getLocalMaximumSize());
        config.getLocalRefreshAfter().ifPresent(after -> builder.refreshAfterWrite(after.toJavaDuration()));
        this.local = builder
                .expireAfter(new Expiry<Long, Target>() {
                    @Override
                    public long expireAfterCreate(Long id, Target target, long now) {
                        return target.exists() ? Long.MAX_VALUE : unknownTtlNanos;
                    }

                    @Override
                    public long expireAfterUpdate(Long id, Target target, long now, long current) {
                        return expireAfterCreate(id, target, now);
                    }

                    @Override
                    public long expireAfterRead(Long id, Target target, long now, long current) {
                        return current;
                    }
                })
                .recordStats()
                .build(this::load);
        this.memcachedHits = metrics.meter("cache.memcached.hits");
        this.memcachedMisses = metrics.meter("cache.memcached.misses");
        this.databaseReads = metrics.meter("cache.database.reads");
        metrics.gauge("cache.local.hits", () -> () -> local.stats().hitCount());
        metrics.gauge("cache.local.misses", () -> () -> local.stats().missCount());
        metrics.gauge("cache.local.hitRatio", () -> () -> local.stats().hitRate());
        metrics.gauge("cache.local.size", () -> local::estimatedSize);
    }

    /** The campaign's target; throws if it is cached nowhere and PostgreSQL cannot be reached. */
    public Target find(long id) {
        return local.get(id);
    }

    /** After an admin write on this instance: the new state, everywhere, before the response. */
    public void changed(long id, Optional<Campaign> now) {
        Target target = now.map(c -> Target.of(c.redirectUrl())).orElse(UNKNOWN);
        share(id, target, true);
        local.put(id, target);
    }

    /** A change made elsewhere: re-read it from PostgreSQL, past memcached, which may still be old. */
    public void changedElsewhere(long id) {
        try {
            local.put(id, fromDatabase(id));
        } catch (RuntimeException e) {
            local.invalidate(id);
        }
    }

    /** Forget everything held in-process (after notifications may have been missed). */
    public void invalidateAll() {
        local.invalidateAll();
    }

    /**
     * Fills the in-process cache with every campaign, up to its maximum size, so that clicks on
     * them never wait for memcached or PostgreSQL. Read in pages, each a fresh snapshot, and put
     * only where nothing is cached yet; after each page, {@code afterPage} applies the changes
     * heard meanwhile, so a page read just before a change is overridden at once. Returns how
     * many campaigns were loaded.
     */
    public long preload(Runnable afterPage) {
        long limit = maximumSize - maximumSize / 10; // room for the ids clicked that are not campaigns
        long loaded = 0;
        long after = 0;
        while (loaded < limit) {
            List<CampaignDao.CampaignTarget> page = dao.targetsAfter(after, (int) Math.min(PRELOAD_PAGE, limit - loaded));
            for (CampaignDao.CampaignTarget row : page) {
                local.asMap().putIfAbsent(row.id(), Target.of(row.redirectUrl()));
                after = row.id();
            }
            loaded += page.size();
            afterPage.run();
            if (page.size() < PRELOAD_PAGE) {
                break;
            }
        }
        return loaded;
    }

    private Target load(Long id) {
        if (memcached.isPresent()) {
            Optional<String> cached = memcached.get().get(key(id));
            if (cached.isPresent()) {
                memcachedHits.mark();
                return cached.get().equals(UNKNOWN_VALUE) ? UNKNOWN : Target.of(cached.get());
            }
            memcachedMisses.mark();
        }
        Target target = fromDatabase(id);
        share(id, target, false);
        return target;
    }

    /** Puts the target in memcached: {@code set} by writers, {@code add} (only if absent) by readers. */
    private void share(long id, Target target, boolean writer) {
        if (memcached.isEmpty()) {
            return;
        }
        int ttl = target.exists() ? memcachedTtlSeconds : unknownTtlSeconds;
        String value = target.exists() ? target.redirectUrl() : UNKNOWN_VALUE;
        if (writer) {
            memcached.get().set(key(id), ttl, value);
        } else {
            memcached.get().add(key(id), ttl, value);
        }
    }

    private Target fromDatabase(long id) {
        databaseReads.mark();
        return dao.findRedirectUrl(id).map(Target::of).orElse(UNKNOWN);
    }

    private static String key(long id) {
        return "o7t:campaign:" + id;
    }
}
