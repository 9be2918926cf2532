package com.o7tracker.web;

import com.o7tracker.track.Fallback;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place errors become responses. On the admin API: the original's JSON error body with the
 * right status, never an HTML page. On the public side: a redirect to the fallback, since a
 * visitor of a tracking link never sees an error page.
 */
public class ErrorMapper implements ExceptionMapper<Throwable> {

    private static final Logger LOG = LoggerFactory.getLogger(ErrorMapper.class);

    private final Fallback fallback;

    @Context
    private UriInfo uriInfo;

    public ErrorMapper(Fallback fallback) {
        this.fallback = fallback;
    }

    @Override
    public Response toResponse(Throwable error) {
        if (!AdminSide.contains(uriInfo.getPath())) {
            if (!(error instanceof WebApplicationException)) {
                LOG.error("Error on the public path /{}; sent to the fallback", uriInfo.getPath(), error);
            }
            return fallback.redirect(error instanceof WebApplicationException ? "no-route" : "error");
        }
        int status;
        String message;
        if (error instanceof ApiException api) {
            status = api.getResponse().getStatus();
            message = api.getMessage();
        } else if (error instanceof WebApplicationException web) {
            status = web.getResponse().getStatus();
            message = switch (status) {
                case 404 -> "Not found.";
                case 405 -> "Method not allowed.";
                case 406 -> "Only application/json is served.";
                case 415 -> "Unsupported media type.";
                default -> {
                    Response.StatusType type = web.getResponse().getStatusInfo();
                    yield type.getReasonPhrase() == null ? "Request failed." : type.getReasonPhrase() + ".";
                }
            };
            if (status >= 500) {
                LOG.error("Server error on /{}", uriInfo.getPath(), error);
            }
        } else {
            status = 500;
            message = "Internal server error.";
            LOG.error("Unexpected error on /{}", uriInfo.getPath(), error);
        }
        Response.ResponseBuilder response = ErrorBody.of(message).response(status);
        if (error instanceof NotAllowedException notAllowed) {
            response.allow(notAllowed.getResponse().getAllowedMethods());
        }
        return response.build();
    }
}
