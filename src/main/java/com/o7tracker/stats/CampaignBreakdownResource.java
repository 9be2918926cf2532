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
 * Where a campaign's clicks came from and on what: {@code GET /admin/campaigns/{id}/breakdown?by=country
 * &from=…&to=…&limit=…}, the values of one dimension over a range of whole hours (default the last
 * 24), most human clicks first, the {@code limit} first (default 100) by name and the rest in one
 * {@code (other)} row, so that the rows sum to the range's clicks; as JSON or CSV, as the stats are.
 */
@Path("/admin/{collection: campaigns|campains}/{id}/breakdown")
public class CampaignBreakdownResource {

    private final CampaignDao campaigns;
    private final StatsDao stats;
    private final StatsQuery.Reader queries;
    private final AppliedPositions positions;

    public CampaignBreakdownResource(CampaignDao campaigns, StatsDao stats, StatsQuery.Reader queries,
                                     AppliedPositions positions) {
        this.campaigns = campaigns;
        this.stats = stats;
        this.queries = queries;
        this.positions = positions;
    }

    @GET
    @Timed
    @Produces({MediaType.APPLICATION_JSON, StatsQuery.CSV})
    public Response campaign(@PathParam("id") CampaignIdParam id, @QueryParam("by") String by,
                             @QueryParam("limit") String limit, @QueryParam("from") String from,
                             @QueryParam("to") String to, @QueryParam("format") String format,
                             @HeaderParam("Accept") String accept, @Context UriInfo uri) {
        long campaignId = id.value();
        StatsQuery.Breakdown breakdown = queries.breakdown(by, limit, from, to, format, accept, uri.getQueryParameters());
        if (campaigns.findById(campaignId).isEmpty()) {
            throw id.unknown();
        }
        StatsQuery query = breakdown.query();
        AppliedPositions.Read<List<ValueClicks>> read = positions.read(
                () -> stats.breakdown(campaignId, breakdown.by(), query.from(), query.to(), breakdown.limit()));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("campaign_id", campaignId);
        return BreakdownResource.answer(body, breakdown, read, "campaign-" + campaignId);
    }
}
