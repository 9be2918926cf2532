package com.o7tracker.stats;

import com.codahale.metrics.annotation.Timed;
import com.o7tracker.campaign.CampaignDao;
import com.o7tracker.campaign.CampaignId;
import com.o7tracker.web.ApiException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A campaign's clicks over time: {@code GET /admin/campaigns/{id}/stats?from=…&to=…&interval=…},
 * every bucket of the range present, oldest first, as JSON or (with {@code Accept: text/csv} or
 * {@code ?format=csv}) as CSV. The buckets sum to the counters: both are written by the same
 * transaction.
 */
@Path("/admin/{collection: campaigns|campains}/{id}/stats")
public class StatsResource {

    public static final String CSV = "text/csv";
    public static final int MAX_BUCKETS = 10_000;
    private static final Duration DEFAULT_RANGE = Duration.ofHours(24);

    private final CampaignDao campaigns;
    private final StatsDao stats;
    private final Clock clock;

    public StatsResource(CampaignDao campaigns, StatsDao stats, Clock clock) {
        this.campaigns = campaigns;
        this.stats = stats;
        this.clock = clock;
    }

    @GET
    @Timed
    @Produces({MediaType.APPLICATION_JSON, CSV})
    public Response campaign(@PathParam("id") String id, @QueryParam("from") String from, @QueryParam("to") String to,
                             @QueryParam("interval") String interval, @QueryParam("format") String format,
                             @HeaderParam("Accept") String accept) {
        long campaignId = CampaignId.parse(id).orElseThrow(() -> ApiException.badRequest(
                "Campaign id " + ApiException.quote(id) + " is not a positive integer below 2^53."));
        boolean csv = csv(format, accept);
        Interval width = interval == null ? Interval.HOUR : Interval.parse(interval).orElseThrow(() ->
                ApiException.badRequest("Query parameter interval must be minute, hour or day."));
        Instant end = width.ceiling(to == null ? clock.instant() : instant("to", to));
        Instant start = width.floor(from == null ? end.minus(DEFAULT_RANGE) : instant("from", from));
        if (!start.isBefore(end)) {
            throw ApiException.badRequest("Query parameter from must be before to.");
        }
        long buckets = Duration.between(start, end).dividedBy(width.width());
        if (buckets > MAX_BUCKETS) {
            throw ApiException.badRequest("The range holds " + buckets + " " + width.id() + "s; at most " + MAX_BUCKETS
                    + " buckets are answered at once.");
        }
        if (campaigns.findById(campaignId).isEmpty()) {
            throw ApiException.notFound("Campaign " + id + " does not exist.");
        }
        List<Bucket> rows = stats.buckets(campaignId, start, end, width);
        if (csv) {
            return Response.ok(csv(rows), CSV + "; charset=utf-8")
                    .header("Content-Disposition", "attachment; filename=\"campaign-" + campaignId + "-" + width.id() + ".csv\"")
                    .build();
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("campaign_id", campaignId);
        body.put("interval", width.id());
        body.put("from", start);
        body.put("to", end);
        body.put("buckets", rows);
        return Response.ok(body, MediaType.APPLICATION_JSON_TYPE).build();
    }

    private static boolean csv(String format, String accept) {
        if (format != null) {
            if (!format.equals("csv") && !format.equals("json")) {
                throw ApiException.badRequest("Query parameter format must be json or csv.");
            }
            return format.equals("csv");
        }
        return accept != null && accept.contains(CSV) && !accept.contains(MediaType.APPLICATION_JSON);
    }

    private static Instant instant(String name, String value) {
        try {
            return Instant.parse(value.trim());
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest("Query parameter " + name + " is not an ISO-8601 instant such as"
                    + " 2026-11-29T10:00:00Z.");
        }
    }

    static String csv(List<Bucket> rows) {
        StringBuilder out = new StringBuilder("start,click_count,android_click_count,iphone_click_count,"
                + "windowsphone_click_count,other_click_count,bot_click_count\r\n");
        for (Bucket b : rows) {
            out.append(b.start()).append(',').append(b.clickCount()).append(',').append(b.androidClickCount()).append(',')
                    .append(b.iphoneClickCount()).append(',').append(b.windowsphoneClickCount()).append(',')
                    .append(b.otherClickCount()).append(',').append(b.botClickCount()).append("\r\n");
        }
        return out.toString();
    }
}
