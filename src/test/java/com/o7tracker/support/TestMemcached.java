package com.o7tracker.support;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.TimeUnit;

/** A real memcached process on a free port, which a test may kill and start again on that port. */
public final class TestMemcached {

    private static TestMemcached shared;

    private final int port;
    private Process process;

    private TestMemcached() throws IOException, InterruptedException {
        port = freePort();
        start();
        Runtime.getRuntime().addShutdownHook(new Thread(this::kill));
    }

    public static synchronized TestMemcached shared() {
        if (shared == null) {
            try {
                shared = new TestMemcached();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return shared;
    }

    public String servers() {
        return "127.0.0.1:" + port;
    }

    /** Starts memcached (empty) unless it runs. */
    public synchronized void start() throws IOException, InterruptedException {
        if (process != null && process.isAlive()) {
            return;
        }
        process = new ProcessBuilder("memcached", "-u", "nobody", "-l", "127.0.0.1", "-p", Integer.toString(port),
                "-U", "0", "-m", "64")
                .redirectErrorStream(true)
                .redirectOutput(new File("target/memcached.log"))
                .start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("memcached exited with " + process.exitValue() + " (is it installed?)");
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        throw new IOException("memcached did not start on port " + port);
    }

    public synchronized void kill() {
        if (process != null) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            process = null;
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
