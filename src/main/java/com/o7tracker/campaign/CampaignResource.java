package com.o7tracker.campaign;

import com.codahale.metrics.annotation.Timed;
import com.o7tracker.web.ApiException;
import com.o7tracker.web.IntQueryParam;
import com.o7tracker.web.JsonBody;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import jakarta.ws.rs.core.UriInfo;
import java.io.InputStream;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The admin API of campaigns, behind basic auth. Also served under the original README's spelling
 * {@code /admin/campains}. Bodies are read as JSON whatever Content-Type they declare, because
 * clients of the original send them with curl's default form type.
 */
@Path("/admin/{collection: campaigns|campains}")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.WILDCARD)
public class CampaignResource {

    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 1000;
    private static final IntQueryParam LIMIT = new IntQueryParam("limit", 1, MAX_LIMIT, DEFAULT_LIMIT);
    /** Before every campaign: the first page's cursor. */
    private static final Instant END_OF_TIME = Instant.parse("9999-12-31T00:00:00Z");

    private final CampaignService campaigns;
    private final AppliedPositions positions;
    private final JsonBody json;

    public CampaignResource(CampaignService campaigns, AppliedPositions positions, JsonBody json) {
        this.campaigns = campaigns;
        this.positions = positions;
        this.json = json;
    }

    @POST
    @Timed
    public Response create(InputStream body) {
        Campaign campaign = campaigns.create(CampaignRequest.forCreate(json.read(body)));
        return Response.created(URI.create("/admin/campaigns/" + campaign.id())).entity(campaign).build();
    }

    @GET
    @Path("/{id}")
    @Timed
    public Response get(@PathParam("id") CampaignIdParam id) {
        AppliedPositions.Read<Optional<Campaign>> read = positions.read(() -> campaigns.find(id.value()));
        return Response.ok(read.value().orElseThrow(id::unknown)).header(AppliedPositions.HEADER, read.positions()).build();
    }

    @GET
    @Timed
    public Response list(@QueryParam("platforms") List<String> platforms, @QueryParam("platform") List<String> platform,
                         @QueryParam("tag") List<String> tag, @QueryParam("tags") List<String> tags,
                         @QueryParam("q") String q, @QueryParam("limit") String limit, @QueryParam("after") String after,
                         @Context UriInfo uriInfo) {
        CampaignFilter wanted = CampaignFilter.parse(platforms, platform, tag, tags, q);
        int pageSize = LIMIT.read(limit);
        Cursor cursor = after == null ? new Cursor(END_OF_TIME, Long.MAX_VALUE) : Cursor.parse(after);
        AppliedPositions.Read<List<Campaign>> read = positions.read(
                () -> campaigns.list(wanted, cursor.createdAt(), cursor.id(), pageSize));
        List<Campaign> page = read.value();
        Response.ResponseBuilder response = Response.ok(page).header(AppliedPositions.HEADER, read.positions());
        if (page.size() == pageSize) {
            Campaign last = page.get(page.size() - 1);
            URI next = UriBuilder.fromUri(uriInfo.getRequestUri())
                    .replaceQueryParam("after", new Cursor(last.createdAt(), last.id()).format())
                    .replaceQueryParam("limit", pageSize)
                    .build();
            response.header("Link", "<" + next.getRawPath() + "?" + next.getRawQuery() + ">; rel=\"next\"");
        }
        return response.build();
    }

    @PUT
    @Path("/{id}")
    @Timed
    public Campaign update(@PathParam("id") CampaignIdParam id, InputStream body) {
        CampaignRequest request = CampaignRequest.forUpdate(json.read(body));
        return campaigns.update(id.value(), request).orElseThrow(id::unknown);
    }

    @DELETE
    @Path("/{id}")
    @Timed
    public Response delete(@PathParam("id") CampaignIdParam id) {
        if (!campaigns.delete(id.value())) {
            throw id.unknown();
        }
        return Response.noContent().build();
    }

    /** The keyset position of the last campaign of a page: its creation time (microseconds) and id. */
    record Cursor(Instant createdAt, long id) {

        private static final long MAX_MICROS = END_OF_TIME.getEpochSecond() * 1_000_000L;

        String format() {
            long micros = Math.addExact(Math.multiplyExact(createdAt.getEpochSecond(), 1_000_000L), createdAt.getNano() / 1_000);
            return micros + "_" + id;
        }

        /** Only what {@link #format} writes: micros from 1970 up to {@link #END_OF_TIME}, and an id. */
        static Cursor parse(String value) {
            int separator = value.indexOf('_');
            if (separator > 0) {
                OptionalLong micros = micros(value.substring(0, separator));
                OptionalLong id = CampaignId.parse(value, separator + 1, value.length());
                if (micros.isPresent() && id.isPresent()) {
                    long at = micros.getAsLong();
                    return new Cursor(Instant.ofEpochSecond(at / 1_000_000L, at % 1_000_000L * 1_000L), id.getAsLong());
                }
            }
            throw ApiException.badRequest("Query parameter after is not a cursor from a Link header.");
        }

        private static OptionalLong micros(String digits) {
            if (digits.isEmpty() || digits.length() > 18 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
                return OptionalLong.empty();
            }
            long micros = Long.parseLong(digits);
            return micros <= MAX_MICROS ? OptionalLong.of(micros) : OptionalLong.empty();
        }
    }
}
