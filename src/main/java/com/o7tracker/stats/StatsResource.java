package com.o7tracker.stats;

import com.codahale.metrics.annotation.Timed;
import com.o7tracker.campaign.AppliedPositions;
import com.o7tracker.web.IntQueryParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Clicks over time over all campaigns, {@code GET /admin/stats} (the parameters of a campaign's
 * stats, a filter among them), with the campaigns of the most human clicks in the range
 * ({@code top}, default 10, at most 100).
 */
@Path("/admin/stats")
public class StatsResource {

    static final int MAX_TOP = 100;
    private static final IntQueryParam TOP = new IntQueryParam("top", 1, MAX_TOP, 10);

    /** The buckets and the top campaigns, read from one snapshot. */
    private record Clicks(List<Bucket> buckets, List<StatsDao.CampaignClicks> top) {
    }

    private final StatsDao stats;
    private final StatsQuery.Reader queries;
    private final AppliedPositions positions;

    public StatsResource(StatsDao stats, StatsQuery.Reader queries, AppliedPositions positions) {
        this.stats = stats;
        this.queries = queries;
        this.positions = positions;
    }

    @GET
    @Timed
    @Produces({MediaType.APPLICATION_JSON, StatsQuery.CSV})
    public Response all(@QueryParam("from") String from, @QueryParam("to") String to,
                        @QueryParam("interval") String interval, @QueryParam("format") String format,
                        @QueryParam("top") String top, @HeaderParam("Accept") String accept,
                        @Context UriInfo uri) {
        StatsQuery query = queries.read(from, to, interval, format, accept, uri.getQueryParameters());
        int topN = TOP.read(top);
        AppliedPositions.Read<Clicks> read = positions.read(() -> new Clicks(
                stats.buckets(null, query.from(), query.to(), query.interval(), query.filter()),
                stats.top(query.from(), query.to(), topN, query.filter())));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("interval", query.interval().id());
        body.put("from", query.from());
        body.put("to", query.to());
        body.put("buckets", read.value().buckets());
        body.put("top_campaigns", read.value().top());
        return query.answer(body, read.value().buckets(), "all-campaigns", read.positions());
    }
}
