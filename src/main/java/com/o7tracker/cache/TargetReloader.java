package com.o7tracker.cache;

import com.codahale.metrics.Meter;
import com.github.benmanes.caffeine.cache.CacheLoader;
import com.o7tracker.campaign.CampaignDao;

/**
 * The in-process cache's refresh ({@code cache.localRefreshAfter}): a campaign re-read from
 * PostgreSQL is kept only where it is newer than the cached state, so a refresh that read before a
 * change heard meanwhile cannot put the older state back. Misses never load through here: they go
 * through {@link CampaignTargets#find}, memcached first.
 */
final class TargetReloader implements CacheLoader<Long, Target> {

    private final CampaignDao dao;
    private final Meter databaseReads;

    TargetReloader(CampaignDao dao, Meter databaseReads) {
        this.dao = dao;
        this.databaseReads = databaseReads;
    }

    @Override
    public Target load(Long id) {
        databaseReads.mark();
        return Target.of(dao.findTarget(id));
    }

    @Override
    public Target reload(Long id, Target old) {
        Target now = load(id);
        return now.version() > old.version() ? now : old;
    }
}
