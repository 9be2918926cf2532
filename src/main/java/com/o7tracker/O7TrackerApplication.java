package com.o7tracker;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.o7tracker.auth.ApiKeyDao;
import com.o7tracker.auth.ApiKeyResource;
import com.o7tracker.auth.ApiKeys;
import com.o7tracker.cache.CampaignTargets;
import com.o7tracker.campaign.AppliedPositions;
import com.o7tracker.campaign.CampaignDao;
import com.o7tracker.campaign.CampaignResource;
import com.o7tracker.campaign.CampaignService;
import com.o7tracker.clickid.ClickIdKeyResource;
import com.o7tracker.clickid.ClickIdKeys;
import com.o7tracker.clickid.ClickIds;
import com.o7tracker.conversion.ConversionSink;
import com.o7tracker.conversion.ConversionStore;
import com.o7tracker.conversion.PostbackResource;
import com.o7tracker.counting.ClickCounting;
import com.o7tracker.counting.UpdateStatsResource;
import com.o7tracker.dashboard.DashboardResource;
import com.o7tracker.db.DatabaseFactory;
import com.o7tracker.events.EventsResource;
import com.o7tracker.events.LiveEvents;
import com.o7tracker.geo.Countries;
import com.o7tracker.influxdb.InfluxDbStream;
import com.o7tracker.notify.Channel;
import com.o7tracker.notify.Notifications;
import com.o7tracker.track.TrackHandler;
import com.o7tracker.track.UserAgents;
import com.o7tracker.web.AdminFeature;
import com.o7tracker.web.ClientAddress;
import com.o7tracker.web.ErrorMapper;
import com.o7tracker.web.Fallback;
import com.o7tracker.web.HealthResource;
import com.o7tracker.web.JsonBody;
import com.o7tracker.web.OpenApiResource;
import com.o7tracker.web.QueryFreeThreadNames;
import com.o7tracker.web.ServerErrorHandler;
import io.dropwizard.configuration.EnvironmentVariableSubstitutor;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.core.Application;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.commons.text.lookup.StringLookup;
import org.apache.commons.text.lookup.StringLookupFactory;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.component.LifeCycle;
import org.glassfish.jersey.server.ServerProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

public class O7TrackerApplication extends Application<O7TrackerConfiguration> {

    private static final Logger LOG = LoggerFactory.getLogger(O7TrackerApplication.class);

    public static void main(String[] args) throws Exception {
        new O7TrackerApplication().run(args);
    }

    @Override
    public String getName() {
        return "o7tracker";
    }

    @Override
    public void initialize(Bootstrap<O7TrackerConfiguration> bootstrap) {
        bootstrap.setConfigurationSourceProvider(new SubstitutingSourceProvider(
                bootstrap.getConfigurationSourceProvider(), environmentSubstitutor()));
        bootstrap.getObjectMapper().disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
        bootstrap.addCommand(new DbCommand());
    }

    /**
     * config.yml's {@code ${VAR:-default}}: an unset variable is no error (the setting keeps its
     * default), and a default may name another variable ({@code ${TRUSTED_PROXIES:-${AUTH_TRUSTED_PROXIES:-}}},
     * a setting's earlier name read as its fallback).
     */
    public static EnvironmentVariableSubstitutor environmentSubstitutor() {
        return environmentSubstitutor(StringLookupFactory.INSTANCE.environmentVariableStringLookup());
    }

    /**
     * The same, reading {@code environment}. A secret ({@code …_PASSWORD}) is taken as it is,
     * whatever YAML would make of it ({@code #} starts a comment, {@code *} an alias, blanks are no
     * value): config.yml puts it in a single-quoted scalar, and its single quotes are doubled here.
     */
    public static EnvironmentVariableSubstitutor environmentSubstitutor(StringLookup environment) {
        EnvironmentVariableSubstitutor substitutor = new EnvironmentVariableSubstitutor(false, true);
        substitutor.setVariableResolver(name -> {
            String value = environment.lookup(name);
            return value != null && name.endsWith("_PASSWORD") ? value.replace("'", "''") : value;
        });
        return substitutor;
    }

