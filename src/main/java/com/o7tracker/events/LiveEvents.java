package com.o7tracker.events;

import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
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
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live stream of the admin side, the same on every instance: a {@code clicks} event with the
 * deltas each flush of any instance applied per campaign, and a {@code campaign} event for each
 * campaign created, changed or deleted through any instance. Both come through PostgreSQL's
 * notifications (the flush's transaction sends its deltas at commit; a campaign change is sent
 * after its commit), heard by each instance's change listener and handed here. Events are sent
 * by a thread of their own, so neither the flusher nor the listener ever waits for a slow
 * client; one send per event, whatever the number of clicks, each listener costing its own write.
 * At most once: events sent while this instance's listening connection was down are missed
 * (the dashboard reads the counters again when its stream reconnects).
 */
public class LiveEvents {

    /** PostgreSQL's channel for campaign changes made through any instance: "id created|updated|deleted". */
    public static final String CAMPAIGN_CHANNEL = "o7t_campaign_events";
    private static final Set<String> CHANGES = Set.of("created", "updated", "deleted");
    private static final Logger LOG = LoggerFactory.getLogger(LiveEvents.class);

    private final ObjectMapper json;
    private final Jdbi jdbi;
    private final Meter dropped;
    /** One thread, a bounded queue: past it, events are dropped and counted. */
    private final ThreadPoolExecutor sender;
    private volatile Sse sse;
    private volatile SseBroadcaster broadcaster;
    private boolean closed;

    public LiveEvents(ObjectMapper json, Jdbi jdbi, MetricRegistry metrics) {
        this.json = json;
        this.jdbi = jdbi;
        this.dropped = metrics.meter("events.dropped");
        this.sender = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(1_000), r -> {
            Thread thread = new Thread(r, "live-events");
            thread.setDaemon(true);
            return thread;
        }, (task, executor) -> {
            if (!executor.isShutdown()) {
                dropped.mark();
            }
        });
    }

    /** What this instance's change listener hands over, by PostgreSQL channel. */
    public Map<String, Consumer<String>> channels() {
        return Map.of(ClickCounts.APPLIED_CHANNEL, this::clicksApplied, CAMPAIGN_CHANNEL, this::campaignChangeHeard);
    }

    /** Ends every stream (at shutdown: an open stream would hold the server's graceful stop). */
    public synchronized void close() {
        if (broadcaster != null) {
            broadcaster.close();
        }
        closed = true;
        sender.shutdownNow();
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

    /** A campaign was created, updated or deleted here: told to every instance's streams, after its commit. */
    public void campaignChanged(long id, String change) {
        try {
            jdbi.useHandle(handle -> handle.createQuery("SELECT pg_notify(:channel, :payload)")
                    .bind("channel", CAMPAIGN_CHANNEL)
                    .bind("payload", id + " " + change)
                    .mapTo(String.class)
                    .one());
        } catch (RuntimeException e) {
            // The change stands; only its live event is lost.
            dropped.mark();
            LOG.warn("Could not send the live event of campaign {} ({}): {}", id, change, e.toString());
        }
    }

    /** The deltas of one flush of some instance ({@link ClickCounts#APPLIED_CHANNEL}). */
    void clicksApplied(String payload) {
        if (broadcaster == null) {
            return; // nobody has listened yet
        }
        sender.execute(() -> {
            List<Map<String, Object>> campaigns = new ArrayList<>();
            ClickCounts.readNotification(payload).forEach((id, c) -> {
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
        });
    }

    /** A campaign change of some instance ({@link #CAMPAIGN_CHANNEL}). */
    void campaignChangeHeard(String payload) {
        String[] parts = payload.split(" ");
        if (broadcaster == null || parts.length != 2 || !CHANGES.contains(parts[1])) {
            return;
        }
        long id;
        try {
            id = Long.parseLong(parts[0]);
        } catch (NumberFormatException e) {
            return;
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("campaign_id", id);
        data.put("change", parts[1]);
        sender.execute(() -> send("campaign", data));
    }

    private void send(String name, Object data) {
        String body;
        try {
            body = json.writeValueAsString(data);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        OutboundSseEvent event = sse.newEventBuilder().name(name).data(body).build();
        try {
            broadcaster.broadcast(event);
        } catch (IllegalStateException e) {
            // closed at shutdown: the change or the clicks stand, the stream has ended
        }
    }
}
