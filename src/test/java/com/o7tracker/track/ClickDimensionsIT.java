package com.o7tracker.track;

import static org.assertj.core.api.Assertions.assertThat;

import com.o7tracker.O7TrackerConfiguration;
import com.o7tracker.dimension.Dimension;
import com.o7tracker.support.Http;
import com.o7tracker.support.Tables;
import com.o7tracker.support.TestApp;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Where a click comes from, through the whole service: the country by the trusted edge's header,
 * else by the country database for the client's address (X-Forwarded-For only from a trusted
 * proxy), and the referrer, utm values, language, OS and browser, each click's in
 * click_dimension_hours once its flush applied it.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class ClickDimensionsIT {

    /** 81.2.69.0/24 is GB, 89.160.20.0/24 SE in the test database (geo/make-test-databases.pl). */
    static final DropwizardAppExtension<O7TrackerConfiguration> APP = TestApp.withoutMemcached(
            "geo.countryHeader", "X-Appengine-Country",
            "geo.database", TestApp.countryDatabase(),
            "clientAddress.trustedProxies", "1",
            "clientAddress.trustedProxyRanges", "127.0.0.1/32");

    private Http http;

    @BeforeEach
    void setUp() {
        http = new Http(APP.getLocalPort());
    }

    /** A new campaign clicked once with {@code headers} (from {@code localAddress}); its dimensions' values. */
    private Map<String, String> clickedOnce(String localAddress, String query, String headers) throws InterruptedException {
        long id = http.createCampaign("https://example.com/dimensions");
        String answer = http.rawFrom(localAddress, "GET /track/" + id + query + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + headers);
        assertThat(answer).startsWith("HTTP/1.1 307 ").contains("Location: https://example.com/dimensions");
        http.updateStats();
        Map<String, String> values = new TreeMap<>();
        for (Dimension each : Dimension.values()) {
            String dimension = each.wireName();
            String value = Tables.text("SELECT string_agg(value, '|') FROM click_dimension_hours WHERE campaign_id = " + id
                    + " AND dimension = '" + dimension + "'");
            assertThat(Tables.dimensionClicks(id, dimension, value)).as("one click under " + dimension).isEqualTo(1);
            values.put(dimension, value);
        }
        return values;
    }

    @Test
    void theEdgesHeaderBeatsTheDatabaseAndItsUnknownFallsBackToIt() throws Exception {
        assertThat(clickedOnce(null, "", "X-Appengine-Country: de\r\nX-Forwarded-For: 81.2.69.5\r\n"))
                .containsEntry("country", "DE");
        assertThat(clickedOnce(null, "", "X-Appengine-Country: ZZ\r\nX-Forwarded-For: 81.2.69.5\r\n"))
                .containsEntry("country", "GB");
        assertThat(clickedOnce(null, "", "X-Forwarded-For: 89.160.20.7\r\n")).containsEntry("country", "SE");
        assertThat(clickedOnce(null, "", "X-Forwarded-For: 10.1.2.3\r\n")).as("a private address")
                .containsEntry("country", "ZZ");
    }

    @Test
    void xForwardedForAndTheEdgesHeaderAreIgnoredUnlessTheyComeFromATrustedProxy() throws Exception {
        // 127.0.0.2 is no trusted proxy: the connection's own address (loopback, no country) is looked up.
        assertThat(clickedOnce("127.0.0.2", "", "X-Forwarded-For: 81.2.69.5\r\n")).containsEntry("country", "ZZ");
        assertThat(clickedOnce("127.0.0.1", "", "X-Forwarded-For: 81.2.69.5\r\n")).containsEntry("country", "GB");
        // Nor the edge's header: a visitor who reaches the port directly would choose their own country.
        assertThat(clickedOnce("127.0.0.2", "", "X-Appengine-Country: de\r\n")).containsEntry("country", "ZZ");
    }

    @Test
    void eachClickRecordsItsReferrerSourcesLanguageOsAndBrowser() throws Exception {
        String campaign = "x".repeat(150);
        Map<String, String> values = clickedOnce(null, "?utm_source=%20Spring%20Mail%20&utm_medium=e%E2%9C%89&utm_campaign="
                + campaign, "Referer: https://user@News.Example.COM:8443/a?b=c\r\n"
                + "Accept-Language: de-AT,de;q=0.9,en;q=0.8\r\n"
                + "User-Agent: " + SmartLinkIT.ANDROID + "\r\n");
        assertThat(values).containsExactlyEntriesOf(new TreeMap<>(Map.of("country", "ZZ", "referrer", "news.example.com",
                "utm_source", "Spring Mail", "utm_medium", "e\u2709", "utm_campaign", "x".repeat(100), "language", "de",
                "os", "Android", "browser", "Chrome")));
        assertThat(clickedOnce(null, "", "")).containsExactlyEntriesOf(new TreeMap<>(Map.of("country", "ZZ",
                "referrer", "(none)", "utm_source", "(none)", "utm_medium", "(none)", "utm_campaign", "(none)",
                "language", "(none)", "os", "(none)", "browser", "(none)")));
    }
}
