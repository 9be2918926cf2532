package com.o7tracker.support;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The packaged service (target/o7tracker.jar) run as a real process, to be killed for real. */
public final class ServiceProcess {

    private static final Pattern STARTED = Pattern.compile("Started (application|admin)@\\S+\\{[^}]*\\}\\{[^:]+:(\\d+)\\}");

    private final Process process;
    private final int port;
    private final int adminPort;
    private final List<String> log = new ArrayList<>();

    private ServiceProcess(Process process, int port, int adminPort) {
        this.process = process;
        this.port = port;
        this.adminPort = adminPort;
    }

    /** Environment for a service on the test PostgreSQL (and memcached, if given) with its journal in {@code journal}. */
    public static Map<String, String> environment(Path journal, String memcachedServers) {
        TestPostgres postgres = TestPostgres.shared();
        Map<String, String> env = new HashMap<>();
        env.put("DATABASE_URL", postgres.jdbcUrl());
        env.put("DATABASE_USER", postgres.user());
        env.put("DATABASE_PASSWORD", postgres.password());
        env.put("MEMCACHED_SERVERS", memcachedServers == null ? "" : memcachedServers);
        env.put("JOURNAL_DIR", journal.toString());
        env.put("AUTH_USER", Http.USER);
        env.put("AUTH_PASSWORD", Http.PASSWORD);
        env.put("FALLBACK_URL", "https://fallback.example/");
        env.put("PORT", "0");
        env.put("ADMIN_PORT", "0");
        env.put("BIND", "127.0.0.1");
        env.put("FLUSH_INTERVAL", "100ms");
        env.put("JOURNAL_LEASE", "5s");
        return env;
    }

    public static ServiceProcess start(Map<String, String> env, Path logFile) throws IOException, InterruptedException {
        return start(env, logFile, List.of("-Xmx768m"));
    }

    /** {@code jvmOptions}: the heap's bound, {@code -Ddw.…} settings that have no variable. */
    public static ServiceProcess start(Map<String, String> env, Path logFile, List<String> jvmOptions)
            throws IOException, InterruptedException {
        String jar = System.getProperty("o7tracker.jar", "target/o7tracker.jar");
        List<String> command = new ArrayList<>();
        command.add(javaBinary());
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", jar, "server", "config.yml"));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(env);
        Process process = builder.start();
        CompletableFuture<int[]> ports = new CompletableFuture<>();
        List<String> lines = new ArrayList<>();
        Thread reader = new Thread(() -> {
            int[] found = {0, 0};
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                 PrintWriter out = new PrintWriter(logFile.toFile(), StandardCharsets.UTF_8)) {
                String line;
                while ((line = in.readLine()) != null) {
                    out.println(line);
                    out.flush();
                    synchronized (lines) {
                        lines.add(line);
                    }
                    Matcher m = STARTED.matcher(line);
                    if (m.find()) {
                        found[m.group(1).equals("application") ? 0 : 1] = Integer.parseInt(m.group(2));
                        if (found[0] != 0 && found[1] != 0) {
                            ports.complete(found.clone());
                        }
                    }
                }
            } catch (IOException e) {
                ports.completeExceptionally(e);
            }
            ports.completeExceptionally(new IOException("the service exited before it started; see " + logFile));
        }, "service-log");
        reader.setDaemon(true);
        reader.start();
        try {
            int[] found = ports.get(120, TimeUnit.SECONDS);
            ServiceProcess service = new ServiceProcess(process, found[0], found[1]);
            synchronized (lines) {
                service.log.addAll(lines);
            }
            return service;
        } catch (Exception e) {
            process.destroyForcibly();
            throw new IOException("service did not start: " + e.getMessage() + " (log: " + logFile + ")", e);
        }
    }

    public int port() {
        return port;
    }

    public int adminPort() {
        return adminPort;
    }

    /** SIGKILL: no shutdown hook, no drain, no flush. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM: Dropwizard's graceful shutdown. */
    public int terminate() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("the service did not stop within 60 s of SIGTERM");
        }
        return process.exitValue();
    }

    private static String javaBinary() {
        return System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
    }
}
