package com.o7tracker.track;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.o7tracker.O7TrackerConfiguration;
import com.o7tracker.support.FuzzInput;
import com.o7tracker.support.Http;
import com.o7tracker.support.TestApp;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Fuzzes the tracking link as a visitor's client sends it: the path after {@code /track/}, the
 * query (utm values among its parameters), the User-Agent and what says where the click came
 * from (Referer, X-Forwarded-For, the trusted edge's country header, Accept-Language), written
 * raw on a socket, to a service with a country database and a trusted proxy. Every answer is a 307 with
 * {@code Cache-Control: no-store}, to the fallback or to the campaign the path names, never
 * anything else, also for requests Jetty refuses before they reach the service (README).
 *
 * <p>Input: a first byte of flags (bit 0: HEAD instead of GET; bit 1: the path starts with the id
 * of a live campaign, bits 2-3 choose which), then path, query and User-Agent separated by
 * newlines, then Referer, X-Forwarded-For, X-Appengine-Country and Accept-Language alike. The bytes
 * go out as they are, except those that would end the request line or a header (space, CR and LF
 * in the target are percent-encoded, CR in a header becomes a space): a request that breaks HTTP's framing is no tracking link, and answering it is not the
 * service's part.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class TrackLinkFuzzTest {

    static final DropwizardAppExtension<O7TrackerConfiguration> APP = TestApp.withoutMemcached(
            "geo.countryHeader", "X-Appengine-Country", "geo.database", TestApp.countryDatabase(),
            "clientAddress.trustedProxies", "1");
    private static final String[] HEADERS = {"Referer", "X-Forwarded-For", "X-Appengine-Country", "Accept-Language"};
    static final String FALLBACK = "https://fallback.example/";

    private static final Map<Long, String> campaigns = new LinkedHashMap<>();
    private static final List<Long> ids = new ArrayList<>();

    @BeforeAll
    static void createCampaigns() {
        Http http = new Http(APP.getLocalPort());
        campaigns.putAll(http.createCampaigns("fuzz", 3));
        long unicode = http.createCampaign("https://xn--bcher-kva.example/b%C3%BCcher?q=%E2%82%AC");
        campaigns.put(unicode, "https://xn--bcher-kva.example/b%C3%BCcher?q=%E2%82%AC");
        ids.addAll(campaigns.keySet());
    }

    @FuzzTest(maxDuration = "35s")
    @DictionaryEntries({"platform=", "Android", "IPhone", "WindowsPhone", "&", "%", "%2F", "%00", "/", "..", ";",
        "?", "#", "+", "Mozilla/5.0", "utm_source=", "utm_medium=", "utm_campaign=", "https://", "android-app://",
        "81.2.69.5", "2a02:cf40::1", ", ", "de-AT,de;q=0.9,en;q=0.8", ";q=", "ZZ", "%E2%9C%89"})
    void everyAnswerIsA307ToTheFallbackOrTheNamedCampaign(byte[] data) throws IOException {
        FuzzInput.allowLoopbackConnections();
        int flags = data.length == 0 ? 0 : data[0] & 0xFF;
        byte[][] fields = FuzzInput.fields(data, 3 + HEADERS.length);
        String method = (flags & 1) != 0 ? "HEAD" : "GET";

        ByteArrayOutputStream target = new ByteArrayOutputStream();
        target.writeBytes("/track/".getBytes(StandardCharsets.US_ASCII));
        if ((flags & 2) != 0) {
            target.writeBytes(Long.toString(ids.get((flags >> 2) & 3)).getBytes(StandardCharsets.US_ASCII));
        }
        writeTarget(target, fields[0]);
        if (fields[1].length > 0 || (flags & 16) != 0) {
            target.write('?');
            writeTarget(target, fields[1]);
        }

        ByteArrayOutputStream request = new ByteArrayOutputStream();
        request.writeBytes((method + " ").getBytes(StandardCharsets.US_ASCII));
        request.writeBytes(target.toByteArray());
        request.writeBytes(" HTTP/1.1\r\nHost: localhost\r\nUser-Agent: ".getBytes(StandardCharsets.US_ASCII));
        writeHeader(request, fields[2]);
        for (int h = 0; h < HEADERS.length; h++) {
            if (fields[3 + h].length > 0) {
                request.writeBytes(("\r\n" + HEADERS[h] + ": ").getBytes(StandardCharsets.US_ASCII));
                writeHeader(request, fields[3 + h]);
            }
        }
        request.writeBytes("\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));

        String sent = new String(request.toByteArray(), StandardCharsets.ISO_8859_1);
        String answer = exchange(request.toByteArray());
        String what = sent + "\n->\n" + answer;

        assertThat(answer).as(what).startsWith("HTTP/1.1 307 ");
        String location = header(answer, "Location");
        assertThat(header(answer, "Cache-Control")).as(what).isEqualTo("no-store");
        assertThat(location).as(what).isIn(campaignsAndFallback());
        if (!location.equals(FALLBACK)) {
            long named = campaignNamedBy(new String(target.toByteArray(), StandardCharsets.ISO_8859_1));
            assertThat(campaigns.get(named)).as("redirected to a campaign the path does not name: " + what)
                    .isEqualTo(location);
        }
    }

    /** A header's value as it is, but for CR and LF, which would end it. */
    private static void writeHeader(ByteArrayOutputStream out, byte[] bytes) {
        for (byte b : bytes) {
            out.write(b == '\r' || b == '\n' ? ' ' : b);
        }
    }

    /** Target bytes as they are, but for the three that would end the request line. */
    private static void writeTarget(ByteArrayOutputStream out, byte[] bytes) {
        for (byte b : bytes) {
            if (b == ' ' || b == '\r' || b == '\n') {
                out.writeBytes(String.format("%%%02X", b).getBytes(StandardCharsets.US_ASCII));
            } else {
                out.write(b);
            }
        }
    }

    private static String exchange(byte[] request) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), APP.getLocalPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request);
            socket.getOutputStream().flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    private static List<String> campaignsAndFallback() {
        List<String> allowed = new ArrayList<>(campaigns.values());
        allowed.add(FALLBACK);
        return allowed;
    }

    /**
     * The campaign id in the last segment of the decoded path, leading zeros aside; 0 when none.
     * Path parameters ({@code /track/123;x}) are no part of a segment's name, as Jetty reads them.
     */
    private static long campaignNamedBy(String target) {
        int query = target.indexOf('?');
        String path = (query < 0 ? target : target.substring(0, query)).replaceAll(";[^/]*", "");
        String decoded;
        try {
            decoded = URLDecoder.decode(path.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return 0;
        }
        String last = decoded.substring(decoded.lastIndexOf('/') + 1);
        try {
            return Long.parseLong(last);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static String header(String answer, String name) {
        for (String line : answer.split("\r\n")) {
            if (line.isEmpty()) {
                break;
            }
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).equalsIgnoreCase(name)) {
                return line.substring(colon + 1).trim();
            }
        }
        return null;
    }
}
