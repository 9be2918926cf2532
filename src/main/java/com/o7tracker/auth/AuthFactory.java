package com.o7tracker.auth;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.github.benmanes.caffeine.cache.Ticker;
import com.o7tracker.settings.Absent;
import com.o7tracker.settings.KeptSecret;
import com.o7tracker.settings.Setting;
import com.o7tracker.web.ClientAddress;
import io.dropwizard.util.Duration;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.validation.MaxDuration;
import io.dropwizard.validation.MinDuration;
import io.dropwizard.validation.ValidationMethod;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterRegistration;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin API's authentication (the password, or an API key of {@link ApiKeys}): the credentials (no password means the one kept in the data
 * directory, generated at the first start on it) and the throttle on failed logins. Every default is here; config.yml sets only what the
 * environment may change.
 */
public class AuthFactory {

    private static final Logger LOG = LoggerFactory.getLogger(AuthFactory.class);

    /** Shorter passwords fall to guessing within the throttle's limits; the service does not start. */
    public static final int MIN_PASSWORD_LENGTH = 12;

    @NotEmpty
    @Setting
    private String user = "admin";

    /**
     * Where, in the data directory, the admin password is kept when none is set: generated at the
     * first start on the directory, then used again at every start on it (only the embedded
     * default has no password set, and it is the only instance on its data).
     */
    public static final String PASSWORD_FILE = "admin-password";

    /** Absent: the one kept in the data directory's {@value #PASSWORD_FILE}, generated at the first start. */
    @Setting
    private String password;

    /**
     * Failed logins from one client, or attempts as one user name not logged in, within
     * {@link #failureWindow} before their attempts are spaced (see {@link LoginThrottle}).
     */
    @Min(1)
    @Setting
    private int maxFailures = 10;

    @NotNull
    @MinDuration(value = 1, unit = TimeUnit.SECONDS)
    @Setting
    private Duration failureWindow = Duration.minutes(1);

    /** Clients, and user names, whose attempts are remembered; past it the oldest are forgotten (memory stays bounded). */
    @Min(1)
    @Setting
    private long maxTrackedClients = 100_000;

    /**
     * The spacing of a throttled user name's or client's turns (see {@link LoginThrottle}): about
     * one attempt per this long is checked. A client waits at most this long for its own turn, and
     * at most {@value LoginThrottle#WAITING_PLACES} times it for a user name's round of waiting
     * clients; an attempt beyond is refused (429) unchecked.
     */
    @NotNull
    @MinDuration(value = 10, unit = TimeUnit.MILLISECONDS)
    @MaxDuration(value = 30, unit = TimeUnit.SECONDS)
    @Setting
    private Duration maxDelay = Duration.seconds(2);

    @JsonIgnore
    @ValidationMethod(message = "auth.password must be at least " + MIN_PASSWORD_LENGTH
            + " characters and not only blanks (AUTH_PASSWORD), or empty to have one generated and kept in the data directory")
    public boolean isPassword() {
        return password == null || password.isEmpty() || isStrong(password);
    }

    private static boolean isStrong(String password) {
        return password.length() >= MIN_PASSWORD_LENGTH && !password.isBlank();
    }

    /** Whether a password is configured; without one, each process generates its own (or reads the one it kept). */
    @JsonIgnore
    public boolean hasPassword() {
        return getPassword().isPresent();
    }

    /**
     * The admin side's authentication filter, for Jersey, after registering the servlet filter that
     * gives each attempt its turn; counted in the metrics {@code auth.failures}, {@code auth.evaluations},
     * {@code auth.delayed} and {@code auth.throttled}.
     */
    public AdminAuthFilter build(Environment environment, ClientAddress clientAddress, Path dataDirectory, ApiKeys keys) {
        LoginThrottle throttle = new LoginThrottle(maxFailures, failureWindow.toJavaDuration(), maxDelay.toJavaDuration(),
                maxTrackedClients, Ticker.systemTicker(), environment.metrics());
        ScheduledExecutorService turns = environment.lifecycle().scheduledExecutorService("login-turns-%d").threads(1).build();
        LoginGate gate = new LoginGate(throttle, clientAddress, turns, throttle.longestWait());
        FilterRegistration.Dynamic registration = environment.servlets().addFilter("login-gate", gate);
        registration.setAsyncSupported(true);
        registration.addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC), true, "/*");
        return new AdminAuthFilter(new AdminAuthenticator(user, password(dataDirectory)), keys, throttle, gate);
    }

    /**
     * The configured password; or the one kept in {@code dataDirectory}, generated and logged at the
     * first start on it (a browser or script that kept it goes on working after a restart; the log
     * says where it is, not what it is, at the next starts): never a built-in default.
     */
    private String password(Path dataDirectory) {
        if (hasPassword()) {
            return password;
        }
        Path file = passwordFile(dataDirectory);
        try {
            Optional<String> kept = KeptSecret.read(file);
            if (kept.isPresent()) {
                if (!isStrong(kept.get())) {
                    throw new IllegalStateException(file + " holds no admin password of at least " + MIN_PASSWORD_LENGTH
                            + " characters: delete it to have one generated, or set AUTH_PASSWORD");
                }
                LOG.info("AUTH_PASSWORD is not set; the admin API password (user '{}') is the one kept in {}", user, file);
                return kept.get();
            }
            String generated = KeptSecret.draw(18);
            KeptSecret.write(file, generated);
            LOG.warn("AUTH_PASSWORD is not set; the admin API password generated for this data directory is: {}"
                    + " (user '{}'; kept in {} and used again at every start on it)", generated, user, file);
            return generated;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read or keep the admin API password in " + file, e);
        }
    }

    /** How to sign in, for the start-up log: the user name, and where the password comes from (never the password). */
    public String signIn(Path dataDirectory) {
        return "'" + user + "' with the password " + (hasPassword()
                ? "of AUTH_PASSWORD (auth.password)"
                : "kept in " + passwordFile(dataDirectory));
    }

    /** Where the password is kept in {@code dataDirectory} when none is set. */
    private static Path passwordFile(Path dataDirectory) {
        return dataDirectory.resolve(PASSWORD_FILE);
    }

    public String getUser() {
        return user;
    }

    /** Blanks, which validation refuses, never reach it. */
    public Optional<String> getPassword() {
        return Absent.ifBlank(password);
    }

    public void setPassword(String password) {
        this.password = password;
    }
}
