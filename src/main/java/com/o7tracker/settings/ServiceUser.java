package com.o7tracker.settings;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * The OS user the service runs as, and who owns a path: what decides whether a file or directory is
 * the service's alone (kept secrets, the embedded PostgreSQL's binaries).
 */
public final class ServiceUser {

    private ServiceUser() {
    }

    /** The service's user id. */
    public static int uid() {
        return (int) new com.sun.security.auth.module.UnixSystem().getUid();
    }

    /** The user id owning {@code path} ({@code options}: NOFOLLOW_LINKS for the link itself). */
    public static int ownerOf(Path path, LinkOption... options) throws IOException {
        return (Integer) Files.getAttribute(path, "unix:uid", options);
    }
}
