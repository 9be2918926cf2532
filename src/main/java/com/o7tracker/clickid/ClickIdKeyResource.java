package com.o7tracker.clickid;

import com.codahale.metrics.annotation.Timed;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.o7tracker.web.PasswordOnly;
import io.dropwizard.servlets.tasks.Task;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;

/**
 * Rotating the key that signs click ids: {@code POST /admin/click-id-keys/rotate} on the admin API
 * (the admin password only, as the API keys: no key manages keys), and the task {@code rotate-click-id-key} on the admin port. Both answer the new
 * key's id, never its secret. Ids signed with the keys before keep verifying ({@link ClickIdKeys}).
 */
@Path("/admin/click-id-keys")
@PasswordOnly
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.WILDCARD)
public class ClickIdKeyResource {

    /** The answer of a rotation. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Rotated(int keyId) {
    }

    private final ClickIdKeys keys;

    public ClickIdKeyResource(ClickIdKeys keys) {
        this.keys = keys;
    }

    @POST
    @Path("/rotate")
    @Timed
    public Rotated rotate() {
        return new Rotated(keys.rotate());
    }

    /** The same on the admin port: {@code curl -X POST 127.0.0.1:8081/tasks/rotate-click-id-key}. */
    public static Task rotationTask(ClickIdKeys keys) {
        return new Task("rotate-click-id-key") {
            @Override
            public void execute(Map<String, List<String>> parameters, PrintWriter output) {
                output.println("Click ids are signed with key " + keys.rotate() + " from now on.");
            }
        };
    }
}
