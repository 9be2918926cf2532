package com.o7tracker.settings;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;

/**
 * A secret the service draws at random and keeps in a file of its data directory, readable by its
 * own OS user only (0600): the embedded PostgreSQL's password, and the admin password on the
 * embedded default when none is set. The file is written whole or not at all (a temporary file
 * beside it, 0600 from its creation, synced, then renamed over it), so a crash while writing never
 * leaves a half-written secret that the next start would take for the whole one, and the secret is
 * never readable by others, not even for a moment.
 */
public final class KeptSecret {

    public static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private KeptSecret() {
    }

    /** {@code bytes} random bytes, in URL-safe Base64 without padding (4 characters per 3 bytes). */
    public static String draw(int bytes) {
        byte[] random = new byte[bytes];
        new SecureRandom().nextBytes(random);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }

    /**
     * The secret kept in {@code file} (without its line end), or empty if there is no such file.
     * The file is made readable by its owner only again, whatever was done to it meanwhile.
     */
    public static Optional<String> read(Path file) throws IOException {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        Files.setPosixFilePermissions(file, OWNER_ONLY);
        return Optional.of(Files.readString(file).strip());
    }

    /** Keeps {@code secret} in {@code file}, replacing what it held, atomically. */
    public static void write(Path file, String secret) throws IOException {
        Path directory = file.toAbsolutePath().getParent();
        Path temporary = Files.createTempFile(directory, "." + file.getFileName() + ".", ".tmp",
                PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        try {
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                ByteBuffer content = ByteBuffer.wrap((secret + "\n").getBytes(StandardCharsets.UTF_8));
                while (content.hasRemaining()) {
                    channel.write(content);
                }
                channel.force(true);
            }
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temporary);
        }
        // The rename itself, on disk: otherwise a power loss could bring back the directory without the file.
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }
}
