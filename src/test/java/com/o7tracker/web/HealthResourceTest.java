package com.o7tracker.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.health.HealthCheck;
import com.codahale.metrics.health.HealthCheckRegistry;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.ws.rs.core.Response;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** The public probes say healthy or not; what is wrong stays on the admin port and in the log. */
class HealthResourceTest {

    private static final String DETAIL = "/var/lib/o7tracker/journal/clicks-00000000000000001000.journal: "
            + "No space left on device; ERROR: relation \"click_journals\" does not exist (SELECT position FROM click_journals)";

    private static HealthCheck check(Supplier<HealthCheck.Result> result) {
        return new HealthCheck() {
            @Override
            protected Result check() {
                return result.get();
            }
        };
    }

    @Test
    void anUnhealthyCheckIsAnsweredWithAFixedMessage() throws Exception {
        HealthCheckRegistry checks = new HealthCheckRegistry();
        checks.register("click-journal", check(() -> HealthCheck.Result.unhealthy(DETAIL)));
        checks.register("deadlocks", check(() -> {
            throw new IllegalStateException(DETAIL);
        }));
        HealthResource health = new HealthResource(checks);

        Response readiness = health.readiness();
        String body = new ObjectMapper().writeValueAsString(readiness.getEntity());
        assertThat(readiness.getStatus()).isEqualTo(503);
        assertThat(body).isEqualTo("{\"click-journal\":{\"healthy\":false,\"message\":\"unhealthy\"},"
                + "\"deadlocks\":{\"healthy\":false,\"message\":\"unhealthy\"}}");

        Response liveness = health.liveness();
        assertThat(liveness.getStatus()).isEqualTo(503);
        assertThat(new ObjectMapper().writeValueAsString(liveness.getEntity()))
                .doesNotContain("/var", "SELECT", "relation", "IllegalState");
    }

    @Test
    void aHealthyCheckIsAnsweredWithAFixedMessage() throws Exception {
        HealthCheckRegistry checks = new HealthCheckRegistry();
        checks.register("click-journal", check(() -> HealthCheck.Result.healthy("journal at /srv/data/journal, 3 segments")));
        Response readiness = new HealthResource(checks).readiness();
        assertThat(readiness.getStatus()).isEqualTo(200);
        assertThat(new ObjectMapper().writeValueAsString(readiness.getEntity()))
                .isEqualTo("{\"click-journal\":{\"healthy\":true,\"message\":\"healthy\"}}");
    }
}
