package com.o7tracker.auth;

import java.security.Principal;

/** The one kind of user the admin API has. */
public record Admin(String name) implements Principal {

    @Override
    public String getName() {
        return name;
    }
}
