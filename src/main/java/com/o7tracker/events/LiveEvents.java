package com.o7tracker.events;

import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.o7tracker.campaign.CampaignChanges;
import com.o7tracker.campaign.Counters;
import com.o7tracker.conversion.Conversion;
import com.o7tracker.conversion.ConversionSink;
import com.o7tracker.conversion.ConversionStore;
import com.o7tracker.counting.ClickCounts;
import com.o7tracker.notify.AppliedClicks;
import com.o7tracker.notify.CampaignEvent;
import com.o7tracker.notify.Channel;
import com.o7tracker.notify.ConversionCounted;
import com.o7tracker.notify.Notifications;
import io.dropwizard.lifecycle.Managed;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseBroadcaster;
import jakarta.ws.rs.sse.SseEventSink;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live stream of the admin side, the same on every instance: a {@code clicks} event with the
 * deltas each flush of any instance applied per campaign, a {@code campaign} event for each
 * campaign created, changed or deleted through any instance, and a {@code conversion} event for
 * each conversion counted through any instance, with its campaign's totals then. Each is told to
 * every instance through PostgreSQL's notifications ({@link Channel#CLICKS_APPLIED},
 * {@link Channel#CAMPAIGN_EVENTS}, {@link Channel#CONVERSIONS}),
 * after the commit of what they tell (never inside it: a notification that cannot be sent must not
 * hold back counting), heard by each instance's {@link Notifications} and handed here.
 * Notifications and events go out from threads of their own with bounded queues, so neither the
 * flusher nor the listener ever waits for PostgreSQL's notification
 * queue or a slow client; one send per event, whatever the number of clicks, each listener
 * costing its own write. At most once: what is told while PostgreSQL is away or heard while this
 * instance's listening connection is down is missed (the dashboard reads the counters again when
 * its stream reconnects).
 */
public class LiveEvents implements CampaignChanges, ConversionSink, Managed {

    private static final Logger LOG = LoggerFactory.getLogger(LiveEvents.class);
    static final int KEEPALIVE_SECONDS = 20;

    private final ObjectMapper json;
    private final Notifications notifications;
    private final Meter dropped;
    /**
     * Sends events to the streams. This and the notifier are threads of this class, not the
     * lifecycle's executors: {@link #stop} ends them in an order of its own (what is queued for
     * PostgreSQL gets 2 s before the pools close, then the rest is dropped unsent), where the
     * lifecycle would only shut them down and wait, their queues still run after the pools close.
     */
    private final ThreadPoolExecutor sender;
    /** Tells PostgreSQL (apart, so that a slow pool never holds back the streams). */
    private final ThreadPoolExecutor notifier;
    /** The lifecycle's: shut down after this stops (a tick that finds the sender shut down sends nothing). */
    private final ScheduledExecutorService keepalive;
    private volatile Sse sse;
    private volatile SseBroadcaster broadcaster;
    private boolean closed;
    /** Touched by the notifier thread only. */
    private long lastFailureLog = System.nanoTime() - 60_000_000_000L;

    public LiveEvents(ObjectMapper json, Notifications notifications, MetricRegistry metrics,
                      ScheduledExecutorService keepalive) {
        this.json = json;
        this.notifications = notifications;
        this.keepalive = keepalive;
        this.dropped = metrics.meter("events.dropped");
        this.sender = boundedThread("live-events-sender");
        this.notifier = boundedThread("live-events-notify");
    }

