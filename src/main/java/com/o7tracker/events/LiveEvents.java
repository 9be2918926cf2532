package com.o7tracker.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.o7tracker.counting.ClickCounts;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseBroadcaster;
import jakarta.ws.rs.sse.SseEventSink;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The live stream of the admin side: after every flush one {@code clicks} event with the deltas
 * just applied per campaign, and a {@code campaign} event for each campaign created, changed or
 * deleted here. One broadcast per flush, whatever the number of clicks; each listener costs its
 * own write only.
 */
public class LiveEvents {

    private final ObjectMapper json;
    private volatile Sse sse;
    private volatile SseBroadcaster broadcaster;
    private boolean closed;

    public LiveEvents(ObjectMapper json) {
        this.json = json;
    }

    /** Ends every stream (at shutdown: an open stream would hold the server's graceful stop). */
    public synchronized void close() {
        if (broadcaster != null) {
            broadcaster.close();
        }
        closed = true;
    }

    /** Adds a listener (the first one brings the broadcaster up). */
    synchronized void listen(SseEventSink sink, Sse sse) {
        if (closed) {
            sink.close();
            return;
        }
        if (broadcaster == null) {
            this.sse = sse;
            this.broadcaster = sse.newBroadcaster();
        }
        broadcaster.register(sink);
        sink.send(sse.newEventBuilder().comment("o7tracker live events").build());
    }

    /** The deltas of one applied batch, per campaign: {"campaigns":[{"campaign_id":…,"click_count":…,…}]}. */
    public void applied(String journalId, long upToSeq, ClickCounts counts) {
        List<Map<String, Object>> campaigns = new ArrayList<>();
        counts.campaigns().forEach((id, c) -> {
            Map<String, Object> delta = new LinkedHashMap<>();
            delta.put("campaign_id", id);
            delta.put("click_count", c[0] + c[1] + c[2] + c[3]);
            delta.put("android_click_count", c[0]);
            delta.put("iphone_click_count", c[1]);
            delta.put("windowsphone_click_count", c[2]);
            delta.put("other_click_count", c[3]);
            delta.put("bot_click_count", c[4]);
            campaigns.add(delta);
        });
        send("clicks", Map.of("campaigns", campaigns));
    }

    /** A campaign was created, updated or deleted. */
    public void campaignChanged(long id, String change) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("campaign_id", id);
        data.put("change", change);
        send("campaign", data);
    }

    private void send(String name, Object data) {
        SseBroadcaster to = broadcaster;
        if (to == null) {
            return; // nobody has listened yet
        }
        String body;
        try {
            body = json.writeValueAsString(data);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        OutboundSseEvent event = sse.newEventBuilder().name(name).data(body).build();
        try {
            to.broadcast(event);
        } catch (IllegalStateException e) {
            // closed at shutdown: the change or the clicks stand, the stream has ended
        }
    }
}
