package com.o7tracker.stats;

import com.codahale.metrics.annotation.Timed;
import com.o7tracker.campaign.AppliedPositions;
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
 * Where the clicks of all campaigns came from and on what, {@code GET /admin/stats/breakdown?by=…}
 * (the parameters of a campaign's breakdown), deleted campaigns' clicks included as in the totals.
 */
@Path("/admin/stats/breakdown")
public class BreakdownResource {

    private final StatsDao stats;
    private final StatsQuery.Reader queries;
    private final AppliedPositions positions;

    public BreakdownResource(StatsDao stats, StatsQuery.Reader queries, AppliedPositions positions) {
        this.stats = stats;
        this.queries = queries;
        this.positions = positions;
    }

    @GET
    @Timed
    @Produces({MediaType.APPLICATION_JSON, StatsQuery.CSV})
    public Response all(@QueryParam("by") String by, @QueryParam("limit") String limit, @QueryParam("from") String from,
                        @QueryParam("to") String to, @QueryParam("format") String format,
                        @HeaderParam("Accept") String accept, @Context UriInfo uri) {
        StatsQuery.Breakdown breakdown = queries.breakdown(by, limit, from, to, format, accept, uri.getQueryParameters());
        StatsQuery query = breakdown.query();
        AppliedPositions.Read<List<ValueClicks>> read = positions.read(
                () -> stats.breakdown(null, breakdown.by(), query.from(), query.to(), breakdown.limit()));
        return answer(new LinkedHashMap<>(), breakdown, read, "all-campaigns");
    }

    /** The answer of either breakdown: {@code body} (its first fields, if any) with the rest, or the rows as CSV. */
    static Response answer(Map<String, Object> body, StatsQuery.Breakdown breakdown, AppliedPositions.Read<List<ValueClicks>> read,
                           String fileName) {
        StatsQuery query = breakdown.query();
        body.put("by", breakdown.by().wireName());
        body.put("from", query.from());
        body.put("to", query.to());
        body.put("rows", read.value());
        return query.answer(body, read.value(), "value", ValueClicks::value, ValueClicks::counters, ValueClicks::conversionCount,
                fileName + "-by-" + breakdown.by().wireName(), read.positions());
    }
}
