package com.o7tracker.db;

import com.o7tracker.settings.ServiceUser;
import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import io.zonky.test.db.postgres.embedded.PgBinaryResolver;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Where the embedded PostgreSQL's binaries are unpacked and run from: beside the data directory
 * ({@code postgresql.binaries}), and only the service's user may write to it or to any directory
 * above it. The library's default is the shared {@code java.io.tmpdir/embedded-pg} (or
 * {@code ot.epg.working-dir}), where another local user could put programs first and have them run
 * as the service, with the password. Not inside the data directory: initdb wants it empty. The
 * library makes its working directory writable by all; that is the subdirectory {@link #unpacked},
 * which others cannot reach through this one (mode 0700).
 *
 * <p>One instance for every start: its {@link #resolver} is new too, since the library reuses what
 * it prepared for a resolver it has seen, wherever that was.
 */
final class PrivateBinaries {

    private final Path unpacked;
    private final Archive archive = new Archive();

    private PrivateBinaries(Path unpacked) {
        this.unpacked = unpacked;
    }

    /** Makes (or checks) the binaries' directory beside {@code dataDirectory}; refuses one others could change. */
    static PrivateBinaries beside(Path dataDirectory) throws IOException {
        Path binaries = dataDirectory.resolveSibling(dataDirectory.getFileName() + ".binaries");
        try {
            Files.createDirectory(binaries, PosixFilePermissions.asFileAttribute(EmbeddedDatabase.OWNER_ONLY_DIRECTORY));
        } catch (FileAlreadyExistsException e) {
            // made by an earlier start; checked below like every directory above it
        }
        if (!Files.isDirectory(binaries, LinkOption.NOFOLLOW_LINKS) || ServiceUser.ownerOf(binaries, LinkOption.NOFOLLOW_LINKS) != ServiceUser.uid()) {
            throw new IOException(binaries + " is not a directory of the service's user; remove it");
        }
        Files.setPosixFilePermissions(binaries, EmbeddedDatabase.OWNER_ONLY_DIRECTORY);
        checkOnlyTheServiceCanWrite(binaries);
        return new PrivateBinaries(binaries.resolve("unpacked"));
    }

    /** The library's working directory, where it unpacks the binaries. */
    Path unpacked() {
        return unpacked;
    }

    /** The archive the library unpacks, read through this start's own resolver. */
    PgBinaryResolver resolver() {
        return archive;
    }

    /**
     * The postgres binary that the embedded PostgreSQL unpacked for this start: in the service's
     * own working directory, under the name the library gives the archive it read (PG-&lt;its MD5&gt;),
     * checked again to be writable by the service only.
     */
    Path postgres() throws IOException {
        Path binary = unpacked.resolve("PG-" + archive.digest()).resolve("bin/postgres");
        if (!Files.isExecutable(binary)) {
            throw new IOException("The embedded PostgreSQL's binaries were not unpacked where expected: " + binary);
        }
        checkOnlyTheServiceCanWrite(binary);
        return binary;
    }

    /**
     * Refuses a path that a user other than the service's (or root) could replace: it, or a
     * directory above it, owned by another user, or writable by others without the sticky bit
     * (which, as on /tmp, keeps others from renaming or removing what is not theirs).
     */
    private static void checkOnlyTheServiceCanWrite(Path path) throws IOException {
        int me = ServiceUser.uid();
        Path real = path.toRealPath();
        for (Path p = real; p != null; p = p.getParent()) {
            int owner = ServiceUser.ownerOf(p, LinkOption.NOFOLLOW_LINKS);
            int mode = (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            boolean sticky = (mode & 01000) != 0;
            if (owner != me && owner != 0) {
                throw new IOException(p + " belongs to another user (uid " + owner + "); the embedded PostgreSQL's"
                        + " binaries are run from " + path + " only if no other user can replace them");
            }
            if ((mode & 0022) != 0 && !(sticky && Files.isDirectory(p) && !p.equals(real))) {
                throw new IOException(p + " is writable by other users; the embedded PostgreSQL's binaries are run"
                        + " from " + path + " only if no other user can replace them (chmod go-w " + p + ")");
            }
        }
    }

    /**
     * The library's own archive of binaries, with the MD5 it names their directory by (taken as
     * the library reads it).
     */
    private static final class Archive implements PgBinaryResolver {
        private final MessageDigest md5;

        Archive() {
            try {
                md5 = MessageDigest.getInstance("MD5");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("MD5 is part of every Java runtime", e);
            }
        }

        @Override
        public InputStream getPgBinary(String system, String architecture) throws IOException {
            InputStream archive = DefaultPostgresBinaryResolver.INSTANCE.getPgBinary(system, architecture);
            return archive == null ? null : new DigestInputStream(archive, md5);
        }

        String digest() {
            return HexFormat.of().formatHex(md5.digest());
        }
    }
}
