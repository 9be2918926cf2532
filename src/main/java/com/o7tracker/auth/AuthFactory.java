package com.o7tracker.auth;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.github.benmanes.caffeine.cache.Ticker;
import com.o7tracker.settings.Setting;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MinDuration;
import io.dropwizard.validation.ValidationMethod;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin API's basic auth: the credentials (no password means one is generated for the run)
 * and the throttle on failed logins. Every default is here; config.yml sets only what the
 * environment may change.
 */
public class AuthFactory {

    private static final Logger LOG = LoggerFactory.getLogger(AuthFactory.class);

    /** Shorter passwords fall to guessing within the throttle's limits; the service does not start. */
    public static final int MIN_PASSWORD_LENGTH = 12;

    @NotEmpty
    @Setting
    private String user = "admin";

    @Setting
    private String password = "";

    /** Failed logins from one client within {@link #failureWindow} before its requests get 429. */
    @Min(1)
    @Setting
    private int maxFailures = 10;

    @NotNull
    @MinDuration(value = 1, unit = TimeUnit.SECONDS)
    @Setting
    private Duration failureWindow = Duration.minutes(1);

    /** Clients whose failures are remembered; past it the oldest are forgotten (memory stays bounded). */
    @Min(1)
    @Setting
    private long maxTrackedClients = 100_000;

    /**
     * Proxies in front of the service that append the address they saw to X-Forwarded-For. 0: the
     * client is the connection's remote address and X-Forwarded-For is ignored (anyone can send it).
     */
    @Min(0)
    @Max(10)
    @Setting
    private int trustedProxies = 0;

    @JsonIgnore
    @ValidationMethod(message = "auth.password must be at least " + MIN_PASSWORD_LENGTH
            + " characters and not only blanks (AUTH_PASSWORD), or empty to have one generated for the run")
    public boolean isPassword() {
        return password.isEmpty() || (password.length() >= MIN_PASSWORD_LENGTH && !password.isBlank());
    }

    /** Whether a password is configured; without one, each process generates its own. */
    @JsonIgnore
    public boolean hasPassword() {
        return !password.isEmpty();
    }

    /**
     * The admin side's authentication filter, with its throttle counted in {@code metrics}
     * ({@code auth.failures}, {@code auth.throttled}).
     */
    public AdminAuthFilter build(MetricRegistry metrics) {
        LoginThrottle throttle = new LoginThrottle(maxFailures, failureWindow.toJavaDuration(), maxTrackedClients,
                Ticker.systemTicker(), metrics);
        return new AdminAuthFilter(new AdminAuthenticator(user, passwordForTheRun()), throttle, trustedProxies);
    }

    /** The configured password, or one generated for this run and logged once: never a built-in default. */
    private String passwordForTheRun() {
        if (!password.isEmpty()) {
            return password;
        }
        byte[] bytes = new byte[18];
        new SecureRandom().nextBytes(bytes);
        String generated = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        LOG.warn("AUTH_PASSWORD is not set; the admin API password for this run is: {} (user '{}')", generated, user);
        return generated;
    }

    public String getUser() {
        return user;
    }

    public String getPassword() {
        return password;
    }

    public void setPassword(String password) {
        this.password = password;
    }
}
