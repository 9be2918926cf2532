package com.o7tracker.track;

import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

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

    public void mark(String reason) {
        byReason.computeIfAbsent(reason, r -> metrics.meter("clicks.fallback." + r)).mark();
    }

    public String location() {
        return location;
    }
}
