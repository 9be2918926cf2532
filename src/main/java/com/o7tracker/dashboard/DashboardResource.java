package com.o7tracker.dashboard;

import com.o7tracker.web.ApiException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The dashboard at {@code /admin/}: a page and its script and style, served from the jar behind the
 * admin API's basic auth and cross-site rule, with a strict Content-Security-Policy (only this
 * origin's script, style and connections; no inline code). It reads the JSON API and the live
 * events like any client.
 */
@Path("/admin")
public class DashboardResource {

    static final String POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
    private static final Map<String, String> FILES = Map.of(
            "dashboard.js", "text/javascript; charset=utf-8",
            "dashboard.css", "text/css; charset=utf-8");

    /** At /admin/ and /admin. */
    @GET
    public Response page() {
        return file("index.html", "text/html; charset=utf-8");
    }

    @GET
    @Path("/ui/{file}")
    public Response asset(@PathParam("file") String name) {
        String type = FILES.get(name);
        if (type == null) {
            throw ApiException.notFound("No dashboard file " + ApiException.quote(name) + ".");
        }
        return file(name, type);
    }

    private static Response file(String name, String type) {
        try (InputStream in = DashboardResource.class.getResourceAsStream("/dashboard/" + name)) {
            return Response.ok(in.readAllBytes(), type)
                    .header("Content-Security-Policy", POLICY)
                    .header("X-Content-Type-Options", "nosniff")
                    .header("Referrer-Policy", "no-referrer")
                    .header("Cache-Control", "no-store")
                    .build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
