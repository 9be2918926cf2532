package com.o7tracker.events;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
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

    /** The stream's headers only (Jersey's own HEAD would open a stream and never answer). */
    @HEAD
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public Response headers() {
        return Response.ok().type(MediaType.SERVER_SENT_EVENTS_TYPE).build();
    }
}
