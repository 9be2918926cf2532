package com.o7tracker.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A TCP proxy between the service and a dependency, for making network faults at the moment that
 * matters: cut a connection instead of forwarding a given answer, cut every connection, or silence the open connections (a dead peer whose
 * socket stays open) while new ones work.
 */
public final class TcpProxy implements AutoCloseable {

    private final ServerSocket server;
    private final String targetHost;
    private final int targetPort;
    private final Set<Link> links = ConcurrentHashMap.newKeySet();
    private final AtomicReference<byte[]> cutAfter = new AtomicReference<>();
    private final AtomicInteger cuts = new AtomicInteger();
    private volatile boolean closed;
    private volatile boolean refusing;

    public TcpProxy(String targetHost, int targetPort) throws IOException {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread accept = new Thread(this::acceptLoop, "tcp-proxy-accept");
        accept.setDaemon(true);
        accept.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    /**
     * The next server answer containing {@code marker} (e.g. PostgreSQL's "COMMIT" command tag) is
     * dropped and its connection closed on both sides: the server acted, and the client cannot
     * know it.
     */
    public void cutAnswer(String marker) {
        cutAfter.set(marker.getBytes(StandardCharsets.US_ASCII));
    }

    /** How many connections were cut by {@link #cutAnswer}. */
    public int cuts() {
        return cuts.get();
    }

    /** Closes every open connection (the proxy keeps accepting new ones). */
    public void cutAll() {
        links.forEach(Link::close);
    }

    /**
     * New connections are closed as soon as they are made ({@code true}), as a server that is down
     * would refuse them; or carried again ({@code false}). With {@link #cutAll}: the target is away.
     */
    public void refuseNew(boolean refuse) {
        refusing = refuse;
    }

    /** The open connections stop carrying bytes and stay open; new connections work. */
    public void silenceOpenConnections() {
        links.forEach(link -> link.silent = true);
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        cutAll();
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket client = server.accept();
                if (refusing) {
                    client.close();
                    continue;
                }
                Socket upstream = new Socket(targetHost, targetPort);
                Link link = new Link(client, upstream);
                links.add(link);
                link.start();
            } catch (IOException e) {
                if (!closed) {
                    sleep(50);
                }
            }
        }
    }

    private final class Link {
        final Socket client;
        final Socket upstream;
        volatile boolean silent;

        Link(Socket client, Socket upstream) {
            this.client = client;
            this.upstream = upstream;
        }

        void start() {
            pump(client, upstream, true);
            pump(upstream, client, false);
        }

        private void pump(Socket from, Socket to, boolean toServer) {
            Thread thread = new Thread(() -> {
                byte[] buffer = new byte[16384];
                try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                    int n;
                    while ((n = in.read(buffer)) != -1) {
                        if (silent) {
                            continue;
                        }
                        byte[] marker = cutAfter.get();
                        if (!toServer && marker != null && contains(buffer, n, marker)
                                && cutAfter.compareAndSet(marker, null)) {
                            cuts.incrementAndGet();
                            close();
                            return;
                        }
                        out.write(buffer, 0, n);
                        out.flush();
                    }
                } catch (IOException e) {
                    // the other side closed, or the link was cut
                } finally {
                    close();
                }
            }, "tcp-proxy-" + (toServer ? "up" : "down"));
            thread.setDaemon(true);
            thread.start();
        }

        void close() {
            links.remove(this);
            closeQuietly(client);
            closeQuietly(upstream);
        }
    }

    private static boolean contains(byte[] buffer, int length, byte[] marker) {
        outer:
        for (int i = 0; i + marker.length <= length; i++) {
            for (int j = 0; j < marker.length; j++) {
                if (buffer[i + j] != marker[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
