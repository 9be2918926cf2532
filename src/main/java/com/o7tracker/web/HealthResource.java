package com.o7tracker.web;

import com.codahale.metrics.health.HealthCheck;
import com.codahale.metrics.health.HealthCheckRegistry;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * App Engine Flexible routes only the application port, so its liveness and readiness probes are
 * answered here from the admin port's health checks. Readiness leaves out the dependencies whose
 * loss the click path rides through (PostgreSQL, memcached, a growing backlog): an instance that
 * can still redirect and record clicks keeps its traffic. The answer says only healthy or not (it
 * is public); the checks' own messages, which may name files or SQL, go to the log.
 */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
public class HealthResource {

    private static final Set<String> READINESS = Set.of("click-journal", "deadlocks");

    private static final Duration RESULT_LIFETIME = Duration.ofSeconds(1);

    private static final Logger LOG = LoggerFactory.getLogger(HealthResource.class);

    private final HealthCheckRegistry healthChecks;
    private final Map<String, String> lastState = new ConcurrentHashMap<>();

    /**
     * The probes are public and unauthenticated, and the deadlock scan (ThreadMXBean's) pauses
     * every thread of the JVM: a result is reused for {@link #RESULT_LIFETIME}, and probes that
     * arrive while a check runs wait for that one run rather than starting their own, so a flood
     * of probes costs at most one scan per second.
     */
    private final Cache<String, HealthCheck.Result> recent;

    public HealthResource(HealthCheckRegistry healthChecks) {
        this(healthChecks, Ticker.systemTicker());
    }

    HealthResource(HealthCheckRegistry healthChecks, Ticker ticker) {
        this.healthChecks = healthChecks;
        this.recent = Caffeine.newBuilder().expireAfterWrite(RESULT_LIFETIME).ticker(ticker).build();
    }

    @GET
    @Path("liveness_check")
    public Response liveness() {
        return answer(Set.of("deadlocks"));
    }

    @GET
    @Path("readiness_check")
    public Response readiness() {
        return answer(READINESS);
    }

    private Response answer(Set<String> names) {
        Map<String, Object> body = new TreeMap<>();
        boolean healthy = true;
        for (String name : names) {
            if (!healthChecks.getNames().contains(name)) {
                continue;
            }
            HealthCheck.Result result = recent.get(name, healthChecks::runHealthCheck);
            healthy &= result.isHealthy();
            body.put(name, new Probe(result.isHealthy(), result.isHealthy() ? "healthy" : "unhealthy"));
            logChange(name, result);
        }
        return Response.status(healthy ? 200 : 503).header("Cache-Control", "no-store").entity(body).build();
    }

    /** What is wrong goes to the log, once per change rather than once per probe. */
    private void logChange(String name, HealthCheck.Result result) {
        String state = result.isHealthy() ? "" : String.valueOf(result.getMessage());
        String before = lastState.put(name, state);
        if (state.equals(before) || (before == null && result.isHealthy())) {
            return;
        }
        if (result.isHealthy()) {
            LOG.info("Health check {} is healthy again", name);
        } else {
            LOG.warn("Health check {} is unhealthy: {}", name, state, result.getError());
        }
    }

    /** A public probe's answer per check: fixed words only; the admin port's /healthcheck has the details. */
    record Probe(boolean healthy, String message) {
    }
}
