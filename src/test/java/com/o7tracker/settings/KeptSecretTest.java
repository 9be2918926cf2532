package com.o7tracker.settings;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
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
}
