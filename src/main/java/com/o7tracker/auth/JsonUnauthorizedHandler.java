package com.o7tracker.auth;

import com.o7tracker.web.ErrorBody;
import io.dropwizard.auth.UnauthorizedHandler;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** 401 with the basic-auth challenge and the API's JSON error body. */
public class JsonUnauthorizedHandler implements UnauthorizedHandler {

    public static final String MESSAGE = "Missing or wrong credentials.";

    @Override
    public Response buildResponse(String prefix, String realm) {
        return Response.status(Response.Status.UNAUTHORIZED)
                .header(HttpHeaders.WWW_AUTHENTICATE, prefix + " realm=\"" + realm + "\"")
                .header(HttpHeaders.CACHE_CONTROL, "no-store")
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(ErrorBody.of(MESSAGE))
                .build();
    }
}
