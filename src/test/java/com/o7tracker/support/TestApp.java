package com.o7tracker.support;

import com.o7tracker.O7TrackerApplication;
import com.o7tracker.O7TrackerConfiguration;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The whole service, in-process, on the project's config.yml, against the test PostgreSQL and memcached. */
public final class TestApp {

    private TestApp() {
    }

    public static DropwizardAppExtension<O7TrackerConfiguration> withMemcached(ConfigOverride... extra) {
        return create(true, extra);
    }

    public static DropwizardAppExtension<O7TrackerConfiguration> withoutMemcached(ConfigOverride... extra) {
        return create(false, extra);
    }

    private static DropwizardAppExtension<O7TrackerConfiguration> create(boolean memcached, ConfigOverride... extra) {
        return new DropwizardAppExtension<>(O7TrackerApplication.class, "config.yml", overrides(memcached, extra));
    }

    /** The test settings: test PostgreSQL (and memcached), a fresh journal, free ports; {@code extra} last, so it wins. */
    public static ConfigOverride[] overrides(boolean memcached, ConfigOverride... extra) {
        TestPostgres postgres = TestPostgres.shared();
        List<ConfigOverride> overrides = new ArrayList<>(List.of(
                ConfigOverride.config("database.url", postgres.jdbcUrl()),
                ConfigOverride.config("database.user", postgres.user()),
                ConfigOverride.config("database.password", postgres.password()),
                ConfigOverride.config("cache.memcachedServers", memcached ? TestMemcached.shared().servers() : ""),
                ConfigOverride.config("counting.journalDirectory", tempDir("o7tracker-journal").toString()),
                ConfigOverride.config("counting.flushInterval", "100ms"),
                ConfigOverride.config("auth.user", Http.USER),
                ConfigOverride.config("auth.password", Http.PASSWORD),
                ConfigOverride.config("fallbackUrl", "https://fallback.example/"),
                ConfigOverride.config("server.applicationConnectors[0].port", "0"),
                ConfigOverride.config("server.applicationConnectors[0].bindHost", "127.0.0.1"),
                ConfigOverride.config("server.adminConnectors[0].port", "0"),
                ConfigOverride.config("logging.level", "WARN")));
        overrides.addAll(List.of(extra));
        return overrides.toArray(ConfigOverride[]::new);
    }

    public static Path tempDir(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
