package com.o7tracker.cache;

import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import io.dropwizard.lifecycle.Managed;
import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import net.spy.memcached.AddrUtil;
import net.spy.memcached.CASResponse;
import net.spy.memcached.CASValue;
import net.spy.memcached.ConnectionFactoryBuilder;
import net.spy.memcached.FailureMode;
import net.spy.memcached.MemcachedClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * memcached through spymemcached, tuned so an outage costs a click nothing: operations time out
 * after a few milliseconds, ops on a down server are cancelled at once, and every failure is a
 * miss. The client reconnects by itself when memcached returns.
 */
public class Memcached implements Managed {

    private static final Logger LOG = LoggerFactory.getLogger(Memcached.class);

    static {
        // spymemcached logs to stderr unless told to use SLF4J, which Dropwizard's logging configures.
        if (System.getProperty("net.spy.log.LoggerImpl") == null) {
            System.setProperty("net.spy.log.LoggerImpl", "net.spy.memcached.compat.log.SLF4JLogger");
        }
    }

    private final MemcachedClient client;
    private final long timeoutMillis;
    private final Meter errors;

    public Memcached(String servers, long timeoutMillis, MetricRegistry metrics) throws IOException {
        this.timeoutMillis = timeoutMillis;
        this.errors = metrics.meter("cache.memcached.errors");
        this.client = new MemcachedClient(new ConnectionFactoryBuilder()
                .setProtocol(ConnectionFactoryBuilder.Protocol.BINARY)
                .setOpTimeout(timeoutMillis)
                .setFailureMode(FailureMode.Cancel)
                .setOpQueueMaxBlockTime(timeoutMillis)
                .setMaxReconnectDelay(2)
                .setTimeoutExceptionThreshold(1000)
                .setDaemon(true)
                .build(), AddrUtil.getAddresses(servers.replace(',', ' ').trim()));
    }

    /** The cached string, or empty on a miss, a timeout or any error. */
    public Optional<String> get(String key) {
        Future<Object> future = null;
        try {
            future = client.asyncGet(key);
            Object value = future.get(timeoutMillis, TimeUnit.MILLISECONDS);
            return value instanceof String s ? Optional.of(s) : Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } catch (Exception e) {
            if (future != null) {
                future.cancel(false);
            }
            errors.mark();
            return Optional.empty();
        }
    }

    /**
     * Stores {@code value} unless memcached holds one that {@code notOlder} accepts as at least as
     * new (compare-and-swap, so a racing writer is never overwritten with an older value). True once
     * settled, stored or superseded; false if memcached could not be reached or the races went on.
     */
    public boolean storeUnlessNewer(String key, int ttlSeconds, String value, Predicate<String> notOlder) {
        try {
            for (int attempt = 0; attempt < 5; attempt++) {
                CASValue<Object> current = client.asyncGets(key).get(timeoutMillis, TimeUnit.MILLISECONDS);
                if (current == null) {
                    if (client.add(key, ttlSeconds, value).get(timeoutMillis, TimeUnit.MILLISECONDS)) {
                        return true;
                    }
                    continue; // another writer added it first: compare with theirs
                }
                if (current.getValue() instanceof String held && notOlder.test(held)) {
                    return true;
                }
                CASResponse stored = client.asyncCAS(key, current.getCas(), ttlSeconds, value)
                        .get(timeoutMillis, TimeUnit.MILLISECONDS);
                if (stored == CASResponse.OK) {
                    return true;
                }
            }
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (Exception e) {
            errors.mark();
            LOG.debug("memcached store {} failed", key, e);
            return false;
        }
    }

    /** True if every server is connected and a read round trip succeeds. */
    public boolean ping() {
        if (!client.getUnavailableServers().isEmpty() || client.getAvailableServers().isEmpty()) {
            return false;
        }
        try {
            client.asyncGet("o7t:ping").get(Math.max(timeoutMillis, 500), TimeUnit.MILLISECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (Exception e) {
            return false;
        }
    }

    @Override
    public void stop() {
        client.shutdown(1, TimeUnit.SECONDS);
    }
}
