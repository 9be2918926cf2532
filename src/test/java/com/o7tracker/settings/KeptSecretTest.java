package com.o7tracker.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeptSecretTest {

    @TempDir
    Path directory;

    @Test
    void aSecretIsKeptReadableByItsOwnerOnlyAndReadBackAsItWasWritten() throws Exception {
        Path file = directory.resolve("secret");
        assertThat(KeptSecret.read(file)).as("nothing kept yet").isEmpty();
        String secret = KeptSecret.draw(18);
        assertThat(secret).hasSize(24).matches("[A-Za-z0-9_-]+");
        KeptSecret.write(file, secret);
        assertThat(Files.readString(file)).isEqualTo(secret + "\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(KeptSecret.read(file)).hasValue(secret);
        try (Stream<Path> files = Files.list(directory)) {
            assertThat(files).as("no temporary file left beside it").containsExactly(file);
        }
    }

    @Test
    void writingReplacesWhatTheFileHeldAndReadingMakesItTheOwnersOnlyAgain() throws Exception {
        Path file = directory.resolve("secret");
        KeptSecret.write(file, "first-secret-value");
        KeptSecret.write(file, "second-secret-value");
        assertThat(KeptSecret.read(file)).hasValue("second-secret-value");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(KeptSecret.read(file)).hasValue("second-secret-value");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(KeptSecret.draw(18)).as("drawn at random").isNotEqualTo(KeptSecret.draw(18));
    }

    /**
     * A link planted where the secret is kept (by another user, or left by an operator) would have
     * the service make its target the service's and read it: refused, the target left as it was.
     */
    @Test
    void aSymbolicLinkIsRefusedAndItsTargetLeftAsItWas() throws Exception {
        Path target = Files.writeString(directory.resolve("elsewhere"), "planted-secret-value\n");
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-r--r--"));
        Path file = Files.createSymbolicLink(directory.resolve("secret"), target);

        assertThatThrownBy(() -> KeptSecret.read(file))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(file + " is a symbolic link");
        assertThat(Files.readString(target)).isEqualTo("planted-secret-value\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target))).isEqualTo("rw-r--r--");
        assertThat(Files.isSymbolicLink(file)).isTrue();
    }

    @Test
    void aDirectoryInPlaceOfTheFileIsRefusedAndLeftAsItWas() throws Exception {
        Path file = Files.createDirectory(directory.resolve("secret"));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));

        assertThatThrownBy(() -> KeptSecret.read(file))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(file + " is not a regular file");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rwxr-xr-x");
    }

    /** Root may make any file its own; it must not do so to another user's file that was put there. */
    @Test
    void aFileOfAnotherUserIsRefusedAndLeftAsItWas() throws Exception {
        assertThat(ServiceUser.uid()).as("giving a file to another user needs root; the suite runs as root").isZero();
        Path file = Files.writeString(directory.resolve("secret"), "planted-secret-value\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        UserPrincipal nobody = directory.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
        Files.setOwner(file, nobody);

        assertThatThrownBy(() -> KeptSecret.read(file))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(file + " belongs to another user");
        assertThat(Files.getOwner(file, LinkOption.NOFOLLOW_LINKS)).isEqualTo(nobody);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-r--r--");
    }

    /** Others who may write to the directory could put their file in the secret's place, or remove it. */
    @Test
    void aDirectoryOthersCanWriteToIsRefusedSayingWhatToDo() throws Exception {
        for (String mode : new String[] {"rwxrwxrwx", "rwxrwxr-x"}) {
            Path open = Files.createDirectory(directory.resolve("open-" + mode));
            Path file = open.resolve("secret");
            KeptSecret.write(file, "kept-secret-value");
            Files.setPosixFilePermissions(open, PosixFilePermissions.fromString(mode));

            assertThatThrownBy(() -> KeptSecret.read(file))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining(open + " is writable by other users")
                    .hasMessageContaining("chmod go-w " + open);
            assertThatThrownBy(() -> KeptSecret.write(file, "another-secret-value"))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining(open + " is writable by other users");
            assertThat(Files.readString(file)).isEqualTo("kept-secret-value\n");
            try (Stream<Path> files = Files.list(open)) {
                assertThat(files).containsExactly(file);
            }
        }
    }

    @Test
    void aDirectoryOfAnotherUserIsRefused() throws Exception {
        assertThat(ServiceUser.uid()).as("giving a directory to another user needs root; the suite runs as root").isZero();
        Path theirs = Files.createDirectory(directory.resolve("theirs"));
        Path file = theirs.resolve("secret");
        KeptSecret.write(file, "kept-secret-value");
        Files.setOwner(theirs, directory.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody"));

        assertThatThrownBy(() -> KeptSecret.read(file))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(theirs + " belongs to another user");
        assertThatThrownBy(() -> KeptSecret.write(file, "another-secret-value"))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(theirs + " belongs to another user");
        assertThat(Files.readString(file)).isEqualTo("kept-secret-value\n");
    }

    /** Made with the permissions the umask would leave (0755 here), others could list the secrets' names and more. */
    @Test
    void aDirectoryNotThereYetIsMadeTheServiceUsersAlone() throws Exception {
        Path data = directory.resolve("data");
        Path file = data.resolve("deeper").resolve("secret");
        assertThat(KeptSecret.read(file)).isEmpty();
        assertThat(data).doesNotExist();

        KeptSecret.write(file, "kept-secret-value");
        assertThat(KeptSecret.read(file)).hasValue("kept-secret-value");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent()))).isEqualTo("rwx------");
    }

    /**
     * A crash between the temporary's creation and its rename leaves it behind; the next read or
     * write removes it. Only the temporaries of that file: not another file's whose name begins
     * with this one's, nor the operator's files.
     */
    @Test
    void temporariesThatAnInterruptedWriteLeftAreRemovedAtTheNextReadAndWrite() throws Exception {
        Path file = directory.resolve("secret");
        Path[] others = {
                Files.createTempFile(directory, ".secret.x.", ".tmp"), // a temporary of secret.x
                Files.createTempFile(directory, ".other.", ".tmp"),
                Files.writeString(directory.resolve(".secret.old.tmp"), "an operator's"),
                Files.writeString(directory.resolve("secret.tmp"), "an operator's"),
        };

        Path leftByTheFirstWrite = Files.createTempFile(directory, ".secret.", ".tmp");
        Files.writeString(leftByTheFirstWrite, "half-writ");
        assertThat(KeptSecret.read(file)).as("no secret kept yet").isEmpty();
        assertThat(leftByTheFirstWrite).doesNotExist();

        KeptSecret.write(file, "first-secret-value");
        Path leftByTheSecondWrite = Files.createTempFile(directory, ".secret.", ".tmp");
        Path andAnother = Files.createTempFile(directory, ".secret.", ".tmp");
        KeptSecret.write(file, "second-secret-value");
        assertThat(leftByTheSecondWrite).doesNotExist();
        assertThat(andAnother).doesNotExist();

        assertThat(KeptSecret.read(file)).hasValue("second-secret-value");
        try (Stream<Path> files = Files.list(directory)) {
            assertThat(files).containsExactlyInAnyOrder(file, others[0], others[1], others[2], others[3]);
        }
    }
}
