package com.o7tracker.web;

import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.DynamicFeature;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.FeatureContext;

/**
 * The admin API's filters (body limit, request log, cross-site refusal, authentication) on the
 * admin side's resources (see {@link AdminSide}) only, so the public side runs none of them. The
 * authentication filter is given, so this package needs nothing of {@code auth}.
 */
public class AdminFeature implements DynamicFeature {

    private final ContainerRequestFilter authentication;

    public AdminFeature(ContainerRequestFilter authentication) {
        this.authentication = authentication;
    }

    @Override
    public void configure(ResourceInfo resourceInfo, FeatureContext context) {
        if (AdminSide.contains(resourceInfo)) {
            context.register(new AdminRequestFilter());
            context.register(new CrossSiteFilter());
            context.register(authentication);
        }
    }
}
