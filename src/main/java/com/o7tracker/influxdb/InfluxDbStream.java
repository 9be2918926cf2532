package com.o7tracker.influxdb;

import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import com.o7tracker.campaign.Platform;
import com.o7tracker.conversion.Conversion;
import com.o7tracker.conversion.ConversionSink;
import com.o7tracker.conversion.ConversionStore;
import com.o7tracker.counting.ClickCounts;
import io.dropwizard.lifecycle.Managed;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every applied batch of clicks, also written to InfluxDB as line protocol: measurement
 * {@code clicks}, tags {@code campaign_id}, {@code platform}, {@code bot} and {@code journal},
 * field {@code count}. A batch is handed over by the flusher after its transaction (a queue put,
 * never a wait) and sent by a thread of its own, in batches, retried until InfluxDB takes them;
 * what does not fit the bounded buffer is dropped and counted ({@code influxdb.dropped}). At most
 * once: points still buffered when the process dies are lost, so InfluxDB's sums equal the
 * counters as long as nothing was dropped and the process stopped cleanly.
 *
 * <p>InfluxDB keeps one point per series and timestamp, so each batch's points are stamped inside
 * their minute at the nanosecond given by the journal position the batch reaches (unique within
 * the journal, which is a tag): a resend overwrites a point with itself, and {@code SUM(count)
 * ... GROUP BY time(1m)} gives each minute's clicks, which equal the counters.
 *
 * <p>Each conversion counted is a point of measurement {@code conversions}, tags {@code
 * campaign_id}, {@code event}, {@code country} and {@code currency} (only when it had revenue),
 * fields {@code count=1i} and {@code revenue} (a float: InfluxDB has no exact decimals; only when
 * it had revenue), handed over by the postback after the conversion's commit (a queue offer, as
 * the clicks') and sent with them. A duplicate is told nothing, so writes nothing. It is stamped
 * at the time PostgreSQL counted it ({@code accepted_at}, microseconds, unique within the campaign
 * whose row lock counts its conversions one at a time), the nanoseconds below taken from the click
 * id: two points of one series never share a time, and {@code SUM(count)} equals the campaign's
 * {@code conversion_count} as the clicks' sums equal their counters.
 */
public class InfluxDbStream implements ConversionSink, Managed {

    private static final Logger LOG = LoggerFactory.getLogger(InfluxDbStream.class);
    private static final int BATCH = 5_000;
    private static final long NANOS_PER_MINUTE = 60_000_000_000L;

    private final URI write;
    private final URI create;
    private final String database;
    /** When the sender last tried to create the database (its thread only). */
    private long lastCreate;
    private final String authorization;
    private final BlockingQueue<String> points;
    private final HttpClient client;
    private final Duration timeout;
    private final Meter written;
    private final Meter dropped;
    private final Meter failures;
    private volatile boolean running;
    /** Runs the send loop; the lifecycle's, ended here first (see {@link #stop}). */
    private final ExecutorService sender;

    InfluxDbStream(String url, String database, Optional<String> user, String password, int maxBuffered, Duration timeout,
                   MetricRegistry metrics, ExecutorService sender) {
        this.sender = sender;
        this.write = URI.create(url.replaceAll("/+$", "") + "/write?precision=ns&db="
                + URLEncoder.encode(database, StandardCharsets.UTF_8));
        this.create = URI.create(url.replaceAll("/+$", "") + "/query");
        this.database = database;
        this.authorization = user.map(name -> "Basic " + Base64.getEncoder().encodeToString(
                (name + ":" + password).getBytes(StandardCharsets.UTF_8))).orElse(null);
        this.points = new ArrayBlockingQueue<>(maxBuffered);
        this.timeout = timeout;
        this.client = HttpClient.newBuilder().connectTimeout(timeout).build();
        this.written = metrics.meter("influxdb.written");
        this.dropped = metrics.meter("influxdb.dropped");
        this.failures = metrics.meter("influxdb.failures");
        metrics.gauge("influxdb.buffered", () -> points::size);
    }

    /** A batch the flusher has applied (see ClickFlusher.Applied). */
    public void applied(String journalId, long upToSeq, ClickCounts counts) {
        long offset = Math.floorMod(upToSeq, NANOS_PER_MINUTE);
        String journal = escape(journalId);
        for (Map.Entry<ClickCounts.CountryMinute, long[]> bucket : counts.countryMinutes().entrySet()) {
            long time = bucket.getKey().minute() * NANOS_PER_MINUTE + offset;
            long[] slots = bucket.getValue();
            for (int s = 0; s < ClickCounts.SLOTS; s++) {
                if (slots[s] == 0) {
                    continue;
                }
                int platforms = Platform.values().length;
                String point = "clicks,campaign_id=" + bucket.getKey().campaignId()
                        + ",platform=" + Platform.fromCode(s % platforms).canonical()
                        + ",bot=" + (s >= platforms) + ",country=" + bucket.getKey().country() + ",journal=" + journal
                        + " count=" + slots[s] + "i " + time;
                if (!points.offer(point)) {
                    dropped.mark();
                }
            }
        }
    }

