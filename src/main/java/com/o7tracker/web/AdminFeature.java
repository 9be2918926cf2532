package com.o7tracker.web;

import jakarta.ws.rs.container.DynamicFeature;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.FeatureContext;

/**
 * The admin API's filters (body limit, request log, cross-site refusal) on the admin side's
 * resources (see {@link AdminSide}) only, so the public side runs none of them. Authentication
 * keys on {@link AdminSide} too, but is registered by the application: Jersey injects nothing into
 * the filters a DynamicFeature registers, and it needs the client's address.
 */
public class AdminFeature implements DynamicFeature {

    @Override
    public void configure(ResourceInfo resourceInfo, FeatureContext context) {
        if (AdminSide.contains(resourceInfo)) {
            context.register(new AdminRequestFilter());
            context.register(new CrossSiteFilter());
        }
    }
}
