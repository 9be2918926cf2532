package com.o7tracker.web;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import java.net.URI;
import java.util.Locale;
import java.util.Set;

/**
 * Browsers resend cached basic-auth credentials with any request, so a web page could change
 * campaigns through a logged-in admin's browser. State-changing admin requests that a browser
 * marks as cross-site (a foreign Origin, or Sec-Fetch-Site: cross-site) are refused with 403.
 * Non-browser clients (curl, scripts) send neither header and pass. Bound to the admin API by
 * {@link AdminFeature}.
 */
@Priority(Priorities.AUTHENTICATION - 100)
public class CrossSiteFilter implements ContainerRequestFilter {

    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");

    @Override
    public void filter(ContainerRequestContext request) {
        if (SAFE_METHODS.contains(request.getMethod())) {
            return;
        }
        String fetchSite = request.getHeaderString("Sec-Fetch-Site");
        String origin = request.getHeaderString("Origin");
        if ((fetchSite != null && fetchSite.trim().equalsIgnoreCase("cross-site"))
                || (origin != null && !sameHost(origin, request.getHeaderString(HttpHeaders.HOST)))) {
            // A fixed message: the Origin header is the sender's to write.
            throw new ApiException(403, "Cross-site requests may not change campaigns.");
        }
    }

    private static boolean sameHost(String origin, String host) {
        if (host == null) {
            return false;
        }
        try {
            URI uri = URI.create(origin.trim());
            if (uri.getHost() == null) {
                return false;
            }
            String originHost = uri.getPort() == -1 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
            String requestHost = host.trim().toLowerCase(Locale.ROOT);
            String bare = originHost.toLowerCase(Locale.ROOT);
            // TLS may end at a proxy, so the origin's default port need not appear in Host.
            return requestHost.equals(bare)
                    || (uri.getPort() == -1 && (requestHost.equals(bare + ":80") || requestHost.equals(bare + ":443")));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
