package com.o7tracker.web;

import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import org.apache.tomcat.jdbc.pool.PoolExhaustedException;
import org.jdbi.v3.core.ConnectionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place errors become responses. On the admin API: the original's JSON error body with the
 * right status, never an HTML page; a client's mistake is named, a server error has a fixed message
 * and its cause goes to the log. On the public side: a redirect to the fallback, since a
 * visitor of a tracking link never sees an error page.
 */
public class ErrorMapper implements ExceptionMapper<Throwable> {

    private static final Logger LOG = LoggerFactory.getLogger(ErrorMapper.class);

    private final Fallback fallback;

    @Context
    private UriInfo uriInfo;

    /** How long a client is asked to wait before it sends again what PostgreSQL's absence refused. */
    static final int RETRY_AFTER_SECONDS = 5;

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
        int status = error instanceof WebApplicationException web ? web.getResponse().getStatus()
                : databaseUnavailable(error) ? 503 : 500;
        String message;
        if (status >= 500) {
            // Its text may hold SQL, a file path or a driver's message: the log has it, the answer does not.
            if (error instanceof ApiException api) {
                LOG.warn("{} on /{}: {}", status, uriInfo.getPath(), api.getMessage());
            } else {
                LOG.error("Server error {} on /{}", status, uriInfo.getPath(), error);
            }
            message = ErrorBody.messageFor(status, null);
        } else if (error instanceof ApiException api) {
            message = api.getMessage();
        } else {
            String reason = ((WebApplicationException) error).getResponse().getStatusInfo().getReasonPhrase();
            message = ErrorBody.messageFor(status, reason == null ? "Request failed." : reason + ".");
        }
        Response.ResponseBuilder response = ErrorBody.of(message).response(status);
        if (status == 503 && !(error instanceof WebApplicationException)) {
            // PostgreSQL away: a client that retries (a partner's postback) is told when.
            response.header(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS);
        }
        if (error instanceof NotAllowedException notAllowed) {
            response.allow(notAllowed.getResponse().getAllowedMethods());
        }
        return response.build();
    }

    /** PostgreSQL cannot be reached or has no connection to give: the client may try again. */
    private static boolean databaseUnavailable(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof ConnectionException || cause instanceof SQLTransientConnectionException
                    || cause instanceof SQLNonTransientConnectionException || cause instanceof PoolExhaustedException) {
                return true;
            }
            if (cause instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("08")) {
                return true;
            }
        }
        return false;
    }
}
