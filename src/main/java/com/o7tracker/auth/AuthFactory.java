package com.o7tracker.auth;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.validation.ValidationMethod;
import jakarta.validation.constraints.NotEmpty;

/** The admin API's basic-auth credentials. No password means one is generated for the run. */
public class AuthFactory {

    @NotEmpty
    @JsonProperty
    private String user = "admin";

    @JsonProperty
    private String password = "";

    /** Shorter passwords fall to guessing within the throttle's limits; the service does not start. */
    public static final int MIN_PASSWORD_LENGTH = 12;

    @JsonIgnore
    @ValidationMethod(message = "auth.password must be at least " + MIN_PASSWORD_LENGTH
            + " characters (AUTH_PASSWORD), or empty to have one generated for the run")
    public boolean isPassword() {
        return password == null || password.isEmpty() || password.length() >= MIN_PASSWORD_LENGTH;
    }

    public String getUser() {
        return user;
    }

    public String getPassword() {
        return password;
    }

    public void setPassword(String password) {
        this.password = password;
    }
}
