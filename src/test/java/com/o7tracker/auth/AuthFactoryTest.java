package com.o7tracker.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.o7tracker.O7TrackerApplication;
import com.o7tracker.O7TrackerConfiguration;
import io.dropwizard.configuration.ConfigurationValidationException;
import io.dropwizard.configuration.EnvironmentVariableSubstitutor;
import io.dropwizard.configuration.FileConfigurationSourceProvider;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.configuration.YamlConfigurationFactory;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.jersey.validation.Validators;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.commons.text.lookup.StringLookupFactory;
import org.junit.jupiter.api.Test;

/**
 * The configuration is read as at start: a password too short to resist guessing stops the
 * service, and so does a missing one where several instances would each generate their own.
 */
class AuthFactoryTest {

    private static O7TrackerConfiguration read(String yaml) throws Exception {
        return new YamlConfigurationFactory<>(O7TrackerConfiguration.class, Validators.newValidator(),
                Jackson.newObjectMapper(), "o7tracker-auth-test")
                .build(path -> new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "config.yml");
    }

    @Test
    void aPasswordShorterThanTwelveCharactersIsRefused() {
        assertThatThrownBy(() -> read("auth:\n  password: Secret-Pa55\n"))
                .isInstanceOf(ConfigurationValidationException.class)
                .hasMessageContaining("auth.password")
                .hasMessageContaining("at least 12 characters");
    }

    @Test
    void twelveCharactersOrNoneAtAllAreAccepted() throws Exception {
        assertThat(read("auth:\n  password: Secret-Pa555\n").getAuth().getPassword()).hasValue("Secret-Pa555");
        assertThat(read("auth:\n  password: \"\"\n").getAuth().getPassword()).isEmpty();
        assertThat(read("auth:\n  password:\n").getAuth().getPassword()).as("unset: the default").isEmpty();
        assertThat(read("auth:\n  user: admin\n").getAuth().getPassword()).isEmpty();
    }

    @Test
    void aPasswordOfBlanksIsRefused() {
        assertThatThrownBy(() -> read("auth:\n  password: \"                \"\n"))
                .isInstanceOf(ConfigurationValidationException.class)
                .hasMessageContaining("auth.password")
                .hasMessageContaining("not only blanks");
    }

    @Test
    void anExternalDatabaseWithoutAPasswordIsRefusedSayingWhatToSet() {
        // Every instance on the shared PostgreSQL would generate a password of its own, and an admin
        // request would succeed or fail depending on the instance it reached.
        // Refused when the server starts; `db migrate` serves no admin API and reads the same file.
        assertThatThrownBy(() -> read("database:\n  url: jdbc:postgresql://db:5432/o7tracker\n").requireSharedAdminPassword())
                .hasMessageContaining("AUTH_PASSWORD")
                .hasMessageContaining("DATABASE_URL");
        assertThatThrownBy(() -> read("auth:\n  password:\ndatabase:\n  url: jdbc:postgresql://db:5432/o7tracker\n")
                .requireSharedAdminPassword())
                .hasMessageContaining("AUTH_PASSWORD");
    }

    @Test
    void anExternalDatabaseWithAPasswordOrTheEmbeddedOneWithoutStarts() throws Exception {
        O7TrackerConfiguration external = read("auth:\n  password: Secret-Pa555\ndatabase:\n  url: jdbc:postgresql://db:5432/o7tracker\n");
        external.requireSharedAdminPassword();
        assertThat(external.getAuth().getPassword()).hasValue("Secret-Pa555");
        O7TrackerConfiguration embedded = read("database:\n  url:\n");
        embedded.requireSharedAdminPassword();
        assertThat(embedded.getAuth().getPassword()).as("embedded: one is generated").isEmpty();
    }

