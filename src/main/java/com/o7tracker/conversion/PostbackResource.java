package com.o7tracker.conversion;

import com.codahale.metrics.annotation.Timed;
import com.fasterxml.jackson.databind.JsonNode;
import com.o7tracker.clickid.ClickId;
import com.o7tracker.clickid.ClickIds;
import com.o7tracker.web.ApiException;
import com.o7tracker.web.JsonBody;
import com.o7tracker.web.Requires;
import com.o7tracker.web.Scope;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.UriInfo;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The postback partners call when a click turned into something: {@code GET /postback?click_id=…
 * &event=install&revenue=4.99&currency=EUR}, or the same as a {@code POST} form or JSON body, with
 * an API key of the {@code postback} scope ({@code X-Api-Key}, or {@code key} in the query for a
 * partner that can only fill in a URL template). The click id must be one this service signed
 * ({@link ClickIds#verify}); the conversion is counted once ({@link ConversionStore}) and the
 * answer says so only once it is committed. PostgreSQL unreachable: 503 with {@code Retry-After}
 * (the error mapping's), and the partner's retry counts once.
 */
@Path("/postback")
@Requires(value = Scope.POSTBACK, keyInQuery = true)
@Produces(MediaType.APPLICATION_JSON)
public class PostbackResource {

    private static final Logger LOG = LoggerFactory.getLogger(PostbackResource.class);
    static final String BEFORE_SIGNED_IDS = "The click id was handed out before click ids were signed: it names no campaign.";

    private final ClickIds clickIds;
    private final ConversionStore store;
    private final JsonBody json;
    private final List<ConversionSink> sinks;

    /**
     * {@code json} reads numbers as written (revenue 4.99, never a float): see {@link PostbackRequest#of(JsonNode)}.
     * {@code sinks} are told of each conversion counted, after its commit.
     */
    public PostbackResource(ClickIds clickIds, ConversionStore store, JsonBody json, List<ConversionSink> sinks) {
        this.clickIds = clickIds;
        this.store = store;
        this.json = json;
        this.sinks = List.copyOf(sinks);
    }

    @GET
    @Timed
    public Map<String, Object> get(@Context UriInfo uri) {
        return count(PostbackRequest.of(uri.getQueryParameters()));
    }

    /** A form's parameters and the query's together: one sent in both is sent twice. */
    @POST
    @Timed
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Map<String, Object> postForm(@Context UriInfo uri, MultivaluedMap<String, String> form) {
        Map<String, List<String>> parameters = new LinkedHashMap<>();
        uri.getQueryParameters().forEach((name, values) -> parameters.computeIfAbsent(name, n -> new ArrayList<>()).addAll(values));
        form.forEach((name, values) -> parameters.computeIfAbsent(name, n -> new ArrayList<>()).addAll(values));
        return count(PostbackRequest.of(parameters));
    }

    @POST
    @Timed
    @Consumes(MediaType.APPLICATION_JSON)
    public Map<String, Object> postJson(InputStream body) {
        return count(PostbackRequest.of(json.read(body)));
    }

    private Map<String, Object> count(PostbackRequest request) {
        ClickIds.Verification verified = clickIds.verify(request.clickId());
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("status", "ok");
        switch (verified.outcome()) {
            case INVALID -> throw ApiException.badRequest("click_id is not a click id of this service: " + verified.reason());
            case BEFORE_SIGNED_IDS -> {
                answer.put("attributed", false);
                answer.put("duplicate", false);
                answer.put("event", request.event());
                answer.put("reason", BEFORE_SIGNED_IDS);
                return answer;
            }
            case SIGNED -> {
                ClickId click = verified.click();
                Conversion conversion = new Conversion(request.clickId(), click.campaignId(), click.platform(), click.bot(),
                        click.country(), click.minute(), request.event(), request.revenue(), request.currency());
                ConversionStore.Outcome outcome = store.record(conversion);
                if (outcome instanceof ConversionStore.Counted counted) {
                    tell(conversion, counted);
                }
                answer.put("attributed", !(outcome instanceof ConversionStore.NotAttributed));
                answer.put("duplicate", outcome instanceof ConversionStore.Duplicate);
                answer.put("campaign_id", click.campaignId());
                answer.put("event", request.event());
                if (outcome instanceof ConversionStore.NotAttributed notAttributed) {
                    answer.put("reason", notAttributed.reason());
                }
                return answer;
            }
            default -> throw new IllegalStateException("unknown outcome " + verified.outcome());
        }
    }

    /** Committed: whatever a sink does, the partner is answered that it counted. */
    private void tell(Conversion conversion, ConversionStore.Counted counted) {
        for (ConversionSink sink : sinks) {
            try {
                sink.counted(conversion, counted);
            } catch (RuntimeException e) {
                LOG.warn("A conversion counted could not be told to {}: {}", sink.getClass().getSimpleName(), e.toString());
            }
        }
    }
}
