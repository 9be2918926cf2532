package com.o7tracker.web;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.core.HttpHeaders;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * For the admin API only (see {@link AdminFeature}): refuses declared bodies over the limit before
 * anything reads them, and writes a request log line. The click path has no request log: its
 * journal is the record of clicks, and a log line per click would cost a large share of its
 * throughput.
 */
@Priority(Priorities.AUTHENTICATION - 200)
public class AdminRequestFilter implements ContainerRequestFilter, ContainerResponseFilter {

    private static final Logger ACCESS = LoggerFactory.getLogger("o7tracker.admin.access");
    private static final String STARTED = AdminRequestFilter.class.getName() + ".started";
    private static final Set<Integer> REFUSED_UNREAD = Set.of(401, 403, 413, 429);

    @Override
    public void filter(ContainerRequestContext request) {
        request.setProperty(STARTED, System.nanoTime());
        String length = request.getHeaderString(HttpHeaders.CONTENT_LENGTH);
        if (length != null) {
            try {
                if (Long.parseLong(length.trim()) > JsonBody.MAX_BYTES) {
                    throw JsonBody.tooLarge();
                }
            } catch (NumberFormatException e) {
                throw ApiException.badRequest("Content-Length is not a number.");
            }
        }
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        // Refused before its body was read (auth, throttle, cross-site, size): Jetty drops the unread
        // body by closing the connection, so the client is told not to send its next request there.
        if (REFUSED_UNREAD.contains(response.getStatus()) && hasBody(request)) {
            response.getHeaders().putSingle("Connection", "close");
        }
        Object started = request.getProperty(STARTED);
        if (started instanceof Long nanos && ACCESS.isInfoEnabled()) {
            String user = request.getSecurityContext() == null || request.getSecurityContext().getUserPrincipal() == null
                    ? "-" : request.getSecurityContext().getUserPrincipal().getName();
            ACCESS.info("{} {} {} {} {}ms", user, request.getMethod(), request.getUriInfo().getRequestUri().getRawPath(),
                    response.getStatus(), (System.nanoTime() - nanos) / 1_000_000);
        }
    }

    private static boolean hasBody(ContainerRequestContext request) {
        String length = request.getHeaderString(HttpHeaders.CONTENT_LENGTH);
        return request.getHeaderString("Transfer-Encoding") != null || (length != null && !length.trim().equals("0"));
    }
}
