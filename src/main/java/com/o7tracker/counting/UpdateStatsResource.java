package com.o7tracker.counting;

import com.o7tracker.web.ApiException;
import com.o7tracker.web.Requires;
import com.o7tracker.web.Scope;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The original's cron endpoint, kept for the clients and cron files that call it. Counters no
 * longer need a recount; it applies every click recorded so far and answers once they show.
 */
@Path("/tasks/update_stats")
@Requires(Scope.WRITE)
public class UpdateStatsResource {

    private static final Logger LOG = LoggerFactory.getLogger(UpdateStatsResource.class);

    private final ClickCounting counting;

    public UpdateStatsResource(ClickCounting counting) {
        this.counting = counting;
    }

    @GET
    @Produces(MediaType.TEXT_PLAIN)
    public String updateStats() {
        try {
            counting.flushNow();
            return "Updated.";
        } catch (Exception e) {
            LOG.warn("update_stats could not apply the journaled clicks: {}", e.toString());
            throw new ApiException(503, "Counters could not be updated now; the clicks are kept and applied later.");
        }
    }
}
