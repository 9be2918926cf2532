package com.o7tracker.track;

import com.o7tracker.cache.CampaignTargets;
import com.o7tracker.campaign.Platform;
import com.o7tracker.counting.ClickAck;
import com.o7tracker.counting.ClickCounting;
import com.o7tracker.counting.ClickJournal;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tracking link: {@code GET /track/{id}?platform=Android}. A click on a live campaign is
 * recorded in the click journal (see {@link ClickCounting}) and its visitor redirected once the
 * record is on disk; anything else goes to the fallback at once and counts nothing. HEAD is
 * answered alike, uncounted.
 *
 * <p>A servlet ahead of Jersey rather than a Jersey resource, and asynchronous: the request thread
 * starts the click and returns; the journal's writer thread sends the redirect after the
 * fdatasync that made the click durable. bench/README.md has the figures.
 */
public class TrackServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(TrackServlet.class);

    private final transient CampaignTargets targets;
    private final transient ClickCounting counting;
    private final transient Fallback fallback;

    public TrackServlet(CampaignTargets targets, ClickCounting counting, Fallback fallback) {
        this.targets = targets;
        this.counting = counting;
        this.fallback = fallback;
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) {
        String method = request.getMethod();
        boolean click = method.equals("GET");
        if (!click && !method.equals("HEAD")) {
            fallback.send(response, "no-route");
            return;
        }
        long id = parseId(request.getPathInfo());
        if (id == -2) {
            fallback.send(response, "no-route");
            return;
        }
        if (id <= 0) {
            fallback.send(response, "bad-id");
            return;
        }
        Optional<Platform> platform = Platform.parse(queryParameter(request.getQueryString(), "platform"));
        if (platform.isEmpty()) {
            fallback.send(response, "bad-platform");
            return;
        }
        CampaignTargets.Target target;
        try {
            target = targets.find(id);
        } catch (RuntimeException e) {
            LOG.warn("Campaign {} could not be looked up: {}", id, e.toString());
            fallback.send(response, "lookup-failed");
            return;
        }
        if (!target.exists()) {
            fallback.send(response, "unknown-campaign");
            return;
        }
        if (target.location() == null) {
            fallback.send(response, "bad-target");
            return;
        }
        if (!click) {
            Fallback.redirect(response, target.location());
            return;
        }
        AsyncContext async = request.startAsync();
        async.setTimeout(counting.ackTimeoutMillis());
        Click answer = new Click(async, target.location());
        async.addListener(answer);
        counting.record(id, platform.get(), answer);
    }

    /**
     * The id from the path info ({@code /123}): -2 when the path is not a tracking link at all
     * ({@code /track}, {@code /track/1/extra}), -1 when the id is not a positive decimal of at most 16
     * digits.
     */
    static long parseId(String pathInfo) {
        if (pathInfo == null || pathInfo.length() < 2 || pathInfo.indexOf('/', 1) >= 0) {
            return -2;
        }
        if (pathInfo.length() > 17) {
            return -1;
        }
        long id = 0;
        for (int i = 1; i < pathInfo.length(); i++) {
            char c = pathInfo.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            id = id * 10 + (c - '0');
        }
        return id;
    }

    /** The first value of a query parameter, decoded, or null (also when it does not decode). */
    static String queryParameter(String query, String name) {
        if (query == null) {
            return null;
        }
        int at = 0;
        while (at <= query.length()) {
            int end = query.indexOf('&', at);
            if (end < 0) {
                end = query.length();
            }
            if (query.startsWith(name, at) && at + name.length() < end && query.charAt(at + name.length()) == '=') {
                String raw = query.substring(at + name.length() + 1, end);
                if (raw.indexOf('%') < 0 && raw.indexOf('+') < 0) {
                    return raw;
                }
                try {
                    return URLDecoder.decode(raw, StandardCharsets.UTF_8);
                } catch (IllegalArgumentException e) {
                    return null;
                }
            }
            if (query.startsWith(name, at) && at + name.length() == end) {
                return ""; // "?platform" without a value
            }
            at = end + 1;
        }
        return null;
    }

    /**
     * One click waiting for its record: answered once, by the journal's writer (recorded or not) or
     * by the ack timeout, whichever comes first.
     */
    private final class Click implements ClickAck, AsyncListener {

        private static final VarHandle STATE;
        private static final int WAITING = 0;
        private static final int ANSWERING = 1;
        private static final int ANSWERED = 2;

        static {
            try {
                STATE = MethodHandles.lookup().findVarHandle(Click.class, "state", int.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        private final AsyncContext async;
        private final String location;
        private volatile int state;

        Click(AsyncContext async, String location) {
            this.async = async;
            this.location = location;
        }

        @Override
        public boolean done(ClickJournal.Outcome outcome) {
            if (!STATE.compareAndSet(this, WAITING, ANSWERING)) {
                return false;
            }
            answer();
            return true;
        }

        @Override
        public void onTimeout(AsyncEvent event) {
            if (STATE.compareAndSet(this, WAITING, ANSWERING)) {
                counting.ackTimedOut();
                answer();
                return;
            }
            // The writer is answering right now: let it finish, or Jetty would send an error page.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
            while (state != ANSWERED && System.nanoTime() - deadline < 0) {
                LockSupport.parkNanos(10_000);
            }
        }

        private void answer() {
            try {
                Fallback.redirect((HttpServletResponse) async.getResponse(), location);
                async.complete();
            } catch (RuntimeException e) {
                LOG.debug("A click's redirect could not be sent (the visitor may have gone): {}", e.toString());
            } finally {
                state = ANSWERED;
            }
        }

        @Override
        public void onComplete(AsyncEvent event) {
        }

        @Override
        public void onError(AsyncEvent event) {
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
        }
    }
}