    @Override
    public void run(O7TrackerConfiguration config, Environment environment) throws Exception {
        config.requireSharedAdminPassword();
        // PostgreSQL: the given one, or an embedded one kept under ./data. Stopped last.
        DatabaseFactory.Database database = config.getDatabase().build(environment, config.getDataDirectory());
        CampaignDao campaignDao = database.jdbi().onDemand(CampaignDao.class);

        // PostgreSQL's notifications: one listening connection for every subscriber below, and the sending.
        Notifications notifications = new Notifications(database.endpoint(), database.jdbi());

        // The live stream of every instance's applied clicks and campaign changes, heard through PostgreSQL.
        LiveEvents events = new LiveEvents(environment.getObjectMapper(), notifications, environment.metrics(),
                environment.lifecycle().scheduledExecutorService("live-events-keepalive", true).threads(1).build());
        environment.lifecycle().manage(events);
        notifications.subscribe(Channel.CLICKS_APPLIED, events::clicksHeard);
        notifications.subscribe(Channel.CAMPAIGN_EVENTS, events::campaignChangeHeard);
        notifications.subscribe(Channel.CONVERSIONS, events::conversionHeard);

        // Campaign lookups: in-process, memcached, PostgreSQL; kept current by campaign_changed, heard from every instance.
        CampaignTargets targets = config.getCache().build(environment, database, notifications);
        environment.lifecycle().manage(notifications);

        // Click ids: signed with the key every instance shares in PostgreSQL, read before the first
        // click; a rotation (the admin task or API) reaches every instance through PostgreSQL's notification.
        ClickIdKeys clickIdKeys = new ClickIdKeys(database.jdbi(), notifications);
        clickIdKeys.load();
        notifications.subscribe(Channel.CLICK_ID_KEYS, clickIdKeys);
        ClickIds clickIds = new ClickIds(clickIdKeys);
        environment.lifecycle().scheduledExecutorService("click-id-keys", true).threads(1).build()
                .scheduleWithFixedDelay(clickIdKeys::refresh, 1, 1, TimeUnit.HOURS);
        environment.admin().addTask(ClickIdKeyResource.rotationTask(clickIdKeys));
        environment.jersey().register(new ClickIdKeyResource(clickIdKeys));

        // The optional stream to InfluxDB: managed before counting, so it stops after the last flush.
        Optional<InfluxDbStream> influxdb = config.getInfluxdb().build(environment);
        influxdb.ifPresent(environment.lifecycle()::manage);

        // Counting: the click journal and its flusher; stopped before the pools and the database.
        ClickCounting counting = config.getCounting().build(environment, config.getDataDirectory(), database.jdbi());

        // Location headers as written (/admin/campaigns/{id}), not rewritten to absolute URLs.
        environment.jersey().property(ServerProperties.LOCATION_HEADER_RELATIVE_URI_RESOLUTION_DISABLED, true);

        // The public click path: a Jetty handler ahead of the servlets (see TrackHandler for why).
        Fallback fallback = new Fallback(config.getFallbackUrl(), environment.metrics());
        // The platform and bot verdict from the User-Agent: its parser is built here, before the first click.
        UserAgents userAgents = config.getUserAgents().build(environment.metrics());
        // Who sent a request, by the one server-wide rule of ClientAddress: the failed-login
        // throttle's client, and the address a click's country is looked up for.
        ClientAddress clientAddress = config.getClientAddress().build();
        Countries countries = config.getGeo().build(environment, clientAddress);
        environment.getApplicationContext().insertHandler(
                new TrackHandler(targets, counting, userAgents, countries, clickIds, fallback));
        // Jetty keeps, per connection, a cache of the header values it parsed and puts every new one
        // in it: each User-Agent not yet seen on a connection (a proxy's connection carries many
        // visitors'; a flood sends a new one each time) costs an insert. Off (Dropwizard's own setting
        // goes no lower than 128 bytes, which still caches short values).
        environment.lifecycle().addEventListener(new LifeCycle.Listener() {
            @Override
            public void lifeCycleStarting(LifeCycle server) {
                ((Server) server).getContainedBeans(HttpConnectionFactory.class)
                        .forEach(factory -> factory.getHttpConfiguration().setHeaderCacheSize(0));
            }
        });
        environment.jersey().register(new HealthResource(environment.healthChecks()));
        environment.jersey().register(new OpenApiResource());
        ServerErrorHandler errors = new ServerErrorHandler(fallback);
        environment.getApplicationContext().setErrorHandler(errors);
        environment.lifecycle().addServerLifecycleListener(server -> server.setErrorHandler(errors));

        // The admin API. The password or an API key: each login attempt gets its turn from a servlet
        // filter (a delay waited out suspended), its credentials are checked by a Jersey filter; the
        // client is told by the one server-wide rule of ClientAddress. Keys are checked from memory,
        // forgotten by every instance when api_key_changed tells of a revocation.
        Path dataDirectory = Path.of(config.getDataDirectory());
        ApiKeys apiKeys = new ApiKeys(database.jdbi().onDemand(ApiKeyDao.class),
                environment.lifecycle().scheduledExecutorService("api-key-uses-%d").threads(1).build());
        notifications.subscribe(Channel.API_KEY_CHANGED, apiKeys);
        environment.lifecycle().manage(apiKeys);
        environment.jersey().register(config.getAuth().build(environment, clientAddress, dataDirectory, apiKeys));
        // Where the dashboard is and how to sign in, in one line, once the server listens (on the port it got).
        String signIn = config.getAuth().signIn(dataDirectory);
        environment.lifecycle().addServerLifecycleListener(server ->
                LOG.info("Dashboard: {} (sign in as {})", dashboardUrl(server), signIn));
        // A thread serving a request is named without its query (a postback's key may be there).
        environment.jersey().register(new QueryFreeThreadNames());
        environment.jersey().register(new AdminFeature());
        environment.jersey().register(new ErrorMapper(fallback));
        JsonBody json = new JsonBody(environment.getObjectMapper());
        environment.jersey().register(new ApiKeyResource(apiKeys, json));
        // Each flush's clicks, told to each sink: every instance's live events, and InfluxDB.
        counting.onApplied(events::applied);
        influxdb.ifPresent(stream -> counting.onApplied(stream::applied));
        environment.lifecycle().addEventListener(new LifeCycle.Listener() {
            @Override
            public void lifeCycleStopping(LifeCycle server) {
                events.close();
            }
        });
        environment.jersey().register(new EventsResource(events));
        environment.jersey().register(new DashboardResource());
        // A campaign written here: the caches re-read it, then every instance's live events hear of it.
        // Reads of the counters say which flushes they hold, so that the dashboard adds each live event once.
        AppliedPositions positions = new AppliedPositions(database.jdbi());
        environment.jersey().register(new CampaignResource(new CampaignService(campaignDao, targets, events), positions, json));
        environment.jersey().register(new UpdateStatsResource(counting));
        // Conversions partners report for the clicks' signed ids, counted once in PostgreSQL before the answer;
        // each counted then told, after its commit, to every instance's live events and to InfluxDB.
        List<ConversionSink> conversionSinks = new ArrayList<>(List.of(events));
        influxdb.ifPresent(conversionSinks::add);
        environment.jersey().register(new PostbackResource(clickIds, database.jdbi().onDemand(ConversionStore.class),
                new JsonBody(environment.getObjectMapper().copy().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)),
                conversionSinks));
        // Clicks over time; minute buckets rolled up into hours after STATS_MINUTE_RETENTION.
        config.getStats().build(environment, database.jdbi(), campaignDao, positions);
    }

    /**
     * The dashboard's address on the application connector as a browser on this machine reaches it:
     * {@code localhost} when it listens on every address, the port it got (also with PORT=0).
     */
    static String dashboardUrl(Server server) {
        ServerConnector connector = Arrays.stream(server.getConnectors())
                .filter(ServerConnector.class::isInstance).map(ServerConnector.class::cast)
                .min(Comparator.comparing((ServerConnector c) -> !"application".equals(c.getName())))
                .orElseThrow(() -> new IllegalStateException("the server has no network connector"));
        String scheme = connector.getConnectionFactory(SslConnectionFactory.class) == null ? "http" : "https";
        String host = connector.getHost();
        if (host == null || host.isEmpty() || host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]")) {
            host = "localhost";
        } else if (host.indexOf(':') >= 0 && !host.startsWith("[")) {
            host = "[" + host + "]";
        }
        return scheme + "://" + host + ":" + connector.getLocalPort() + "/admin/";
    }
}
