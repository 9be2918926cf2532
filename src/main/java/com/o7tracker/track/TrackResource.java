package com.o7tracker.track;

import com.codahale.metrics.LockFreeExponentiallyDecayingReservoir;
import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;
import com.o7tracker.cache.CampaignTargets;
import com.o7tracker.campaign.Platform;
import com.o7tracker.counting.ClickCounting;
import com.o7tracker.counting.ClickJournal;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tracking link: {@code GET /track/{id}?platform=Android}. The click is counted (see
 * {@link ClickCounting}) and the visitor redirected to the campaign; anything that is not a click
 * on a live campaign goes to the fallback and counts nothing. HEAD is answered alike, uncounted.
 */
@Path("/track/{id}")
public class TrackResource {

    private static final Logger LOG = LoggerFactory.getLogger(TrackResource.class);

    private final CampaignTargets targets;
    private final ClickCounting counting;
    private final Fallback fallback;
    private final Meter counted;
    private final Timer redirects;

    public TrackResource(CampaignTargets targets, ClickCounting counting, Fallback fallback, MetricRegistry metrics) {
        this.targets = targets;
        this.counting = counting;
        this.fallback = fallback;
        this.counted = metrics.meter("clicks.counted");
        // Timed here rather than with @Timed: Jersey's per-request event listeners for annotated
        // methods cost the click path about a sixth of its throughput (bench/README.md).
        this.redirects = metrics.timer("redirects", () -> new Timer(LockFreeExponentiallyDecayingReservoir.builder().build()));
    }

    @GET
    public Response click(@PathParam("id") String id, @QueryParam("platform") String platform) {
        long start = System.nanoTime();
        try {
            return resolve(id, platform, true);
        } finally {
            redirects.update(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        }
    }

    @HEAD
    public Response peek(@PathParam("id") String id, @QueryParam("platform") String platform) {
        return resolve(id, platform, false);
    }

    private Response resolve(String rawId, String rawPlatform, boolean count) {
        long id = parseId(rawId);
        if (id <= 0) {
            return fallback.redirect("bad-id");
        }
        Optional<Platform> platform = Platform.parse(rawPlatform);
        if (platform.isEmpty()) {
            return fallback.redirect("bad-platform");
        }
        CampaignTargets.Target target;
        try {
            target = targets.find(id);
        } catch (RuntimeException e) {
            LOG.warn("Campaign {} could not be looked up: {}", id, e.toString());
            return fallback.redirect("lookup-failed");
        }
        if (!target.exists()) {
            return fallback.redirect("unknown-campaign");
        }
        URI location;
        try {
            location = URI.create(target.redirectUrl());
        } catch (IllegalArgumentException e) {
            return fallback.redirect("bad-target");
        }
        if (count && counting.record(id, platform.get()) == ClickJournal.Outcome.RECORDED) {
            counted.mark();
        }
        return Redirects.to(location);
    }

    /** The id, or -1 for anything that is not a positive decimal of at most 16 digits. */
    private static long parseId(String raw) {
        if (raw == null || raw.isEmpty() || raw.length() > 16) {
            return -1;
        }
        long id = 0;
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            id = id * 10 + (c - '0');
        }
        return id < 0 ? -1 : id;
    }
}
