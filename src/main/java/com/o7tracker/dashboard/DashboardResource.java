package com.o7tracker.dashboard;

import com.o7tracker.web.ApiException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The dashboard at {@code /admin/}: a page, its ES modules and style, and uPlot (from its WebJar),
 * served from the jar behind the admin API's basic auth and cross-site rule, with a strict
 * Content-Security-Policy (only this origin's script, style and connections; no inline code). It
 * reads the JSON API and the live events like any client.
 *
 * <p>The modules import each other by relative URL, so the browser fetches a dozen small files:
 * each carries an ETag and is revalidated ({@code no-cache}), so a reload costs a dozen 304s and a
 * new version of the jar is never mixed with an old one in a browser's cache.
 */
@Path("/admin")
public class DashboardResource {

    static final String POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
    /** The dashboard's own files: a name of lower-case words, looked up only in its folder. */
    private static final Pattern NAME = Pattern.compile("[a-z]+(-[a-z]+)*\\.(js|css|svg)");
    /** uPlot, by the version of the org.webjars.npm:uplot dependency in pom.xml. */
    private static final String UPLOT = "/META-INF/resources/webjars/uplot/1.6.30/dist/";
    private static final Map<String, String> LIBRARIES = Map.of(
            "uplot.js", UPLOT + "uPlot.esm.js",
            "uplot.css", UPLOT + "uPlot.min.css");
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            // The world map, read by the page and shaded in it (worldmap.js); made by src/main/map/.
            "svg", "image/svg+xml; charset=utf-8");

    /** The files read so far, each read once: the jar does not change while it runs. */
    private final Map<String, File> files = new ConcurrentHashMap<>();

    /** At /admin/ and /admin. */
    @GET
    public Response page(@Context Request request) {
        return answer(request, file("index.html").orElseThrow());
    }

    @GET
    @Path("/ui/{file}")
    public Response asset(@PathParam("file") String name, @Context Request request) {
        return answer(request, file(name).orElseThrow(() ->
                ApiException.notFound("No dashboard file " + ApiException.quote(name) + ".")));
    }

    /** The file of that name, if the dashboard has one. */
    Optional<File> file(String name) {
        String path = LIBRARIES.get(name);
        if (path == null && (name.equals("index.html") || NAME.matcher(name).matches())) {
            path = "/dashboard/" + name;
        }
        if (path == null) {
            return Optional.empty();
        }
        File known = files.get(name);
        if (known != null) {
            return Optional.of(known);
        }
        // Only files found are kept: a name asked for in vain costs a lookup, no memory.
        Optional<File> found = File.read(path, TYPES.get(name.substring(name.lastIndexOf('.') + 1)));
        found.ifPresent(f -> files.put(name, f));
        return found;
    }

    private static Response answer(Request request, File file) {
        Response.ResponseBuilder unchanged = request.evaluatePreconditions(file.tag());
        Response.ResponseBuilder answer = unchanged != null ? unchanged : Response.ok(file.bytes(), file.type());
        return answer.tag(file.tag())
                .header("Content-Security-Policy", POLICY)
                .header("X-Content-Type-Options", "nosniff")
                .header("Referrer-Policy", "no-referrer")
                .header("Cache-Control", "no-cache")
                .build();
    }

    record File(byte[] bytes, String type, EntityTag tag) {
        static Optional<File> read(String resource, String type) {
            try (InputStream in = DashboardResource.class.getResourceAsStream(resource)) {
                if (in == null) {
                    return Optional.empty();
                }
                byte[] bytes = in.readAllBytes();
                byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
                return Optional.of(new File(bytes, type, new EntityTag(HexFormat.of().formatHex(digest, 0, 16))));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
