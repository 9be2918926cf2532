package com.o7tracker.auth;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.NotEmpty;

/** The admin API's basic-auth credentials. No password means one is generated for the run. */
public class AuthFactory {

    @NotEmpty
    @JsonProperty
    private String user = "admin";

    @JsonProperty
    private String password = "";

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
