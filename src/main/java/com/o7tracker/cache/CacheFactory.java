package com.o7tracker.cache;

import com.o7tracker.campaign.CampaignDao;
import com.o7tracker.db.DatabaseFactory;
import com.o7tracker.notify.Channel;
import com.o7tracker.notify.Notifications;
import com.o7tracker.settings.Absent;
import com.o7tracker.settings.Setting;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MaxDuration;
import io.dropwizard.validation.MinDuration;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** The campaign lookup caches: in-process, then memcached (optional), then PostgreSQL. */
public class CacheFactory {

    /** host:port[,host:port…]; absent runs without memcached. */
    @Setting
    private String memcachedServers;

    /** How long a memcached operation may take before it counts as a miss. */
    @MinDuration(value = 1, unit = TimeUnit.MILLISECONDS)
    @MaxDuration(value = 1, unit = TimeUnit.SECONDS)
    @Setting
    private Duration memcachedTimeout = Duration.milliseconds(20);

    @MinDuration(value = 1, unit = TimeUnit.SECONDS)
    @Setting
    private Duration memcachedTtl = Duration.hours(1);

    /** How long an unknown id is remembered as unknown (memcached and in-process). */
    @MinDuration(value = 1, unit = TimeUnit.SECONDS)
    @Setting
    private Duration unknownTtl = Duration.seconds(5);

    /**
     * Campaigns kept in-process (about 200 bytes of heap each with a short URL); filled with every
     * campaign at start, least recently used ones dropped beyond this.
     */
    @Min(100)
    @Max(100_000_000)
    @Setting
    private long localMaximumSize = 1_000_000;

    /**
     * Clicks that may wait at once for campaigns in no in-process cache (memcached, then the click
     * path's own pool of {@code database.clickLookupConnections}, 100 ms to get a connection); one
     * more goes to the fallback at once ({@code clicks.fallback.lookup-busy}). A flood of made-up ids
     * holds this many request threads, not all of them; 4 lookups per connection keep the pool busy.
     */
    @Min(1)
    @Max(1_000)
    @Setting
    private int maxWaitingLookups = 16;

    /**
     * While the in-process cache holds every campaign and hears every change, an id it does not
     * hold is no campaign (a made-up id, a typo, a long-deleted campaign), unless it was created on
     * another instance in the last milliseconds, before its notification arrived. Such ids are still
     * looked up, but at most this many a second (with a burst of as many); beyond that a click on one
     * goes to the fallback at once ({@code clicks.fallback.lookup-busy}), so a flood of made-up ids
     * costs neither memcached nor PostgreSQL a lookup each.
     */
    @Min(1)
    @Max(100_000)
    @Setting
    private int unknownLookupsPerSecond = 50;

    /**
     * Optional: a cached campaign is re-read in the background after this long (served meanwhile,
     * kept if the re-read fails). Off by default: changes reach every instance at once through
     * PostgreSQL notifications, and the whole cache is reloaded after the listener reconnects. With
     * every campaign in memory, a timed re-read means one lookup per active campaign per period
     * (bench/README.md has what that cost).
     */
    @MinDuration(value = 1, unit = TimeUnit.SECONDS)
    @Setting
    private Duration localRefreshAfter;

    /**
     * The campaign lookups: memcached's client (when servers are set; with its health check), the
     * caches, each stopped with the service, and the change listener that keeps them current,
     * subscribed to {@code notifications}.
     */
    public CampaignTargets build(Environment environment, DatabaseFactory.Database database,
                                 Notifications notifications) throws IOException {
        Optional<Memcached> memcached = Optional.empty();
        Optional<String> servers = getMemcachedServers();
        if (servers.isPresent()) {
            Memcached client = new Memcached(servers.get(), memcachedTimeout.toMilliseconds(), environment.metrics());
            environment.lifecycle().manage(client);
            environment.healthChecks().register("memcached", new MemcachedHealthCheck(client));
            memcached = Optional.of(client);
        }
        CampaignDao dao = database.jdbi().onDemand(CampaignDao.class);
        CampaignTargets targets = new CampaignTargets(dao, database.clickLookups().onDemand(CampaignDao.class),
                memcached, this, environment.metrics());
        environment.lifecycle().manage(targets);
        CampaignChangeListener listener = new CampaignChangeListener(dao, targets, notifications);
        environment.lifecycle().manage(listener);
        notifications.subscribe(Channel.CAMPAIGN_CHANGED, listener);
        return targets;
    }

    public Optional<String> getMemcachedServers() {
        return Absent.ifBlank(memcachedServers);
    }

    public Duration getMemcachedTimeout() {
        return memcachedTimeout;
    }

    public Duration getMemcachedTtl() {
        return memcachedTtl;
    }

    public Duration getUnknownTtl() {
        return unknownTtl;
    }

    public long getLocalMaximumSize() {
        return localMaximumSize;
    }

    public int getMaxWaitingLookups() {
        return maxWaitingLookups;
    }

    public int getUnknownLookupsPerSecond() {
        return unknownLookupsPerSecond;
    }

    public Optional<Duration> getLocalRefreshAfter() {
        return Optional.ofNullable(localRefreshAfter);
    }
}
