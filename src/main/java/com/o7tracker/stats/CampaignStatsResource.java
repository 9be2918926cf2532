package com.o7tracker.stats;

import com.codahale.metrics.annotation.Timed;
import com.o7tracker.campaign.AppliedPositions;
import com.o7tracker.campaign.CampaignDao;
import com.o7tracker.campaign.CampaignIdParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
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
 * A campaign's clicks over time: {@code GET /admin/campaigns/{id}/stats?from=…&to=…&interval=…},
 * every bucket of the range present, oldest first, as JSON or (with {@code Accept: text/csv} or
 * {@code ?format=csv}) as CSV. The buckets sum to the counters: both are written by the same
 * transaction. With a filter ({@code ?country=DE}, one of the dimensions), the clicks of that
 * value alone, by the hour or day.
 */
@Path("/admin/{collection: campaigns|campains}/{id}/stats")
public class CampaignStatsResource {

    private final CampaignDao campaigns;
    private final StatsDao stats;
    private final StatsQuery.Reader queries;
    private final AppliedPositions positions;

    public CampaignStatsResource(CampaignDao campaigns, StatsDao stats, StatsQuery.Reader queries, AppliedPositions positions) {
        this.campaigns = campaigns;
        this.stats = stats;
        this.queries = queries;
        this.positions = positions;
    }

    @GET
    @Timed
    @Produces({MediaType.APPLICATION_JSON, StatsQuery.CSV})
    public Response campaign(@PathParam("id") CampaignIdParam id, @QueryParam("from") String from, @QueryParam("to") String to,
                             @QueryParam("interval") String interval, @QueryParam("format") String format,
                             @HeaderParam("Accept") String accept,
                             @Context UriInfo uri) {
        long campaignId = id.value();
        StatsQuery query = queries.read(from, to, interval, format, accept, uri.getQueryParameters());
        if (campaigns.findById(campaignId).isEmpty()) {
            throw id.unknown();
        }
        AppliedPositions.Read<List<Bucket>> read = positions.read(
                () -> stats.buckets(campaignId, query.from(), query.to(), query.interval(), query.filter()));
        List<Bucket> buckets = read.value();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("campaign_id", campaignId);
        body.put("interval", query.interval().id());
        body.put("from", query.from());
        body.put("to", query.to());
        body.put("buckets", buckets);
        return query.answer(body, buckets, "campaign-" + campaignId, read.positions());
    }
}
