package com.o7tracker;

import com.fasterxml.jackson.databind.SerializationFeature;
import com.o7tracker.cache.CampaignChangeListener;
import com.o7tracker.cache.CampaignTargets;
import com.o7tracker.cache.Memcached;
import com.o7tracker.cache.MemcachedHealthCheck;
import com.o7tracker.campaign.CampaignDao;
import com.o7tracker.campaign.CampaignResource;
import com.o7tracker.campaign.CampaignService;
import com.o7tracker.counting.ClickCounting;
import com.o7tracker.counting.UpdateStatsResource;
import com.o7tracker.db.DatabaseFactory;
import com.o7tracker.db.DbCommand;
import com.o7tracker.db.Migrations;
import com.o7tracker.track.Fallback;
import com.o7tracker.track.TrackHandler;
import com.o7tracker.web.AdminFeature;
import com.o7tracker.web.ErrorMapper;
import com.o7tracker.web.HealthResource;
import com.o7tracker.web.ServerErrorHandler;
import com.o7tracker.web.JsonBody;
import io.dropwizard.configuration.EnvironmentVariableSubstitutor;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.core.Application;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.db.DataSourceFactory;
import io.dropwizard.db.ManagedDataSource;
import io.dropwizard.jdbi3.JdbiFactory;
import io.dropwizard.servlets.tasks.Task;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.glassfish.jersey.server.ServerProperties;
import org.jdbi.v3.core.Jdbi;

public class O7TrackerApplication extends Application<O7TrackerConfiguration> {

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
                bootstrap.getConfigurationSourceProvider(), new EnvironmentVariableSubstitutor(false)));
        bootstrap.getObjectMapper().disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
        bootstrap.addCommand(new DbCommand());
    }

    @Override
    public void run(O7TrackerConfiguration config, Environment environment) throws Exception {
        // PostgreSQL: the given one, or an embedded one kept under ./data. Stopped last.
        DatabaseFactory database = config.getDatabase();
        DatabaseFactory.Endpoint endpoint = database.open(config.getDataDirectory());
        endpoint.embedded().ifPresent(environment.lifecycle()::manage);
        DataSourceFactory dataSource = database.dataSource(endpoint);
        if (database.isMigrateOnStart()) {
            ManagedDataSource migrations = dataSource.build(environment.metrics(), "migrations");
            try {
                Migrations.migrate(migrations);
            } finally {
                migrations.stop();
            }
        }
        Jdbi jdbi = new JdbiFactory().build(environment, dataSource, "postgresql");
        CampaignDao campaignDao = jdbi.onDemand(CampaignDao.class);

        // Campaign lookups: in-process, memcached, PostgreSQL; changes heard from every instance.
        Optional<Memcached> memcached = Optional.empty();
        if (config.getCache().hasMemcached()) {
            Memcached client = new Memcached(config.getCache().getMemcachedServers(),
                    config.getCache().getMemcachedTimeout().toMilliseconds(), environment.metrics());
            environment.lifecycle().manage(client);
            environment.healthChecks().register("memcached", new MemcachedHealthCheck(client));
            memcached = Optional.of(client);
        }
        CampaignDao clickLookups = new JdbiFactory()
                .build(environment, database.clickLookupDataSource(endpoint), "postgresql-click-lookups")
                .onDemand(CampaignDao.class);
        CampaignTargets targets = new CampaignTargets(campaignDao, clickLookups, memcached, config.getCache(),
                environment.metrics());
        environment.lifecycle().manage(new CampaignChangeListener(endpoint, campaignDao, targets));

        // Counting: the click journal and its flusher; stopped before the pool and the database.
        ClickCounting counting = new ClickCounting(config.getCounting(),
                config.getCounting().journalDirectory(config.getDataDirectory()), jdbi, environment.metrics());
        counting.registerHealthChecks(environment.healthChecks());
        environment.lifecycle().manage(counting);
        environment.admin().addTask(new Task("flush-clicks") {
            @Override
            public void execute(Map<String, List<String>> parameters, PrintWriter output) throws Exception {
                counting.flushNow();
                output.println("Every recorded click is in PostgreSQL.");
            }
        });

        // Location headers as written (/admin/campaigns/{id}), not rewritten to absolute URLs.
        environment.jersey().property(ServerProperties.LOCATION_HEADER_RELATIVE_URI_RESOLUTION_DISABLED, true);

        // The public click path: a Jetty handler ahead of the servlets (see TrackHandler for why).
        Fallback fallback = new Fallback(config.getFallbackUrl(), environment.metrics());
        environment.getApplicationContext().insertHandler(new TrackHandler(targets, counting, fallback));
        environment.jersey().register(new HealthResource(environment.healthChecks()));
        ServerErrorHandler errors = new ServerErrorHandler(fallback);
        environment.getApplicationContext().setErrorHandler(errors);
        environment.lifecycle().addServerLifecycleListener(server -> server.setErrorHandler(errors));

        // The admin API.
        environment.jersey().register(config.getAuth().build(environment.metrics()));
        environment.jersey().register(new AdminFeature());
        environment.jersey().register(new ErrorMapper(fallback));
        JsonBody json = new JsonBody(environment.getObjectMapper());
        environment.jersey().register(new CampaignResource(new CampaignService(campaignDao, targets), json));
        environment.jersey().register(new UpdateStatsResource(counting));
    }
}
