package com.o7tracker;

import com.o7tracker.db.DatabaseFactory;
import com.o7tracker.db.Migrations;
import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.cli.ConfiguredCommand;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.db.ManagedDataSource;
import java.io.IOException;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;

/** {@code java -jar o7tracker.jar db migrate config.yml}: bring the schema up to date and exit. */
public class DbCommand extends ConfiguredCommand<O7TrackerConfiguration> {

    public DbCommand() {
        super("db", "Database maintenance: 'db migrate config.yml' applies the pending migrations");
    }

    @Override
    public void configure(Subparser subparser) {
        subparser.addArgument("action").choices("migrate").help("what to do with the database");
        super.configure(subparser);
    }

    /** A refusal (the embedded data in use by a running service) is one line, not a stack trace. */
    @Override
    public void onError(Cli cli, Namespace namespace, Throwable e) {
        if (e instanceof IOException) {
            cli.getStdErr().println(e.getMessage());
        } else {
            super.onError(cli, namespace, e);
        }
    }

    @Override
    protected void run(Bootstrap<O7TrackerConfiguration> bootstrap, Namespace namespace,
                       O7TrackerConfiguration configuration) throws Exception {
        DatabaseFactory database = configuration.getDatabase();
        DatabaseFactory.Endpoint endpoint = database.open(configuration.getDataDirectory());
        ManagedDataSource dataSource = database.dataSource(endpoint)
                .build(bootstrap.getMetricRegistry(), "migrations");
        try {
            Migrations.migrate(dataSource);
        } finally {
            dataSource.stop();
            if (endpoint.embedded().isPresent()) {
                endpoint.embedded().get().stop();
            }
        }
    }
}
