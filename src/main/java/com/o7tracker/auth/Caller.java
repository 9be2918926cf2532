package com.o7tracker.auth;

import com.o7tracker.web.Scope;
import java.security.Principal;
import java.util.EnumSet;
import java.util.Set;

/**
 * Who a request on the admin side is, once authenticated: the admin (the password, every right,
 * and alone the keys' manager) or an API key (its id, and its scopes). The name is what the
 * request log writes: the admin's user name, or {@code key:<id>}, never the key.
 */
public record Caller(String name, long keyId, Set<Scope> scopes) implements Principal {

    private static final long PASSWORD = -1;

    public static Caller admin(String user) {
        return new Caller(user, PASSWORD, EnumSet.allOf(Scope.class));
    }

    public static Caller key(long id, Set<Scope> scopes) {
        return new Caller("key:" + id, id, Set.copyOf(scopes));
    }

    public boolean isAdmin() {
        return keyId == PASSWORD;
    }

    /** Whether the caller may do what {@code needed} allows. */
    public boolean may(Scope needed) {
        return isAdmin() || scopes.stream().anyMatch(s -> s.grants(needed));
    }

    @Override
    public String getName() {
        return name;
    }
}
