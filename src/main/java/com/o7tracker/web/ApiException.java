package com.o7tracker.web;

import jakarta.ws.rs.WebApplicationException;

/** A client's mistake, with the status and the message (naming the field) it is answered with. */
public class ApiException extends WebApplicationException {

    public ApiException(int status, String message) {
        super(message, status);
    }

    public static ApiException badRequest(String message) {
        return new ApiException(400, message);
    }

    public static ApiException unprocessable(String message) {
        return new ApiException(422, message);
    }

    public static ApiException notFound(String message) {
        return new ApiException(404, message);
    }

    /** What the client sent, quoted in a message: the first 64 characters of it, so answers stay small. */
    public static String quote(String sent) {
        return "'" + (sent.length() <= 64 ? sent : sent.substring(0, 64) + "…") + "'";
    }
}
