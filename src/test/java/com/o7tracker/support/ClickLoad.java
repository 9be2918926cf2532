package com.o7tracker.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.IntSupplier;

/**
 * Concurrent visitors clicking tracking links, tallying what they received: campaign redirects per
 * campaign and kind of click ({@link #KINDS}), fallback redirects, and failed requests. Each request has a connection of its
 * own, so nothing is retried behind the test's back; a request whose connection broke after it was
 * sent is tallied apart: the service may have counted it without the visitor
 * receiving the answer.
 */
public final class ClickLoad implements AutoCloseable {

    /**
     * What a click counts as, in the order of the counters after click_count ({@link Tables#counters}):
     * three platforms named by {@code ?platform=} (no User-Agent), Other told by a desktop browser's
     * User-Agent with no {@code ?platform=}, and a link preview's (a bot, despite its {@code ?platform=}).
     */
    public static final String[] KINDS = {"Android", "IPhone", "WindowsPhone", "Other", "bot"};
    private static final String[] REQUESTS = {
        "?platform=Android HTTP/1.1\r\n",
        "?platform=IPhone HTTP/1.1\r\n",
        "?platform=WindowsPhone HTTP/1.1\r\n",
        " HTTP/1.1\r\nUser-Agent: " + Http.DESKTOP_BROWSER + "\r\n",
        "?platform=Android HTTP/1.1\r\nUser-Agent: Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)\r\n",
    };

    /**
     * Where each click comes from, one of these by chance: a Referer's host
     * ({@code s0.example.org}), a {@code utm_source} ({@code news0}) and an Accept-Language
     * ({@code de}), all of the same index.
     */
    public static final int SOURCES = 3;
    private static final String[] LANGUAGES = {"de-AT,de;q=0.9,en;q=0.8", "fr", "en-GB"};

    private final List<Long> campaigns;
    private final Map<Long, String> urls;
    private final IntSupplier port;
    private final AtomicLongArray received;
    private final AtomicLongArray brokenInFlight;
    private final AtomicLongArray receivedBySource;
    private final AtomicLongArray brokenBySource;
    private final AtomicLong fallbacks = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong otherStatus = new AtomicLong();
    private final List<Thread> threads = new ArrayList<>();
    private final long maxRequests;
    private final AtomicLong sent = new AtomicLong();
    private volatile boolean running = true;

    /** {@code urls}: campaign id → its redirect_url. {@code port}: read before every request (it may change). */
    public ClickLoad(Map<Long, String> urls, IntSupplier port, int threads, long maxRequests) {
        this.urls = Map.copyOf(urls);
        this.campaigns = List.copyOf(urls.keySet());
        this.port = port;
        this.maxRequests = maxRequests;
        this.received = new AtomicLongArray(campaigns.size() * KINDS.length);
        this.brokenInFlight = new AtomicLongArray(campaigns.size() * KINDS.length);
        this.receivedBySource = new AtomicLongArray(campaigns.size() * SOURCES);
        this.brokenBySource = new AtomicLongArray(campaigns.size() * SOURCES);
        for (int i = 0; i < threads; i++) {
            Thread thread = new Thread(this::run, "click-load-" + i);
            thread.setDaemon(true);
            this.threads.add(thread);
            thread.start();
        }
    }