    @Test
    void badClientAddressSettingsAreRefusedSayingWhichAndHow() {
        assertThatThrownBy(() -> read("clientAddress:\n  trustedProxyRanges: 10.0.0.0/8,10.0.0/8\n"))
                .isInstanceOf(ConfigurationValidationException.class)
                .hasMessageContaining("trustedProxyRanges must be comma-separated CIDR ranges")
                .hasMessageContaining("TRUSTED_PROXY_RANGES");
        assertThatThrownBy(() -> read("clientAddress:\n  trustedProxyRanges: 10.0.0.0/33\n"))
                .isInstanceOf(ConfigurationValidationException.class)
                .hasMessageContaining("TRUSTED_PROXY_RANGES");
        assertThatThrownBy(() -> read("clientAddress:\n  trustedProxies: -1\n"))
                .isInstanceOf(ConfigurationValidationException.class)
                .hasMessageContaining("clientAddress.trustedProxies must be 0 or more (TRUSTED_PROXIES");
        assertThatThrownBy(() -> read("auth:\n  maxDelay: 0s\n"))
                .isInstanceOf(ConfigurationValidationException.class)
                .hasMessageContaining("auth.maxDelay");
    }

    /** config.yml itself, read with the service's substitutor and {@code env} as the environment. */
    private static O7TrackerConfiguration readConfigYml(Map<String, String> env) throws Exception {
        EnvironmentVariableSubstitutor substitutor =
                O7TrackerApplication.environmentSubstitutor(StringLookupFactory.INSTANCE.mapStringLookup(env));
        return new YamlConfigurationFactory<>(O7TrackerConfiguration.class, Validators.newValidator(),
                Jackson.newObjectMapper(), "o7tracker-auth-test")
                .build(new SubstitutingSourceProvider(new FileConfigurationSourceProvider(), substitutor), "config.yml");
    }

    @Test
    void trustedProxiesIsReadFromTrustedProxiesOrElseItsEarlierNameAuthTrustedProxies() throws Exception {
        assertThat(readConfigYml(Map.of()).getClientAddress().getTrustedProxies()).isZero();
        assertThat(readConfigYml(Map.of("AUTH_TRUSTED_PROXIES", "2")).getClientAddress().getTrustedProxies()).isEqualTo(2);
        assertThat(readConfigYml(Map.of("TRUSTED_PROXIES", "1")).getClientAddress().getTrustedProxies()).isEqualTo(1);
        assertThat(readConfigYml(Map.of("TRUSTED_PROXIES", "1", "AUTH_TRUSTED_PROXIES", "2"))
                .getClientAddress().getTrustedProxies()).isEqualTo(1);
        assertThatThrownBy(() -> readConfigYml(Map.of("TRUSTED_PROXY_RANGES", "10.0.0.0/8, nonsense")))
                .hasMessageContaining("TRUSTED_PROXY_RANGES");
        assertThat(readConfigYml(Map.of("TRUSTED_PROXY_RANGES", "10.0.0.0/8, fc00::/7")).getClientAddress().build()
                .isTrustedProxy(java.net.InetAddress.getByName("127.0.0.1"))).as("the ranges replace the defaults").isFalse();
    }

    @Test
    void aPasswordFromTheEnvironmentIsTakenAsItIsWhateverYamlWouldMakeOfIt() throws Exception {
        for (String password : List.of("correct horse #battery", "*abcdefghijklmn", "abc: defghijklmnop", "[not, a, list]",
                "%{weird}&!|>\"quoted\"\\", "it's 'quoted' too")) {
            assertThat(readConfigYml(Map.of("AUTH_PASSWORD", password)).getAuth().getPassword()).hasValue(password);
        }
        assertThatThrownBy(() -> readConfigYml(Map.of("AUTH_PASSWORD", "              ")))
                .as("blanks are refused, not read as no password")
                .hasMessageContaining("not only blanks");
        assertThat(readConfigYml(Map.of()).getAuth().getPassword()).as("unset: one is generated").isEmpty();
    }
}
