package com.o7tracker.web;

import com.o7tracker.auth.CrossSiteFilter;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.container.DynamicFeature;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.FeatureContext;

/**
 * The admin API's filters (body limit, request log, cross-site refusal) on the admin resources
 * (the ones behind basic auth) only, so the click path runs no filter at all.
 */
public class AdminFeature implements DynamicFeature {

    @Override
    public void configure(ResourceInfo resourceInfo, FeatureContext context) {
        if (resourceInfo.getResourceClass().isAnnotationPresent(PermitAll.class)) {
            context.register(new AdminRequestFilter());
            context.register(new CrossSiteFilter());
        }
    }
}
