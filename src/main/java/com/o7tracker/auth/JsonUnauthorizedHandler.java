package com.o7tracker.auth;

import com.o7tracker.web.ErrorBody;
import io.dropwizard.auth.UnauthorizedHandler;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

/** 401 with the basic-auth challenge and the API's JSON error body. */
public class JsonUnauthorizedHandler implements UnauthorizedHandler {

    public static final String MESSAGE = "Missing or wrong credentials.";

    @Override
    public Response buildResponse(String prefix, String realm) {
        return ErrorBody.of(MESSAGE).response(401)
                .header(HttpHeaders.WWW_AUTHENTICATE, prefix + " realm=\"" + realm + "\"")
                .build();
    }
}
