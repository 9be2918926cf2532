package com.o7tracker.auth;

import com.o7tracker.web.AdminSide;
import com.o7tracker.web.ErrorBody;
import io.dropwizard.auth.AuthFilter;
import io.dropwizard.auth.Authenticator;
import io.dropwizard.auth.basic.BasicCredentials;
import jakarta.annotation.Priority;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.SecurityContext;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Basic auth for the admin side: checks the credentials of an attempt whose turn {@link LoginGate}
 * has given ({@link LoginThrottle}), and reports the outcome to the throttle. Unlike Dropwizard's
 * BasicCredentialAuthFilter it logs nothing for an Authorization header that does not decode (a
 * log line per garbage request is a way to fill the disk): such a header is a failed login like
 * a wrong password, answered 401. Registered for every resource and applied to the admin side's
 * ({@link AdminSide}): Jersey injects nothing into the filters a DynamicFeature registers.
 */
@Priority(Priorities.AUTHENTICATION)
public class AdminAuthFilter extends AuthFilter<BasicCredentials, Admin> {

    private static final String SCHEME = "Basic";

    private final LoginThrottle throttle;
    private final LoginGate gate;

    @Context
    private ResourceInfo resource;

    @Context
    private HttpServletRequest servletRequest;

    AdminAuthFilter(Authenticator<BasicCredentials, Admin> authenticator, LoginThrottle throttle, LoginGate gate) {
        this.prefix = SCHEME;
        this.realm = "o7tracker";
        this.authenticator = authenticator;
        this.unauthorizedHandler = new JsonUnauthorizedHandler();
        this.throttle = throttle;
        this.gate = gate;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        if (!AdminSide.contains(resource)) {
            return;
        }
        LoginGate.Attempt attempt = gate.attemptOf(servletRequest);
        if (attempt.admission() instanceof LoginThrottle.Refused refused) {
            throw new WebApplicationException(ErrorBody.of("Too many failed logins; try again later.")
                    .response(429)
                    .header(HttpHeaders.RETRY_AFTER, refused.retryAfterSeconds())
                    .build());
        }
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (header == null) {
            // No attempt (a browser asks first without credentials): refused, not counted.
            throw unauthorizedHandler.buildException(prefix, realm);
        }
        BasicCredentials credentials = decode(header);
        if (credentials == null) {
            throttle.failed(attempt.client(), null);
            throw unauthorizedHandler.buildException(prefix, realm);
        }
        if (!authenticate(request, credentials, SecurityContext.BASIC_AUTH)) {
            throttle.failed(attempt.client(), credentials.getUsername());
            throw unauthorizedHandler.buildException(prefix, realm);
        }
        throttle.succeeded(attempt.client(), credentials.getUsername());
    }

    /** The credentials of a well-formed {@code Basic} header, or null. */
    static BasicCredentials decode(String header) {
        int space = header.indexOf(' ');
        if (space != SCHEME.length() || !header.regionMatches(true, 0, SCHEME, 0, space)) {
            return null;
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(header.substring(space + 1).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
        int colon = decoded.indexOf(':');
        return colon < 0 ? null : new BasicCredentials(decoded.substring(0, colon), decoded.substring(colon + 1));
    }
}
