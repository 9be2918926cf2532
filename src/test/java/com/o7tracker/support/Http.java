package com.o7tracker.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/** A small HTTP client that never follows redirects, so tests see the 307s themselves. */
public final class Http {

    public static final String USER = "admin";
    public static final String PASSWORD = "Secret-Pa55-Long";

    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    public static final String DESKTOP_BROWSER =
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36";

    private final String base;

    public Http(int port) {
        this.base = "http://127.0.0.1:" + port;
    }

    public static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A request as a visitor's browser sends it: with a desktop browser's User-Agent, since Java's
     * own ("Java-http-client/17") is a robot's, whose clicks count as a bot's.
     */
    public HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .header("User-Agent", DESKTOP_BROWSER);
    }

    public HttpRequest.Builder admin(String path) {
        return request(path).header("Authorization", basic(USER, PASSWORD));
    }

    public HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public HttpResponse<String> get(String path) {
        return send(request(path).GET());
    }

    public HttpResponse<String> adminGet(String path) {
        return send(admin(path).GET());
    }

    public HttpResponse<String> adminPost(String path, String json) {
        return send(admin(path).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    public HttpResponse<String> adminPut(String path, String json) {
        return send(admin(path).header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(json)));
    }

    /** Sends {@code head} (request line and headers) as is, past the checks of Java's HTTP client; returns the answer's head. */
    public String raw(String head) {
        return rawFrom(null, head);
    }

    /**
     * {@link #raw} over a connection from {@code localAddress} (another loopback address, such as
     * 127.0.0.2, is another client to the service), or from any address when null.
     */
    public String rawFrom(String localAddress, String head) {
        try (java.net.Socket socket = new java.net.Socket()) {
            if (localAddress != null) {
                socket.bind(new java.net.InetSocketAddress(localAddress, 0));
            }
            socket.connect(new java.net.InetSocketAddress(URI.create(base).getHost(), URI.create(base).getPort()), 5_000);
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write((head + "Connection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            return answer;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Creates a campaign through the admin API and returns its id. */
    public long createCampaign(String redirectUrl) {
        HttpResponse<String> created = adminPost("/admin/campaigns", "{\"redirect_url\":\"" + redirectUrl + "\"}");
        if (created.statusCode() != 201) {
            throw new AssertionError("campaign not created: " + created.statusCode() + " " + created.body());
        }
        return Json.parse(created.body()).get("id").asLong();
    }

    /** {@code n} campaigns redirecting to https://{name}{i}.example/, by id, in creation order. */
    public java.util.Map<Long, String> createCampaigns(String name, int n) {
        java.util.Map<Long, String> campaigns = new java.util.LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            String url = "https://" + name + i + ".example/";
            campaigns.put(createCampaign(url), url);
        }
        return campaigns;
    }

    public HttpResponse<String> adminDelete(String path) {
        return send(admin(path).DELETE());
    }

    /**
     * Applies every journaled click through {@code /tasks/update_stats}, retrying while it answers
     * 503 (after a crash a restart waits for the journal's lease); fails after 60 s.
     */
    public void updateStats() throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        int status = adminGet("/tasks/update_stats").statusCode();
        while (status == 503 && System.nanoTime() < deadline) {
            Thread.sleep(250);
            status = adminGet("/tasks/update_stats").statusCode();
        }
        if (status != 200) {
            throw new AssertionError("update_stats answered " + status);
        }
    }

    /** A new API key of {@code scopes} (created with the admin password), as shown this once. */
    public String createApiKey(String... scopes) {
        String list = String.join(",", java.util.Arrays.stream(scopes).map(s -> "\"" + s + "\"").toList());
        HttpResponse<String> created = adminPost("/admin/api-keys", "{\"name\":\"partner\",\"scopes\":[" + list + "]}");
        if (created.statusCode() != 201) {
            throw new AssertionError("key not created: " + created.statusCode() + " " + created.body());
        }
        return Json.parse(created.body()).get("key").asText();
    }

    /**
     * A click on {@code campaign}, whose redirect URL ends in {@code ={click_id}}: the signed click id
     * its redirect carries.
     */
    public String clickId(long campaign) {
        HttpResponse<String> answer = send(request("/track/" + campaign).GET());
        String location = answer.headers().firstValue("Location").orElse("");
        java.util.regex.Matcher id = java.util.regex.Pattern.compile("=([A-Za-z0-9_-]+)$").matcher(location);
        if (answer.statusCode() != 307 || !id.find()) {
            throw new AssertionError("no click id: " + answer.statusCode() + " " + location);
        }
        return id.group(1);
    }

    /** {@code GET /postback} with {@code query} (click_id, event, …) and {@code key} in the query. */
    public HttpResponse<String> postback(String key, String query) {
        return send(request("/postback?" + query + "&key=" + java.net.URLEncoder.encode(key, StandardCharsets.UTF_8)).GET());
    }
}
