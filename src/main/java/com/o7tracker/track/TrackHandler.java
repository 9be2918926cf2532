package com.o7tracker.track;

import com.o7tracker.cache.CampaignTargets;
import com.o7tracker.cache.LookupsBusy;
import com.o7tracker.cache.Target;
import com.o7tracker.campaign.CampaignId;
import com.o7tracker.campaign.Destination;
import com.o7tracker.campaign.Platform;
import com.o7tracker.clickid.ClickIds;
import com.o7tracker.counting.ClickAck;
import com.o7tracker.counting.ClickCounting;
import com.o7tracker.counting.ClickOutcome;
import com.o7tracker.dimension.Dimension;
import com.o7tracker.dimension.Visit;
import com.o7tracker.geo.Countries;
import com.o7tracker.web.Fallback;
import com.o7tracker.web.QueryString;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tracking link: {@code GET /track/{id}?platform=Android}. A click on a live campaign is
 * recorded in the click journal (see {@link ClickCounting}) and its visitor redirected once the
 * record is on disk; anything else goes to the fallback at once and counts nothing. HEAD is
 * answered alike, uncounted. Every other path goes on to the servlets (Jersey's admin API).
 *
 * <p>The platform is {@code ?platform=} when given (an unknown value goes to the fallback, as it
 * always has), else what the User-Agent says ({@link UserAgents}); a bot's click, with or without
 * {@code ?platform=}, is redirected alike and counted only as a bot's. The redirect goes to the
 * campaign's URL for that platform, filled in for this click ({@link Destination}; its
 * {@code {click_id}} signed by {@link ClickIds}, naming the campaign, platform, bot verdict and
 * country). Each click records where it came from ({@link VisitReader}): country, referrer, utm
 * values, language, OS and browser.
 *
 * <p>A Jetty handler inside the application context, ahead of the servlets, rather than a Jersey
 * resource or a servlet: the request thread looks the campaign up, hands the click to the journal
 * and returns; the journal's writer sends the redirect right after the fdatasync that made the
 * click durable, with no servlet async state machine and no dispatch to another thread per click.
 * The README gives the figures.
 */
public class TrackHandler extends Handler.Wrapper {

    private static final Logger LOG = LoggerFactory.getLogger(TrackHandler.class);
    private static final String PREFIX = "/track";

    private final CampaignTargets targets;
    private final AtomicLong lastLookupFailureLog = new AtomicLong();
    private final ClickCounting counting;
    private final UserAgents userAgents;
    private final ClickIds clickIds;
    private final Fallback fallback;
    private final VisitReader visits;

    public TrackHandler(CampaignTargets targets, ClickCounting counting, UserAgents userAgents, Countries countries,
                        ClickIds clickIds, Fallback fallback) {
        this.targets = targets;
        this.clickIds = clickIds;
        this.counting = counting;
        this.userAgents = userAgents;
        this.visits = new VisitReader(countries);
        this.fallback = fallback;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String path = Request.getPathInContext(request);
        if (!path.startsWith(PREFIX) || (path.length() > PREFIX.length() && path.charAt(PREFIX.length()) != '/')) {
            return super.handle(request, response, callback);
        }
        String method = request.getMethod();
        boolean click = method.equals("GET");
        if (!click && !method.equals("HEAD")) {
            return fallback.send(response, callback, "no-route");
        }
        long id = parseId(path);
        if (id == NOT_A_LINK) {
            return fallback.send(response, callback, "no-route");
        }
        if (id == BAD_ID) {
            return fallback.send(response, callback, "bad-id");
        }
        String query = request.getHttpURI().getQuery();
        String named = QueryString.value(query, "platform");
        Optional<Platform> platform = named == null ? Optional.empty() : Platform.parse(named);
        if (named != null && platform.isEmpty()) {
            return fallback.send(response, callback, "bad-platform");
        }
        Target target;
        try {
            target = targets.find(id);
        } catch (LookupsBusy e) {
            return fallback.send(response, callback, "lookup-busy");
        } catch (RuntimeException e) {
            logLookupFailure(id, e);
            return fallback.send(response, callback, "lookup-failed");
        }
        if (!target.exists()) {
            return fallback.send(response, callback, "unknown-campaign");
        }
        UserAgents.Verdict visitor = userAgents.classify(request.getHeaders().get(HttpHeader.USER_AGENT));
        Platform counted = platform.orElse(visitor.platform());
        Destination destination = target.destination(counted);
        if (destination == null) {
            return fallback.send(response, callback, "bad-target");
        }
        Visit visit = click || destination.needsClickId() ? visits.read(request, query, visitor) : null;
        String clickId = destination.needsClickId()
                ? clickIds.next(id, counted, visitor.bot(), visit.get(Dimension.COUNTRY)) : null;
        String location = destination.location(id, counted, clickId, query);
        if (click) {
            counting.record(id, counted, visitor.bot(), visit, new Click(response, callback, location));
        } else {
            Fallback.redirect(response, callback, location);
        }
        return true;
    }

    /** At most one log line per 10 s, however many lookups fail (a flood of made-up ids, an outage). */
    private void logLookupFailure(long id, RuntimeException e) {
        long now = System.nanoTime();
        long last = lastLookupFailureLog.get();
        if ((last == 0 || now - last > 10_000_000_000L) && lastLookupFailureLog.compareAndSet(last, now)) {
            LOG.warn("Campaign {} could not be looked up (visitors sent to the fallback; counted in the metric"
                    + " clicks.fallback.lookup-failed): {}", id, e.toString());
        }
    }

    static final long NOT_A_LINK = -2;
    static final long BAD_ID = -1;

    /**
     * The id from a path under {@code /track}: {@link #NOT_A_LINK} when the path is not a tracking
     * link at all ({@code /track}, {@code /track/}, {@code /track/1/extra}), {@link #BAD_ID} when
     * the id is not one by {@link CampaignId}'s rule.
     */
    static long parseId(String path) {
        int start = PREFIX.length() + 1;
        if (path.length() <= start || path.indexOf('/', start) >= 0) {
            return NOT_A_LINK;
        }
        OptionalLong id = CampaignId.parse(path, start, path.length());
        return id.isPresent() ? id.getAsLong() : BAD_ID;
    }

    /**
     * One click waiting for its record: answered once, by the journal's writer after the fdatasync
     * (recorded or not), or by the journal's ack timeout, whichever comes first.
     */
    private static final class Click implements ClickAck {

        private static final VarHandle ANSWERED;

        static {
            try {
                ANSWERED = MethodHandles.lookup().findVarHandle(Click.class, "answered", boolean.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        private final Response response;
        private final Callback callback;
        private final String location;
        private volatile boolean answered;

        Click(Response response, Callback callback, String location) {
            this.response = response;
            this.callback = callback;
            this.location = location;
        }

        @Override
        public boolean done(ClickOutcome outcome) {
            if (!ANSWERED.compareAndSet(this, false, true)) {
                return false;
            }
            try {
                Fallback.redirect(response, callback, location);
            } catch (Throwable e) {
                // The visitor may have gone; the click's outcome stands.
                callback.failed(e);
            }
            return true;
        }
    }
}
