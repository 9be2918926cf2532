package com.o7tracker.settings;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A secret the service draws at random and keeps in a file of its data directory, readable by its
 * own OS user only (0600): the embedded PostgreSQL's password, and the admin password on the
 * embedded default when none is set. The file is written whole or not at all (a temporary file
 * beside it, 0600 from its creation, synced, then renamed over it), so a crash while writing never
 * leaves a half-written secret that the next start would take for the whole one, and the secret is
 * never readable by others, not even for a moment. A temporary that a crash left before its rename is
 * removed at the next read or write of its file (one process keeps a data directory's secrets at a
 * time: {@code DataDirectoryLock}), so none piles up from crash to crash.
 *
 * <p>Only a regular file of the service's own OS user is read, never through a symbolic link: a
 * link (planted by another user, or left by an operator) would otherwise have the service make its
 * target the service's alone and read it, and root, which may change any file, would do so to
 * another user's file as well.
 *
 * <p>Nor is a secret kept in a directory that another user may write to, or that belongs to another
 * user (root aside): that user could remove the file, or put one of their own in its place between
 * the service's look at it and its read. The service refuses to start then, and says what to
 * change, rather than warn in a log read after the fact: it is the rule PostgreSQL keeps for its
 * data directory and ssh for a user's keys, and the embedded default already refuses to run
 * PostgreSQL's binaries from under such a directory ({@code PrivateBinaries}). A directory that
 * the service makes for a secret is its user's alone (0700).
 */
public final class KeptSecret {

    private static final Logger LOG = LoggerFactory.getLogger(KeptSecret.class);

    public static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_ONLY_DIRECTORY = PosixFilePermissions.fromString("rwx------");

    private static final String TEMPORARY_SUFFIX = ".tmp";

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
     * The file is made readable by its owner only again, whatever was done to it meanwhile. Refused,
     * and left as it is, if it is a symbolic link, not a regular file, or another user's, or if its
     * directory is not the service's to keep a secret in.
     */
    public static Optional<String> read(Path file) throws IOException {
        Path directory = file.toAbsolutePath().getParent();
        if (Files.notExists(directory)) {
            return Optional.empty();
        }
        checkDirectory(directory);
        removeTemporaries(file);
        PosixFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        String whatToDo = ": a secret is kept only in a regular file of the service's own user; remove it to have a"
                + " new secret drawn, or put the secret itself there";
        if (attributes.isSymbolicLink()) {
            throw new IOException(file + " is a symbolic link (to " + Files.readSymbolicLink(file) + ")" + whatToDo);
        }
        if (!attributes.isRegularFile()) {
            throw new IOException(file + " is not a regular file" + whatToDo);
        }
        int owner = ServiceUser.ownerOf(file, LinkOption.NOFOLLOW_LINKS);
        if (owner != ServiceUser.uid()) {
            throw new IOException(file + " belongs to another user (uid " + owner + ", the service runs as uid "
                    + ServiceUser.uid() + ")" + whatToDo);
        }
        Files.getFileAttributeView(file, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS).setPermissions(OWNER_ONLY);
        try (InputStream in = Files.newInputStream(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8).strip());
        }
    }

    /**
     * Keeps {@code secret} in {@code file}, replacing what it held, atomically; makes its directory
     * (0700) if there is none, and refuses one that is not the service's to keep a secret in.
     */
    public static void write(Path file, String secret) throws IOException {
        Path directory = file.toAbsolutePath().getParent();
        Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIRECTORY));
        checkDirectory(directory);
        removeTemporaries(file);
        Path temporary = Files.createTempFile(directory, temporaryPrefix(file), TEMPORARY_SUFFIX,
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

    /** Where a write of {@code file} begins the name of its temporary. */
    private static String temporaryPrefix(Path file) {
        return "." + file.getFileName() + ".";
    }

    /**
     * Removes the temporaries that writes of {@code file} left: named as {@link Files#createTempFile}
     * names them, with a random number between the prefix and the suffix, so that neither the
     * temporaries of a file whose name begins with this one's ({@code .secret.x.123.tmp} beside
     * {@code secret}) nor an operator's files are taken for them.
     */
    private static void removeTemporaries(Path file) throws IOException {
        Pattern temporary = Pattern.compile(Pattern.quote(temporaryPrefix(file)) + "\\d+" + Pattern.quote(TEMPORARY_SUFFIX));
        Path directory = file.toAbsolutePath().getParent();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory,
                entry -> temporary.matcher(entry.getFileName().toString()).matches())) {
            for (Path entry : entries) {
                if (Files.isRegularFile(entry, LinkOption.NOFOLLOW_LINKS) && Files.deleteIfExists(entry)) {
                    LOG.info("Removed {}, left by a write of {} that a crash interrupted", entry, file);
                }
            }
        }
    }

    /**
     * Refuses a directory that a user other than the service's (or root) could change. Followed if it
     * is a link: a data directory is often a link to the disk it is kept on, and the link's own
     * directory is the operator's choice.
     */
    private static void checkDirectory(Path directory) throws IOException {
        int owner = ServiceUser.ownerOf(directory);
        if (owner != ServiceUser.uid() && owner != 0) {
            throw new IOException(directory + " belongs to another user (uid " + owner + ", the service runs as uid "
                    + ServiceUser.uid() + "), who could replace the secrets kept in it: give it to the service's user"
                    + " (chown), or set DATA_DIR to a directory of its own");
        }
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(directory);
        if (permissions.contains(PosixFilePermission.GROUP_WRITE) || permissions.contains(PosixFilePermission.OTHERS_WRITE)) {
            throw new IOException(directory + " is writable by other users, who could replace the secrets kept in it:"
                    + " chmod go-w " + directory);
        }
    }
}
