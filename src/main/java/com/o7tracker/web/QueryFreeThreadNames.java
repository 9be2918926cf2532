package com.o7tracker.web;

import jakarta.annotation.Priority;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;

/**
 * Names a request's thread without the request's query while Jersey serves it. Dropwizard's
 * ThreadNameFilter names it with the whole URL ({@code dw-7 - GET /postback?…&key=o7_…}), and a
 * thread's name goes wherever the thread is shown: a thread dump on the admin port, a profile, a
 * log format that prints threads. A postback's key may be in its query (for partners that can
 * only fill in a URL template), and no secret goes there. ThreadNameFilter gives the thread its
 * own name back once the request is served. A Jersey filter, first of all: a servlet filter runs
 * before ThreadNameFilter names the thread (Dropwizard adds it when it builds the server).
 */
@PreMatching
@Priority(1)
public final class QueryFreeThreadNames implements ContainerRequestFilter {

    @Override
    public void filter(ContainerRequestContext request) {
        Thread thread = Thread.currentThread();
        String named = thread.getName();
        int query = named.indexOf('?');
        if (query >= 0) {
            thread.setName(named.substring(0, query));
        }
    }
}
