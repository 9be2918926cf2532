package com.o7tracker.web;

import jakarta.ws.rs.Path;
import jakarta.ws.rs.container.ResourceInfo;
import java.util.List;

/**
 * Which requests are the admin side: behind basic auth or an API key, with the admin filters (body
 * limit, request log, cross-site refusal), the failed-login throttle, answered with JSON errors:
 * the admin API, its tasks, and the postback partners send conversions to. Everything else is the
 * public side, where a visitor only ever gets a redirect. Decided by path alone, so Jersey's
 * resources, its error mapping and Jetty's own error answers agree.
 */
public final class AdminSide {

    private static final List<String> ROOTS = List.of("admin", "tasks", "postback");

    private AdminSide() {
    }

    /** A request path (with or without its leading slash), or a resource's path template. */
    public static boolean contains(String path) {
        String p = path.startsWith("/") ? path.substring(1) : path;
        for (String root : ROOTS) {
            if (p.equals(root) || p.startsWith(root + "/")) {
                return true;
            }
        }
        return false;
    }

    /** Whether a matched resource method is served on the admin side. */
    public static boolean contains(ResourceInfo resource) {
        Class<?> type = resource.getResourceClass();
        Path path = type == null ? null : type.getAnnotation(Path.class);
        return path != null && contains(path.value());
    }
}
