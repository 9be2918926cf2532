package com.o7tracker.auth;

import com.o7tracker.web.AdminSide;
import com.o7tracker.web.ClientAddress;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.core.HttpHeaders;
import java.io.IOException;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Gives each login attempt on the admin side its turn ({@link LoginThrottle#admit}) before Jersey
 * sees it, and waits out a delay with the request suspended (servlet async), not with a request
 * thread asleep: a flood of guesses then costs a scheduled task each, not a thread each. The
 * credentials are checked afterwards by {@link AdminAuthFilter}, which reads the turn from the
 * request. A servlet filter because a Jersey filter cannot suspend its request.
 */
public final class LoginGate implements Filter {

    private static final String ATTEMPT = LoginGate.class.getName() + ".attempt";

    /** Who tries to log in with what, and the verdict. */
    record Attempt(String client, Credentials credentials, LoginThrottle.Admission admission) {
    }

    private final LoginThrottle throttle;
    private final ClientAddress clientAddress;
    private final ScheduledExecutorService scheduler;
    private final long asyncTimeoutMillis;

    LoginGate(LoginThrottle throttle, ClientAddress clientAddress, ScheduledExecutorService scheduler,
            java.time.Duration longestWait) {
        this.throttle = throttle;
        this.clientAddress = clientAddress;
        this.scheduler = scheduler;
        // Only a stopped scheduler leaves a request suspended; it then gets an error, not a hang.
        this.asyncTimeoutMillis = longestWait.toMillis() + 30_000;
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest http = (HttpServletRequest) request;
        // The second pass (after the delay) has its turn already; the public side takes no logins.
        if (http.getAttribute(ATTEMPT) != null || !AdminSide.contains(path(http))) {
            chain.doFilter(request, response);
            return;
        }
        Attempt attempt = attempt(http, null);
        http.setAttribute(ATTEMPT, attempt);
        if (attempt.admission() instanceof LoginThrottle.Later later) {
            AsyncContext async = http.startAsync();
            async.setTimeout(asyncTimeoutMillis);
            scheduler.schedule(() -> async.dispatch(), later.delayNanos(), TimeUnit.NANOSECONDS);
            return;
        }
        chain.doFilter(request, response);
    }

    /**
     * The attempt of a request this gate has seen, or, should one reach the authentication past it
     * (a public resource that takes a key, a key in the query), its turn taken now, with a delay
     * read as a refusal (nothing can wait there). {@code queryKey}: the request's {@code key}
     * query parameter where its resource takes one, else null.
     */
    Attempt attemptOf(HttpServletRequest request, String queryKey) {
        if (request.getAttribute(ATTEMPT) instanceof Attempt seen && (queryKey == null || !(seen.credentials() instanceof Credentials.None))) {
            return seen;
        }
        Attempt now = attempt(request, queryKey);
        if (now.admission() instanceof LoginThrottle.Later later) {
            return new Attempt(now.client(), now.credentials(),
                    new LoginThrottle.Refused(Math.max(1, TimeUnit.NANOSECONDS.toSeconds(later.delayNanos()) + 1)));
        }
        return now;
    }

    private Attempt attempt(HttpServletRequest request, String queryKey) {
        String client = LoginThrottle.key(clientAddress.of(request));
        Credentials credentials = Credentials.read(request.getHeader(HttpHeaders.AUTHORIZATION),
                request.getHeader(Credentials.API_KEY_HEADER), queryKey);
        // No credentials, or malformed ones: nothing to check, refused (401) by the filter, and
        // malformed ones counted there.
        LoginThrottle.Admission admission = LoginThrottle.NOW;
        if (credentials instanceof Credentials.Password password) {
            admission = throttle.admit(client, password.basic().getUsername());
        } else if (credentials instanceof Credentials.Key) {
            admission = throttle.admitKey(client);
        }
        return new Attempt(client, credentials, admission);
    }

    /** The path as the servlet container decoded and normalised it, as Jersey matches it. */
    private static String path(HttpServletRequest request) {
        return request.getServletPath() + Objects.toString(request.getPathInfo(), "");
    }
}