    private void run() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        while (running && sent.incrementAndGet() <= maxRequests) {
            int c = random.nextInt(campaigns.size());
            int p = random.nextInt(KINDS.length);
            int source = random.nextInt(SOURCES);
            long id = campaigns.get(c);
            Socket socket = new Socket();
            try {
                socket.connect(new InetSocketAddress("127.0.0.1", port.getAsInt()), 2_000);
            } catch (IOException e) {
                // Nothing was sent: the service cannot have counted this one.
                refused.incrementAndGet();
                closeQuietly(socket);
                pause();
                continue;
            }
            try {
                socket.setSoTimeout(20_000);
                socket.setSoLinger(true, 0); // no TIME_WAIT pile-up over thousands of connections
                OutputStream out = socket.getOutputStream();
                String utm = "utm_source=news" + source;
                String request = REQUESTS[p].startsWith("?") ? "?" + utm + "&" + REQUESTS[p].substring(1) : "?" + utm + REQUESTS[p];
                out.write(("GET /track/" + id + request + "Host: 127.0.0.1\r\n"
                        + "Referer: https://s" + source + ".example.org/page?x=1\r\n"
                        + "Accept-Language: " + LANGUAGES[source] + "\r\n"
                        + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
                String status = in.readLine();
                if (status == null) {
                    throw new IOException("connection closed before the answer");
                }
                String location = "";
                String line;
                while ((line = in.readLine()) != null && !line.isEmpty()) {
                    if (line.regionMatches(true, 0, "Location:", 0, 9)) {
                        location = line.substring(9).trim();
                    }
                }
                if (line == null) {
                    throw new IOException("connection closed inside the answer");
                }
                if (status.startsWith("HTTP/1.1 307") && location.equals(urls.get(id))) {
                    received.incrementAndGet(c * KINDS.length + p);
                    receivedBySource.incrementAndGet(c * SOURCES + source);
                } else if (status.startsWith("HTTP/1.1 307")) {
                    fallbacks.incrementAndGet();
                } else {
                    otherStatus.incrementAndGet();
                }
            } catch (IOException e) {
                // Sent, but no full answer: the service may have counted it before it died.
                brokenInFlight.incrementAndGet(c * KINDS.length + p);
                brokenBySource.incrementAndGet(c * SOURCES + source);
                pause();
            } finally {
                closeQuietly(socket);
            }
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already broken
        }
    }

    private static void pause() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Campaign redirects received for the campaign's kind of click ({@link #KINDS} index). */
    public long received(long campaign, int platform) {
        return received.get(campaigns.indexOf(campaign) * KINDS.length + platform);
    }

    public long brokenInFlight(long campaign, int platform) {
        return brokenInFlight.get(campaigns.indexOf(campaign) * KINDS.length + platform);
    }

    /** The redirects received for the campaign's clicks from source {@code source} (see {@link #SOURCES}). */
    public long receivedFrom(long campaign, int source) {
        return receivedBySource.get(campaigns.indexOf(campaign) * SOURCES + source);
    }

    public long brokenInFlightFrom(long campaign, int source) {
        return brokenBySource.get(campaigns.indexOf(campaign) * SOURCES + source);
    }

    /** The values a click from {@code source} records: referrer, utm_source and language. */
    public static Map<String, String> valuesOf(int source) {
        return Map.of("referrer", "s" + source + ".example.org", "utm_source", "news" + source,
                "language", LANGUAGES[source].substring(0, 2));
    }

    public long receivedTotal() {
        long total = 0;
        for (int i = 0; i < received.length(); i++) {
            total += received.get(i);
        }
        return total;
    }

    public long brokenInFlightTotal() {
        long total = 0;
        for (int i = 0; i < brokenInFlight.length(); i++) {
            total += brokenInFlight.get(i);
        }
        return total;
    }

    public long fallbacks() {
        return fallbacks.get();
    }

    public long refused() {
        return refused.get();
    }

    public long otherStatus() {
        return otherStatus.get();
    }

    /** Stops sending and waits for every request in flight to finish. */
    @Override
    public void close() throws InterruptedException {
        running = false;
        for (Thread thread : threads) {
            thread.join(60_000);
        }
    }

    public void awaitDone() throws InterruptedException {
        for (Thread thread : threads) {
            thread.join();
        }
    }

    @Override
    public String toString() {
        return String.format("received=%d fallbacks=%d refused=%d brokenInFlight=%d otherStatus=%d",
                receivedTotal(), fallbacks(), refused(), brokenInFlightTotal(), otherStatus());
    }
}
