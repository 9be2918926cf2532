package com.o7tracker.web;

import java.nio.ByteBuffer;
import org.eclipse.jetty.http.BadMessageException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Errors Jetty answers itself, before a request reaches the resources (a malformed URI, headers
 * too large): on the public side a redirect to the fallback, on the admin side the API's JSON
 * error body. Never Jetty's HTML page.
 */
public class ServerErrorHandler extends ErrorHandler {

    private final Fallback fallback;

    public ServerErrorHandler(Fallback fallback) {
        this.fallback = fallback;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String path = rawPath(request);
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        // The ops port (Dropwizard's admin connector) has no visitors: its errors are plain JSON.
        boolean opsPort = "admin".equals(request.getConnectionMetaData().getConnector().getName());
        // A request line Jetty could not parse reaches here as "/badMessage", without its headers:
        // it is answered as a visitor would be, with the fallback.
        if (!opsPort && !AdminSide.contains(path)) {
            if (request.getAttribute(ERROR_EXCEPTION) instanceof BadMessageException) {
                // Jetty closes the connection after a request it could not parse; a 307 would
                // otherwise leave the client to send its next request into the closed socket.
                response.getHeaders().put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString());
            }
            return fallback.send(response, callback, "bad-request");
        }
        int status = response.getStatus() >= 400 ? response.getStatus() : 400;
        String message = ErrorBody.messageFor(status, "Malformed request.");
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.write(true, ByteBuffer.wrap(ErrorBody.of(message).bytes()), callback);
        return true;
    }

    /**
     * The path as sent; the URI may not decode (that can be the error being answered). Only a
     * target in absolute form ({@code http://host/path}) has a scheme and authority to skip; an
     * origin-form path ({@code /track/1://x/admin}) is a path, whatever it holds.
     */
    private static String rawPath(Request request) {
        String uri = request.getHttpURI() == null ? "" : request.getHttpURI().asString();
        int scheme = uri.startsWith("/") ? -1 : uri.indexOf("://");
        if (scheme >= 0) {
            int slash = uri.indexOf('/', scheme + 3);
            uri = slash < 0 ? "/" : uri.substring(slash);
        }
        int query = uri.indexOf('?');
        return query < 0 ? uri : uri.substring(0, query);
    }
}
