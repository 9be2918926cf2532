package com.o7tracker.web;

import com.codahale.metrics.health.HealthCheck;
import com.codahale.metrics.health.HealthCheckRegistry;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * App Engine Flexible routes only the application port, so its liveness and readiness probes are
 * answered here from the admin port's health checks. Readiness leaves out the dependencies whose
 * loss the click path rides through (PostgreSQL, memcached, a growing backlog): an instance that
 * can still redirect and record clicks keeps its traffic.
 */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
public class HealthResource {

    private static final Set<String> READINESS = Set.of("click-journal", "deadlocks");

    private final HealthCheckRegistry healthChecks;

    public HealthResource(HealthCheckRegistry healthChecks) {
        this.healthChecks = healthChecks;
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
            HealthCheck.Result result = healthChecks.runHealthCheck(name);
            healthy &= result.isHealthy();
            body.put(name, Map.of("healthy", result.isHealthy(), "message", String.valueOf(result.getMessage())));
        }
        return Response.status(healthy ? 200 : 503).header("Cache-Control", "no-store").entity(body).build();
    }
}
