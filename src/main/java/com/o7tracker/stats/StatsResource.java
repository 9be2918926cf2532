package com.o7tracker.stats;

import com.codahale.metrics.annotation.Timed;
import com.o7tracker.web.IntQueryParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Clicks over time over all campaigns, {@code GET /admin/stats} (the parameters of a campaign's
 * stats), with the campaigns of the most human clicks in the range ({@code top}, default 10, at
 * most 100).
 */
@Path("/admin/stats")
public class StatsResource {

    static final int MAX_TOP = 100;
    private static final IntQueryParam TOP = new IntQueryParam("top", 1, MAX_TOP, 10);

    private final StatsDao stats;
    private final StatsQuery.Reader queries;

    public StatsResource(StatsDao stats, StatsQuery.Reader queries) {
        this.stats = stats;
        this.queries = queries;
    }

    @GET
    @Timed
    @Produces({MediaType.APPLICATION_JSON, StatsQuery.CSV})
    public Response all(@QueryParam("from") String from, @QueryParam("to") String to,
                        @QueryParam("interval") String interval, @QueryParam("format") String format,
                        @QueryParam("top") String top, @HeaderParam("Accept") String accept) {
        StatsQuery query = queries.read(from, to, interval, format, accept);
        int topN = TOP.read(top);
        List<Bucket> buckets = stats.buckets(null, query.from(), query.to(), query.interval());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("interval", query.interval().id());
        body.put("from", query.from());
        body.put("to", query.to());
        body.put("buckets", buckets);
        body.put("top_campaigns", stats.top(query.from(), query.to(), topN));
        return query.answer(body, buckets, "all-campaigns");
    }
}
