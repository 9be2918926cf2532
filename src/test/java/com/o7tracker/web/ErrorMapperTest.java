package com.o7tracker.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.MetricRegistry;
import com.o7tracker.web.Fallback;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.dropwizard.testing.junit5.ResourceExtension;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.InternalServerErrorException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Server errors on the admin side carry a fixed message by status; what went wrong goes to the log. */
@ExtendWith(DropwizardExtensionsSupport.class)
class ErrorMapperTest {

    static final String DETAIL = "FATAL: terminating connection due to administrator command at "
            + "/var/run/postgresql/.s.PGSQL.5432 (UPDATE campaigns SET click_count = click_count + 1)";

    @Path("/tasks")
    public static class Failing {

        @GET
        @Path("unavailable")
        public String unavailable() {
            throw new ApiException(503, "Counters could not be updated now: " + DETAIL);
        }

        @GET
        @Path("server")
        public String server() {
            throw new InternalServerErrorException(DETAIL);
        }

        @GET
        @Path("unexpected")
        public String unexpected() {
            throw new IllegalStateException(DETAIL);
        }

        @GET
        @Path("client")
        public String client() {
            throw ApiException.badRequest("Query parameter limit must be an integer from 1 to 1000.");
        }
    }

    static final ResourceExtension RESOURCES = ResourceExtension.builder()
            .setRegisterDefaultExceptionMappers(false) // as config.yml says
            .addResource(new Failing())
            .addProvider(new ErrorMapper(new Fallback("https://fallback.example/", new MetricRegistry())))
            .build();

    private static String body(String path, int status) {
        Response response = RESOURCES.target(path).request().get();
        assertThat(response.getStatus()).isEqualTo(status);
        assertThat(response.getHeaderString("Content-Type")).startsWith("application/json");
        return response.readEntity(String.class);
    }

    @Test
    void serverErrorsDoNotEchoTheirCause() {
        assertThat(body("/tasks/unavailable", 503))
                .isEqualTo("{\"status\":\"error\",\"msg\":\"Service unavailable; try again later.\"}");
        assertThat(body("/tasks/server", 500)).isEqualTo("{\"status\":\"error\",\"msg\":\"Internal server error.\"}");
        assertThat(body("/tasks/unexpected", 500)).isEqualTo("{\"status\":\"error\",\"msg\":\"Internal server error.\"}");
    }

    @Test
    void clientErrorsKeepTheirMessage() {
        assertThat(body("/tasks/client", 400))
                .isEqualTo("{\"status\":\"error\",\"msg\":\"Query parameter limit must be an integer from 1 to 1000.\"}");
    }
}
