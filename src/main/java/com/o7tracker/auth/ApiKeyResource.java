package com.o7tracker.auth;

import com.codahale.metrics.annotation.Timed;
import com.o7tracker.web.ApiException;
import com.o7tracker.web.JsonBody;
import com.o7tracker.web.PasswordOnly;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import java.util.List;

/**
 * {@code /admin/api-keys}: make, list and revoke API keys, with the admin password only (a key,
 * whatever its scopes, cannot make another). A key is shown once, in the answer that makes it.
 */
@Path("/admin/api-keys")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.WILDCARD)
@PasswordOnly
public class ApiKeyResource {

    private final ApiKeys keys;
    private final JsonBody json;

    public ApiKeyResource(ApiKeys keys, JsonBody json) {
        this.keys = keys;
        this.json = json;
    }

    @POST
    @Timed
    public Response create(InputStream body) {
        ApiKeyRequest request = ApiKeyRequest.parse(json.read(body));
        // The key is in this answer only: no cache may keep it.
        return Response.status(201).entity(keys.create(request.name(), request.scopes()))
                .header(HttpHeaders.CACHE_CONTROL, "no-store").build();
    }

    @GET
    @Timed
    public List<ApiKey> list() {
        return keys.list();
    }

    @DELETE
    @Path("/{id}")
    @Timed
    public Response revoke(@PathParam("id") String id) {
        if (!id.matches("[1-9][0-9]{0,17}") || !keys.revoke(Long.parseLong(id))) {
            throw ApiException.notFound("No API key " + ApiException.quote(id) + ".");
        }
        return Response.noContent().build();
    }
}