    /** A conversion counted and committed (see ConversionSink). */
    @Override
    public void counted(Conversion conversion, ConversionStore.Counted counted) {
        Instant at = counted.acceptedAt();
        long time = at.getEpochSecond() * 1_000_000_000L + at.getNano() / 1_000 * 1_000
                + Math.floorMod(conversion.clickId().hashCode(), 1_000);
        StringBuilder point = new StringBuilder("conversions,campaign_id=").append(counted.campaignId())
                .append(",event=").append(conversion.event()).append(",country=").append(conversion.country());
        if (conversion.currency() != null) {
            point.append(",currency=").append(conversion.currency());
        }
        point.append(" count=1i");
        if (conversion.revenue() != null) {
            point.append(",revenue=").append(conversion.revenue().toPlainString());
        }
        point.append(' ').append(time);
        if (!points.offer(point.toString())) {
            dropped.mark();
        }
    }

    @Override
    public void start() {
        running = true;
        sender.execute(this::sendLoop);
    }

    /**
     * The loop sends what is buffered, for twice the timeout at most, then is interrupted: the
     * lifecycle alone would wait without interrupting, and leave a sender that waits out a backoff
     * or a slow InfluxDB running past the stop.
     */
    @Override
    public void stop() throws InterruptedException {
        running = false;
        sender.shutdown();
        if (!sender.awaitTermination(timeout.toMillis() * 2, TimeUnit.MILLISECONDS)) {
            sender.shutdownNow();
        }
    }

    private void sendLoop() {
        List<String> batch = new ArrayList<>();
        long backoff = 100;
        while (running || !points.isEmpty()) {
            try {
                if (batch.isEmpty()) {
                    String first = points.poll(200, TimeUnit.MILLISECONDS);
                    if (first == null) {
                        continue;
                    }
                    batch.add(first);
                    points.drainTo(batch, BATCH - 1);
                }
                if (send(batch)) {
                    batch.clear();
                    backoff = 100;
                } else if (!running) {
                    dropped.mark(batch.size() + points.size());
                    return;
                } else {
                    Thread.sleep(backoff);
                    backoff = Math.min(backoff * 2, 10_000);
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                // Nothing a batch does may end the loop silently: it is logged and sent again later.
                failures.mark();
                LOG.warn("Could not send {} point(s) to InfluxDB", batch.size(), e);
                if (!running) {
                    dropped.mark(batch.size() + points.size());
                    return;
                }
                if (!pause(backoff)) {
                    return;
                }
                backoff = Math.min(backoff * 2, 10_000);
            }
        }
    }

    private static boolean pause(long millis) {
        try {
            Thread.sleep(millis);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Sends a batch; false if it is to be sent again. */
    private boolean send(List<String> batch) throws InterruptedException {
        HttpResponse<String> response;
        try {
            response = post(write, "text/plain; charset=utf-8", String.join("\n", batch));
        } catch (IOException e) {
            failures.mark();
            return false;
        }
        if (response.statusCode() / 100 == 2) {
            written.mark(batch.size());
            return true;
        }
        failures.mark();
        LOG.warn("InfluxDB refused {} point(s): {} {}", batch.size(), response.statusCode(), response.body());
        int status = response.statusCode();
        if (status == 404 && response.body().contains("database not found")) {
            createDatabase();
            return false;
        }
        if (status / 100 == 4 && status != 401 && status != 403 && status != 404) {
            dropped.mark(batch.size()); // refused for what it is: sending it again changes nothing
            return true;
        }
        return false;
    }

    /**
     * Creates the database (InfluxDB 1.x: a no-op if it exists), at most once a minute; the batch
     * is sent again either way.
     */
    private void createDatabase() throws InterruptedException {
        long now = System.nanoTime();
        if (lastCreate != 0 && now - lastCreate < 60_000_000_000L) {
            return;
        }
        lastCreate = now;
        String name = database.replace("\\", "\\\\").replace("\"", "\\\"");
        try {
            HttpResponse<String> response = post(create, "application/x-www-form-urlencoded",
                    "q=" + URLEncoder.encode("CREATE DATABASE \"" + name + "\"", StandardCharsets.UTF_8));
            if (response.statusCode() / 100 == 2) {
                LOG.info("Created InfluxDB database {}", database);
            } else {
                LOG.warn("Could not create InfluxDB database {} (create it by hand): {} {}", database,
                        response.statusCode(), response.body());
            }
        } catch (IOException e) {
            LOG.warn("Could not create InfluxDB database {}: {}", database, e.toString());
        }
    }

    /** POSTs {@code body} to InfluxDB, with its credentials when set. */
    private HttpResponse<String> post(URI uri, String type, String body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout).header("Content-Type", type)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A tag value as line protocol needs it. */
    private static String escape(String value) {
        return value.replace(" ", "\\ ").replace(",", "\\,").replace("=", "\\=");
    }
}
