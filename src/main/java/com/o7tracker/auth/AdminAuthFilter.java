package com.o7tracker.auth;

import com.o7tracker.web.AdminSide;
import com.o7tracker.web.ErrorBody;
import com.o7tracker.web.PasswordOnly;
import com.o7tracker.web.Requires;
import com.o7tracker.web.Scope;
import jakarta.annotation.Priority;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.SecurityContext;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Method;
import java.security.Principal;
import java.util.Optional;
import java.util.Set;

/**
 * Who a request on the admin side is and what it may do, in one place: the admin password (every
 * right), or an API key (its scopes, checked from memory by {@link ApiKeys}), read from the
 * headers by {@link Credentials}; checked at the turn {@link LoginGate} gave the attempt
 * ({@link LoginThrottle}), and the outcome reported to the throttle. What a resource method needs
 * is {@link #need}: the password alone for {@link PasswordOnly}, the scope {@link Requires} names,
 * else read for reading methods and write for the rest. Missing or wrong credentials are 401 (a
 * failed login but for no credentials at all, a browser's first request), too little scope 403.
 * Unlike Dropwizard's BasicCredentialAuthFilter it logs nothing for credentials that do not
 * decode (a log line per garbage request is a way to fill the disk), nor anything of a key.
 * Registered for every resource and applied to the admin side's ({@link AdminSide}) and to those
 * that require a scope: Jersey injects nothing into the filters a DynamicFeature registers.
 */
@Priority(Priorities.AUTHENTICATION)
public class AdminAuthFilter implements ContainerRequestFilter {

    private static final String SCHEME = "Basic";
    private static final String REALM = "o7tracker";
    private static final Set<String> READING = Set.of("GET", "HEAD", "OPTIONS");

    private final AdminAuthenticator password;
    private final ApiKeys keys;
    private final LoginThrottle throttle;
    private final LoginGate gate;
    private final JsonUnauthorizedHandler unauthorized = new JsonUnauthorizedHandler();

    @Context
    private ResourceInfo resource;

    @Context
    private HttpServletRequest servletRequest;

    AdminAuthFilter(AdminAuthenticator password, ApiKeys keys, LoginThrottle throttle, LoginGate gate) {
        this.password = password;
        this.keys = keys;
        this.throttle = throttle;
        this.gate = gate;
    }

    /** What a request needs: empty for the public side; a scope, or empty within for the password alone. */
    record Need(Optional<Scope> scope, boolean keyInQuery) {
    }

    static Optional<Need> need(ResourceInfo resource, String httpMethod) {
        Method method = resource.getResourceMethod();
        Class<?> type = resource.getResourceClass();
        if (annotation(method, type, PasswordOnly.class) != null) {
            return Optional.of(new Need(Optional.empty(), false));
        }
        Requires requires = annotation(method, type, Requires.class);
        if (requires != null) {
            return Optional.of(new Need(Optional.of(requires.value()), requires.keyInQuery()));
        }
        if (!AdminSide.contains(resource)) {
            return Optional.empty();
        }
        return Optional.of(new Need(Optional.of(READING.contains(httpMethod) ? Scope.READ : Scope.WRITE), false));
    }

    private static <A extends java.lang.annotation.Annotation> A annotation(Method method, Class<?> type, Class<A> kind) {
        A onMethod = method == null ? null : method.getAnnotation(kind);
        return onMethod != null ? onMethod : type == null ? null : type.getAnnotation(kind);
    }

    @Override
    public void filter(ContainerRequestContext request) {
        Optional<Need> need = need(resource, request.getMethod());
        if (need.isEmpty()) {
            return;
        }
        String queryKey = need.get().keyInQuery() ? request.getUriInfo().getQueryParameters().getFirst("key") : null;
        LoginGate.Attempt attempt = gate.attemptOf(servletRequest, queryKey);
        if (attempt.admission() instanceof LoginThrottle.Refused refused) {
            throw new WebApplicationException(ErrorBody.of("Too many failed logins; try again later.")
                    .response(429)
                    .header(HttpHeaders.RETRY_AFTER, refused.retryAfterSeconds())
                    .build());
        }
        Caller caller = authenticate(attempt);
        SecurityContext original = request.getSecurityContext();
        request.setSecurityContext(new SecurityContext() {
            @Override
            public Principal getUserPrincipal() {
                return caller;
            }

            @Override
            public boolean isUserInRole(String role) {
                return false;
            }

            @Override
            public boolean isSecure() {
                return original != null && original.isSecure();
            }

            @Override
            public String getAuthenticationScheme() {
                return caller.isAdmin() ? SecurityContext.BASIC_AUTH : "Bearer";
            }
        });
        Optional<Scope> scope = need.get().scope();
        if (scope.isEmpty() && !caller.isAdmin()) {
            throw forbidden("Only the admin password manages API keys.");
        }
        if (scope.isPresent() && !caller.may(scope.get())) {
            throw forbidden("This API key has no " + scope.get().wireName() + " scope.");
        }
    }

    /** 403 with the JSON error body as built here: also on the public side (the postback), which maps no error to JSON. */
    private static WebApplicationException forbidden(String message) {
        return new WebApplicationException(ErrorBody.of(message).response(403).build());
    }

    /** The caller the attempt's credentials are, reported to the throttle; 401 for none. */
    private Caller authenticate(LoginGate.Attempt attempt) {
        Credentials credentials = attempt.credentials();
        if (credentials instanceof Credentials.Password given) {
            String user = given.basic().getUsername();
            Optional<Caller> admin = password.authenticate(given.basic());
            if (admin.isEmpty()) {
                throttle.failed(attempt.client(), user);
                throw refused();
            }
            throttle.succeeded(attempt.client(), user);
            return admin.get();
        }
        if (credentials instanceof Credentials.Key key) {
            Optional<Caller> caller = keys.check(key);
            if (caller.isEmpty()) {
                throttle.keyFailed(attempt.client());
                throw refused();
            }
            throttle.succeeded(attempt.client(), null);
            return caller.get();
        }
        if (credentials instanceof Credentials.Malformed) {
            throttle.failed(attempt.client(), null);
        }
        // No attempt at all (a browser asks first without credentials): refused, not counted.
        throw refused();
    }

    private WebApplicationException refused() {
        return new WebApplicationException(unauthorized.buildResponse(SCHEME, REALM));
    }
}
