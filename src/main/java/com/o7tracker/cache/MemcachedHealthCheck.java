package com.o7tracker.cache;

import com.codahale.metrics.health.HealthCheck;

public class MemcachedHealthCheck extends HealthCheck {

    private final Memcached memcached;

    public MemcachedHealthCheck(Memcached memcached) {
        this.memcached = memcached;
    }

    @Override
    protected Result check() {
        return memcached.ping()
                ? Result.healthy()
                : Result.unhealthy("memcached does not answer; campaign lookups fall back to PostgreSQL");
    }
}
