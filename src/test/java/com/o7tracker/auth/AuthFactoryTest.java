package com.o7tracker.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.o7tracker.O7TrackerConfiguration;
import io.dropwizard.configuration.ConfigurationValidationException;
import io.dropwizard.configuration.YamlConfigurationFactory;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.jersey.validation.Validators;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
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
        assertThat(read("auth:\n  password: Secret-Pa555\n").getAuth().getPassword()).isEqualTo("Secret-Pa555");
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
        assertThatThrownBy(() -> read("database:\n  url: jdbc:postgresql://db:5432/o7tracker\n"))
                .isInstanceOf(ConfigurationValidationException.class)
                .hasMessageContaining("AUTH_PASSWORD")
                .hasMessageContaining("DATABASE_URL");
        assertThatThrownBy(() -> read("auth:\n  password:\ndatabase:\n  url: jdbc:postgresql://db:5432/o7tracker\n"))
                .isInstanceOf(ConfigurationValidationException.class)
                .hasMessageContaining("AUTH_PASSWORD");
    }

    @Test
    void anExternalDatabaseWithAPasswordOrTheEmbeddedOneWithoutStarts() throws Exception {
        assertThat(read("auth:\n  password: Secret-Pa555\ndatabase:\n  url: jdbc:postgresql://db:5432/o7tracker\n")
                .getAuth().getPassword()).isEqualTo("Secret-Pa555");
        assertThat(read("database:\n  url:\n").getAuth().getPassword()).as("embedded: one is generated").isEmpty();
    }
}
