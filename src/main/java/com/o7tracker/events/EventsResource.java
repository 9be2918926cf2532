package com.o7tracker.events;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;

/** {@code GET /admin/events}: the live stream ({@link LiveEvents}) as Server-Sent Events, behind basic auth. */
@Path("/admin/events")
public class EventsResource {

    private final LiveEvents events;

    public EventsResource(LiveEvents events) {
        this.events = events;
    }

    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public void listen(@Context SseEventSink sink, @Context Sse sse) {
        events.listen(sink, sse);
    }
}
