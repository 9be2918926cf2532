package com.o7tracker.auth;

import io.dropwizard.auth.Authenticator;
import io.dropwizard.auth.basic.BasicCredentials;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;

/**
 * Checks basic-auth credentials case-sensitively and in constant time: both sides are hashed
 * first, so neither the length nor the first differing byte shows in the timing.
 */
public class AdminAuthenticator implements Authenticator<BasicCredentials, Caller> {

    private final byte[] userDigest;
    private final byte[] passwordDigest;
    private final Caller admin;

    public AdminAuthenticator(String user, String password) {
        this.userDigest = sha256(user);
        this.passwordDigest = sha256(password);
        this.admin = Caller.admin(user);
    }

    @Override
    public Optional<Caller> authenticate(BasicCredentials credentials) {
        boolean userOk = MessageDigest.isEqual(userDigest, sha256(credentials.getUsername()));
        boolean passwordOk = MessageDigest.isEqual(passwordDigest, sha256(credentials.getPassword()));
        return userOk & passwordOk ? Optional.of(admin) : Optional.empty();
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
