package com.o7tracker.support;

import com.o7tracker.O7TrackerApplication;
import com.o7tracker.O7TrackerConfiguration;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** The whole service, in-process, on the project's config.yml, against the test PostgreSQL and memcached. */
public final class TestApp {

    private TestApp() {
    }

    /** {@code settings}: pairs of configuration path and value, on top of the test defaults. */
    public static DropwizardAppExtension<O7TrackerConfiguration> withMemcached(String... settings) {
        return new DropwizardAppExtension<>(O7TrackerApplication.class, "config.yml", overrides(true, settings));
    }

    public static DropwizardAppExtension<O7TrackerConfiguration> withoutMemcached(String... settings) {
        return new DropwizardAppExtension<>(O7TrackerApplication.class, "config.yml", overrides(false, settings));
    }

    /** The test settings: test PostgreSQL (and memcached), a fresh journal, free ports; then {@code settings}. */
    public static ConfigOverride[] overrides(boolean memcached, String... settings) {
        TestPostgres postgres = TestPostgres.shared();
        Map<String, String> config = new LinkedHashMap<>();
        config.put("database.url", postgres.jdbcUrl());
        config.put("database.user", postgres.user());
        config.put("database.password", postgres.password());
        config.put("cache.memcachedServers", memcached ? TestMemcached.shared().servers() : "");
        config.put("counting.journalDirectory", tempDir("o7tracker-journal").toString());
        config.put("counting.flushInterval", "100ms");
        config.put("auth.user", Http.USER);
        config.put("auth.password", Http.PASSWORD);
        config.put("fallbackUrl", "https://fallback.example/");
        config.put("server.applicationConnectors[0].port", "0");
        config.put("server.applicationConnectors[0].bindHost", "127.0.0.1");
        config.put("server.adminConnectors[0].port", "0");
        config.put("logging.level", "WARN");
        for (int i = 0; i + 1 < settings.length; i += 2) {
            config.put(settings[i], settings[i + 1]);
        }
        return config.entrySet().stream()
                .map(e -> ConfigOverride.config(e.getKey(), e.getValue()))
                .toArray(ConfigOverride[]::new);
    }

    /** The small country database the tests look addresses up in (geo/make-test-databases.pl says which). */
    public static String countryDatabase() {
        try {
            return Path.of(TestApp.class.getResource("/geo/country-geolite2.mmdb").toURI()).toString();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Path tempDir(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
