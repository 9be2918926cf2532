package com.o7tracker.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A file of a package from the npm registry, for tests that need public data no Maven artifact
 * carries (axe-core, a public country database): fetched with {@code npm pack} at a pinned version
 * once into a folder of target/, unpacked there, and read from it ever after.
 */
public final class NpmPackage {

    private NpmPackage() {
    }

    /** {@code file} (a path inside the package, e.g. "package/axe.min.js") of {@code spec} (name@version), in {@code folder}. */
    public static Path file(String spec, Path folder, String file) {
        Path path = folder.resolve(file);
        try {
            if (!Files.exists(path)) {
                Files.createDirectories(folder);
                run(folder, "npm", "pack", "--silent", spec);
                try (Stream<Path> files = Files.list(folder)) {
                    Path tarball = files.filter(f -> f.toString().endsWith(".tgz")).findFirst().orElseThrow();
                    run(folder, "tar", "-xzf", tarball.getFileName().toString());
                }
            }
            return path;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void run(Path folder, String... command) throws IOException {
        Process process = new ProcessBuilder(command).directory(folder.toFile())
                .redirectErrorStream(true).redirectOutput(folder.resolve("npm.log").toFile()).start();
        try {
            if (!process.waitFor(3, TimeUnit.MINUTES) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IllegalStateException("failed: " + String.join(" ", command) + " (see " + folder.resolve("npm.log") + ")");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
