package com.o7tracker.track;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.net.URI;

final class Redirects {

    private Redirects() {
    }

    /** 307 that no browser or proxy may cache: a cached redirect is a click never counted. */
    static Response to(URI location) {
        return Response.status(Response.Status.TEMPORARY_REDIRECT)
                .header(HttpHeaders.LOCATION, location)
                .header(HttpHeaders.CACHE_CONTROL, "no-store")
                .build();
    }
}
