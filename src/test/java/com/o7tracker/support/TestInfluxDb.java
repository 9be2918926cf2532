package com.o7tracker.support;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** A real InfluxDB 1.x ({@code influxd} from Debian's influxdb package) on free ports, for the suite. */
public final class TestInfluxDb {

    public static final String DATABASE = "o7tracker";
    private static TestInfluxDb shared;

    private final int port;
    private final Process process;
    private final HttpClient client = HttpClient.newHttpClient();

    private TestInfluxDb() throws IOException, InterruptedException {
        port = freePort();
        Path dir = Files.createTempDirectory("influxdb-test");
        Path config = dir.resolve("influxdb.conf");
        Files.writeString(config, """
                reporting-disabled = true
                bind-address = "127.0.0.1:%d"
                [meta]
                  dir = "%s/meta"
                [data]
                  dir = "%s/data"
                  wal-dir = "%s/wal"
                  query-log-enabled = false
                [http]
                  bind-address = "127.0.0.1:%d"
                  log-enabled = false
                """.formatted(freePort(), dir, dir, dir, port));
        process = new ProcessBuilder("influxd", "-config", config.toString())
                .redirectErrorStream(true)
                .redirectOutput(new File("target/influxd.log"))
                .start();
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroy));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            if (!process.isAlive()) {
                throw new IOException("influxd exited with " + process.exitValue() + " (is influxdb installed?)");
            }
            try {
                if (client.send(HttpRequest.newBuilder(URI.create(url() + "/ping")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 204) {
                    break;
                }
            } catch (IOException e) {
                // not listening yet
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("influxd did not answer within 30 s");
            }
            Thread.sleep(100);
        }
        // No database yet: the service's stream creates it, as it does for a new user.
    }

    public static synchronized TestInfluxDb shared() {
        if (shared == null) {
            try {
                shared = new TestInfluxDb();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return shared;
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /** Runs an InfluxQL statement on the test database; returns InfluxDB's JSON answer. */
    public String query(String statement) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url() + "/query?db=" + DATABASE + "&q="
                        + URLEncoder.encode(statement, StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build();
        return client.send(request, HttpResponse.BodyHandlers.ofString()).body();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
