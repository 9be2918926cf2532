package com.o7tracker.web;

import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.util.Callback;

/** The redirect for every visitor who cannot be sent to a campaign, counted by reason. */
public class Fallback {

    private final URI url;
    private final String location;
    private final MetricRegistry metrics;
    private final ConcurrentMap<String, Meter> byReason = new ConcurrentHashMap<>();

    public Fallback(String url, MetricRegistry metrics) {
        this.url = URI.create(url);
        this.location = this.url.toASCIIString();
        this.metrics = metrics;
    }

    /** The fallback redirect as Jersey's answer (for errors on public paths Jersey routes). */
    public Response redirect(String reason) {
        mark(reason);
        return Response.status(Response.Status.TEMPORARY_REDIRECT)
                .header(HttpHeaders.LOCATION, location)
                .header(HttpHeaders.CACHE_CONTROL, "no-store")
                .build();
    }

    /** The fallback redirect as Jetty's answer: the click path, and requests Jetty rejects itself. */
    public boolean send(org.eclipse.jetty.server.Response response, Callback callback, String reason) {
        mark(reason);
        redirect(response, callback, location);
        return true;
    }

    /** A 307 that no browser or proxy may cache: a cached redirect is a click never counted. */
    public static void redirect(org.eclipse.jetty.server.Response response, Callback callback, String location) {
        response.setStatus(HttpStatus.TEMPORARY_REDIRECT_307);
        response.getHeaders().put(HttpHeader.LOCATION, location);
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, 0L);
        response.write(true, null, callback);
    }

    public void mark(String reason) {
        byReason.computeIfAbsent(reason, r -> metrics.meter("clicks.fallback." + r)).mark();
    }
}
