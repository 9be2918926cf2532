package com.o7tracker.campaign;

import com.o7tracker.web.ApiException;

/**
 * A campaign id in an admin path, as Jersey hands it to every resource that takes one (through
 * {@link #valueOf}, the way Dropwizard's {@code LongParam} is read): {@link CampaignId}'s rule, the
 * one 400 for an id that breaks it, thrown before the resource runs, and the one 404 for an id no
 * campaign has. The id is kept as written, so that the 404 names what the client sent.
 */
public record CampaignIdParam(long value, String written) {

    public static CampaignIdParam valueOf(String written) {
        long id = CampaignId.parse(written).orElseThrow(() -> ApiException.badRequest(
                "Campaign id " + ApiException.quote(written) + " is not a positive integer below 2^53."));
        return new CampaignIdParam(id, written);
    }

    /** The answer when no campaign has this id. */
    public ApiException unknown() {
        return ApiException.notFound("Campaign " + written + " does not exist.");
    }
}
