package com.o7tracker.db;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Applies the numbered SQL files of {@code migrations/} (packaged into the jar) in order. */
public final class Migrations {

    private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);

    private Migrations() {
    }

    public static int migrate(DataSource dataSource) {
        Flyway flyway = Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:migrations")
                .table("schema_migrations")
                .load();
        MigrateResult result = flyway.migrate();
        MigrationInfo current = flyway.info().current();
        LOG.info("Schema at version {} ({} migration(s) applied now)", current == null ? "none" : current.getVersion(),
                result.migrationsExecuted);
        return result.migrationsExecuted;
    }
}
