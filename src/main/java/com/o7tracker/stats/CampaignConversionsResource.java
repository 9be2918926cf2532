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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A campaign's conversions over time: {@code GET /admin/campaigns/{id}/conversions?from=…&to=…&interval=…}
 * (the range and interval of its stats), every bucket present, oldest first, each with its
 * conversions per event and currency, their count and exact revenue; as JSON or CSV, one line per
 * bucket, event and currency (a bucket without conversions one line of none), as the stats are.
 */
@Path("/admin/{collection: campaigns|campains}/{id}/conversions")
public class CampaignConversionsResource {

    static final List<String> COLUMNS = List.of("event", "currency", "conversion_count", "revenue");

    private final CampaignDao campaigns;
    private final StatsDao stats;
    private final StatsQuery.Reader queries;
    private final AppliedPositions positions;

    public CampaignConversionsResource(CampaignDao campaigns, StatsDao stats, StatsQuery.Reader queries,
                                       AppliedPositions positions) {
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
                             @HeaderParam("Accept") String accept, @Context UriInfo uri) {
        long campaignId = id.value();
        StatsQuery query = queries.conversions(from, to, interval, format, accept, uri.getQueryParameters());
        if (campaigns.findById(campaignId).isEmpty()) {
            throw id.unknown();
        }
        AppliedPositions.Read<List<ConversionReads.ConversionBucket>> read = positions.read(
                () -> stats.conversionSeries(campaignId, query.from(), query.to(), query.interval()));
        if (query.csv()) {
            List<List<String>> lines = new ArrayList<>();
            for (ConversionReads.ConversionBucket bucket : read.value()) {
                if (bucket.conversions().isEmpty()) {
                    lines.add(List.of(bucket.start().toString(), "", "", "0", ""));
                }
                for (ConversionReads.EventConversions row : bucket.conversions()) {
                    lines.add(List.of(bucket.start().toString(), row.event(), row.currency() == null ? "" : row.currency(),
                            Long.toString(row.conversionCount()), row.revenue() == null ? "" : row.revenue()));
                }
            }
            return StatsQuery.csvAnswer(StatsQuery.table("start", COLUMNS, lines, line -> line),
                    "campaign-" + campaignId + "-conversions-" + query.interval().id(), read.positions());
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("campaign_id", campaignId);
        body.put("interval", query.interval().id());
        body.put("from", query.from());
        body.put("to", query.to());
        body.put("buckets", read.value());
        return query.json(body, read.positions());
    }
}
