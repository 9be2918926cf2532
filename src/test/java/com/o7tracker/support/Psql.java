package com.o7tracker.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The real {@code psql} client, as an operator runs it: what reaches the database through it did
 * not pass through the service. (Debian's postgresql-client; the embedded PostgreSQL ships none.)
 */
public final class Psql {

    private Psql() {
    }

    /** What psql printed (stdout and stderr) and its exit code. */
    public record Result(int exitCode, String output) {
    }

    public static String binary() {
        return Stream.of("/usr/lib/postgresql/15/bin/psql", "/usr/bin/psql")
                .filter(p -> Files.isExecutable(Path.of(p)))
                .findFirst()
                .orElseThrow(() -> new AssertionError("psql is not installed (apt-get install postgresql-client)"));
    }

    /** Runs {@code sql} on the test PostgreSQL as its superuser, failing unless psql succeeds. */
    public static String run(String sql) {
        TestPostgres postgres = TestPostgres.shared();
        Result result = run(List.of(), "localhost", postgres.port(), postgres.user(), postgres.password(), sql);
        if (result.exitCode() != 0) {
            throw new AssertionError("psql failed (" + result.exitCode() + "): " + result.output());
        }
        return result.output().strip();
    }

    /**
     * Runs {@code sql} with psql, started through {@code prefix} (e.g. {@code runuser -u nobody --}),
     * connecting to {@code host} (a name, an address, or a socket directory) without a prompt.
     */
    public static Result run(List<String> prefix, String host, int port, String user, String password, String sql) {
        List<String> command = new ArrayList<>(prefix);
        command.addAll(List.of(binary(), "-X", "-w", "-A", "-t", "-v", "ON_ERROR_STOP=1",
                "-h", host, "-p", Integer.toString(port), "-U", user, "-d", "postgres", "-c", sql));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().keySet().removeIf(name -> name.startsWith("PG"));
        if (password != null) {
            builder.environment().put("PGPASSWORD", password);
        }
        builder.environment().put("PGCONNECT_TIMEOUT", "5");
        try {
            Process process = builder.start();
            process.getOutputStream().close();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("psql did not finish within 30 s: " + command);
            }
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return new Result(process.exitValue(), output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
