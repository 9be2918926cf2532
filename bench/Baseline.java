import io.dropwizard.configuration.EnvironmentVariableSubstitutor;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.core.Application;
import io.dropwizard.core.Configuration;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import java.net.URI;

/**
 * The benchmark's baseline: a bare Dropwizard resource on the service's server settings that
 * answers every tracking link with a fixed 307: no lookup, no counting.
 */
public class Baseline extends Application<Configuration> {

    public static void main(String[] args) throws Exception {
        new Baseline().run(args);
    }

    @Path("/track/{id}")
    public static class FixedRedirect {
        private static final URI TARGET = URI.create("https://baseline.example/");

        @GET
        public Response click(@PathParam("id") String id, @QueryParam("platform") String platform) {
            return Response.status(307).location(TARGET).header("Cache-Control", "no-store").build();
        }
    }

    @Override
    public void initialize(Bootstrap<Configuration> bootstrap) {
        bootstrap.setConfigurationSourceProvider(new SubstitutingSourceProvider(
                bootstrap.getConfigurationSourceProvider(), new EnvironmentVariableSubstitutor(false)));
    }

    @Override
    public void run(Configuration configuration, Environment environment) {
        environment.jersey().register(new FixedRedirect());
    }
}
