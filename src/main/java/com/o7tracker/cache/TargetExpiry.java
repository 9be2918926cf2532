package com.o7tracker.cache;

import com.github.benmanes.caffeine.cache.Expiry;
import io.dropwizard.util.Duration;
import java.util.concurrent.TimeUnit;

/**
 * How long the in-process cache keeps a state: a campaign until it is replaced (or pushed out for
 * room), a deletion as long as memcached may still hold a copy from before it (cache.memcachedTtl,
 * and a minute more), so no older copy read from memcached outlives the deletion. Reads leave the
 * time as it is: the click path pays nothing here.
 */
final class TargetExpiry implements Expiry<Long, Target> {

    private final long tombstoneNanos;

    TargetExpiry(Duration memcachedTtl) {
        this.tombstoneNanos = memcachedTtl.toNanoseconds() + TimeUnit.MINUTES.toNanos(1);
    }

    @Override
    public long expireAfterCreate(Long id, Target target, long now) {
        return target.exists() ? Long.MAX_VALUE : tombstoneNanos;
    }

    @Override
    public long expireAfterUpdate(Long id, Target target, long now, long current) {
        return expireAfterCreate(id, target, now);
    }

    @Override
    public long expireAfterRead(Long id, Target target, long now, long current) {
        return current;
    }
}
