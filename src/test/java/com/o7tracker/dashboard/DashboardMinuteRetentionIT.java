package com.o7tracker.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.o7tracker.O7TrackerConfiguration;
import com.o7tracker.support.Http;
import com.o7tracker.support.Json;
import com.o7tracker.support.TestApp;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The campaign page on a service that keeps minute buckets for one day (STATS_MINUTE_RETENTION=1d):
 * every range of the picker reads, its previous period included, in buckets the API answers.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class DashboardMinuteRetentionIT {

    static final DropwizardAppExtension<O7TrackerConfiguration> APP = TestApp.withoutMemcached("stats.minuteRetention", "1 day");
    private static Browser browser;

    @BeforeAll
    static void startBrowser() throws Exception {
        browser = new Browser();
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    @Test
    void theDayRangeReadsWithMinutesKeptForADay() {
        int port = APP.getLocalPort();
        var answer = new Http(port).adminPost("/admin/campaigns", "{\"redirect_url\": \"https://retention.example/\"}");
        long id = Json.parse(answer.body()).get("id").asLong();
        browser.signIn(port);
        browser.open(port, "#campaign/" + id);
        browser.waitUp().until(b -> "minute".equals(browser.find("#period").getAttribute("data-interval")));

        browser.find("#range-buttons button[data-range=\"24h\"]").click();

        browser.waitUp().until(b -> "hour".equals(browser.find("#period").getAttribute("data-interval"))
                || !browser.text("#page-error").isEmpty());
        assertThat(browser.text("#page-error")).isEmpty();
        assertThat(browser.find("#period").getAttribute("data-interval")).isEqualTo("hour");
    }
}
