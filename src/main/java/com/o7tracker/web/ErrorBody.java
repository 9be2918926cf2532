package com.o7tracker.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;

/**
 * The original service's error shape, {@code {"status":"error","msg":"..."}}, and the one place it
 * is written, for Jersey's answers and for the ones Jetty sends itself.
 */
public record ErrorBody(String status, String msg) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public static ErrorBody of(String msg) {
        return new ErrorBody("error", msg);
    }

    /**
     * The fixed message of an error status that is not the client's to explain (server errors,
     * routing, negotiation), or {@code otherwise} for the rest.
     */
    public static String messageFor(int status, String otherwise) {
        return switch (status) {
            case 404 -> "Not found.";
            case 405 -> "Method not allowed.";
            case 406 -> "The media type asked for (Accept) is not served here.";
            case 415 -> "Unsupported media type.";
            case 431 -> "Request headers are too large.";
            case 503 -> "Service unavailable; try again later.";
            default -> status >= 500 ? "Internal server error." : otherwise;
        };
    }

    public byte[] bytes() {
        try {
            return JSON.writeValueAsBytes(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e); // two strings always serialise
        }
    }

    /** The answer with this body: JSON, never cached. Add headers to taste. */
    public Response.ResponseBuilder response(int status) {
        return Response.status(status)
                .type(MediaType.APPLICATION_JSON_TYPE)
                .header(HttpHeaders.CACHE_CONTROL, "no-store")
                .entity(new String(bytes(), StandardCharsets.UTF_8));
    }
}