    /** One thread with a bounded queue: past it, tasks are dropped and counted. */
    private ThreadPoolExecutor boundedThread(String name) {
        return new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(1_000), r -> {
            Thread thread = new Thread(r, name);
            thread.setDaemon(true);
            return thread;
        }, (task, executor) -> {
            if (!executor.isShutdown()) {
                dropped.mark();
            }
        });
    }

    /** Ends every stream (as the server stops: an open stream would hold its graceful stop). */
    public synchronized void close() {
        if (broadcaster != null) {
            broadcaster.close();
        }
        closed = true;
    }

    /** A comment on every stream every 20 s, so that proxies do not cut a quiet one. */
    @Override
    public void start() {
        keepalive.scheduleWithFixedDelay(() -> {
            if (broadcaster != null) {
                sender.execute(() -> broadcast(sse.newEventBuilder().comment("keepalive").build()));
            }
        }, KEEPALIVE_SECONDS, KEEPALIVE_SECONDS, TimeUnit.SECONDS);
    }

    /** Managed before counting, so this stops after the last flush: its deltas are still told, for at most 2 s. */
    @Override
    public void stop() throws InterruptedException {
        notifier.shutdown();
        sender.shutdown();
        if (!notifier.awaitTermination(2, TimeUnit.SECONDS)) {
            notifier.shutdownNow(); // the pools close next
        }
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
            SseBroadcaster created = sse.newBroadcaster();
            created.onError((failed, error) -> dropped.mark());
            this.broadcaster = created;
        }
        broadcaster.register(sink);
        sink.send(sse.newEventBuilder().comment("o7tracker live events").build());
    }

    /** A campaign was created, updated or deleted here (and committed): told to every instance's streams. */
    @Override
    public void changed(long id, Change change) {
        tell(Channel.CAMPAIGN_EVENTS, List.of(new CampaignEvent(id, change).encode()));
    }

    /** A batch of clicks this instance's flusher applied (committed): told to every instance's streams. */
    public void applied(String journalId, long upToSeq, ClickCounts counts) {
        tell(Channel.CLICKS_APPLIED, AppliedClicks.encode(journalId, upToSeq, counts));
    }

    /** A conversion counted here (and committed): told to every instance's streams. */
    @Override
    public void counted(Conversion conversion, ConversionStore.Counted counted) {
        ConversionStore.Totals totals = counted.totals();
        tell(Channel.CONVERSIONS, List.of(new ConversionCounted(counted.campaignId(), conversion.event(),
                conversion.country(), totals.conversionCount(), totals.eventCount(), conversion.revenue(),
                conversion.currency(), totals.currencyRevenue()).encode()));
    }

    private void tell(Channel channel, List<String> payloads) {
        notifier.execute(() -> {
            try {
                notifications.send(channel, payloads);
            } catch (RuntimeException e) {
                // What was changed or counted stands; only its live event is lost.
                dropped.mark();
                long now = System.nanoTime();
                if (now - lastFailureLog > 30_000_000_000L) {
                    lastFailureLog = now;
                    LOG.warn("Could not send live events through PostgreSQL (logged at most every 30 s): {}", e.toString());
                }
            }
        });
    }

    /**
     * The deltas of one flush of some instance ({@link Channel#CLICKS_APPLIED}), with the flush's
     * position ({@code journal}, {@code seq}) when it was told: a page that read the counters as of
     * a position at or past it has these clicks already.
     */
    public void clicksHeard(String payload) {
        if (broadcaster == null) {
            return; // nobody has listened yet
        }
        sender.execute(() -> {
            AppliedClicks.Heard heard = AppliedClicks.parse(payload);
            List<Map<String, Object>> campaigns = new ArrayList<>();
            heard.campaigns().forEach((id, c) -> {
                Map<String, Object> delta = new LinkedHashMap<>();
                delta.put("campaign_id", id);
                delta.putAll(Counters.named(c));
                campaigns.add(delta);
            });
            Map<String, Object> data = new LinkedHashMap<>();
            heard.position().ifPresent(position -> {
                data.put("journal", position.journalId());
                data.put("seq", position.seq());
            });
            data.put("campaigns", campaigns);
            send("clicks", data);
        });
    }

    /** A campaign change of some instance ({@link Channel#CAMPAIGN_EVENTS}). */
    public void campaignChangeHeard(String payload) {
        Optional<CampaignEvent> event = CampaignEvent.parse(payload);
        if (broadcaster == null || event.isEmpty()) {
            return;
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("campaign_id", event.get().campaignId());
        data.put("change", event.get().change().wireName());
        sender.execute(() -> send("campaign", data));
    }

    /**
     * A conversion counted by some instance ({@link Channel#CONVERSIONS}): what it was, and its
     * campaign's totals of it then ({@code conversion_count}, the count of its event, the revenue
     * in its currency), shaped as in the campaign's answer, to be set rather than added: the order
     * in which two instances' events arrive may not be the order of their commits, and a total
     * lower than one shown is an older one.
     */
    public void conversionHeard(String payload) {
        Optional<ConversionCounted> heard = ConversionCounted.parse(payload);
        if (broadcaster == null || heard.isEmpty()) {
            return;
        }
        ConversionCounted c = heard.get();
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("campaign_id", c.campaignId());
        data.put("event", c.event());
        data.put("country", c.country());
        Map<String, Object> totals = new LinkedHashMap<>();
        totals.put("conversion_count", c.conversionCount());
        totals.put("conversions", Map.of(c.event(), c.eventCount()));
        if (c.revenue() != null) {
            data.put("revenue", decimal(c.revenue()));
            data.put("currency", c.currency());
            totals.put("revenue", Map.of(c.currency(), decimal(c.currencyRevenue())));
        }
        data.put("totals", totals);
        sender.execute(() -> send("conversion", data));
    }

    /** An exact amount as the campaign's answer writes it: a decimal string without trailing zeros. */
    private static String decimal(BigDecimal amount) {
        return amount.signum() == 0 ? "0" : amount.stripTrailingZeros().toPlainString();
    }

    private void send(String name, Object data) {
        String body;
        try {
            body = json.writeValueAsString(data);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        broadcast(sse.newEventBuilder().name(name).data(body).build());
    }

    private void broadcast(OutboundSseEvent event) {
        try {
            broadcaster.broadcast(event);
        } catch (IllegalStateException e) {
            // closed at shutdown: the change or the clicks stand, the stream has ended
        }
    }
}
