package com.o7tracker.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.o7tracker.O7TrackerConfiguration;
import com.o7tracker.support.Http;
import com.o7tracker.support.Json;
import com.o7tracker.support.TestApp;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * A campaign's conversions on its page in a real browser: the count, rate, revenue (exact) and
 * events that partners' postbacks reported, moved by the live stream as more are counted, events
 * as text, the postback URL to give partners, and the conversion window set from the edit form.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class DashboardConversionsIT {

    static final DropwizardAppExtension<O7TrackerConfiguration> APP = TestApp.withoutMemcached();
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

    private static String click(Http http, long campaign) {
        HttpResponse<String> answer = http.send(http.request("/track/" + campaign).GET());
        Matcher m = Pattern.compile("https://shop\\.example/\\?click=([A-Za-z0-9_-]+)")
                .matcher(answer.headers().firstValue("Location").orElseThrow());
        assertThat(m.matches()).isTrue();
        return m.group(1);
    }

    @Test
    void aCampaignsPageShowsItsConversionsAndThePostbackUrlAndSetsItsWindow() throws Exception {
        int port = APP.getLocalPort();
        Http http = new Http(port);
        long id = http.createCampaign("https://shop.example/?click={click_id}");
        HttpResponse<String> made = http.adminPost("/admin/api-keys", "{\"name\":\"partner\",\"scopes\":[\"postback\"]}");
        String key = URLEncoder.encode(Json.parse(made.body()).get("key").asText(), StandardCharsets.UTF_8);
        for (String query : List.of("event=install", "event=purchase&revenue=4.99&currency=EUR",
                "event=purchase&revenue=0.01&currency=EUR")) {
            HttpResponse<String> counted = http.send(http.request("/postback?click_id=" + click(http, id) + "&" + query
                    + "&key=" + key).GET());
            assertThat(counted.statusCode()).as(counted.body()).isEqualTo(200);
        }
        click(http, id); // four clicks, three conversions
        http.updateStats();

        browser.size(Browser.DESKTOP);
        browser.signIn(port);
        browser.open(port, "#campaign/" + id);
        browser.waitUp().until(b -> b.findElements(By.cssSelector("#conversion-totals dd")).size() == 4);
        List<String> totals = browser.driver.findElements(By.cssSelector("#conversion-totals dd")).stream()
                .map(WebElement::getText).toList();
        assertThat(totals.get(0)).isEqualTo("3");
        assertThat(totals.get(1)).as("3 of 4 human clicks").isEqualTo("75%");
        assertThat(totals.get(2)).as("exactly, as the service keeps it").isEqualTo("5 EUR");
        assertThat(totals.get(3)).isEqualTo("30 days after the click");
        assertThat(browser.driver.findElements(By.cssSelector("#conversion-events tbody tr")).stream()
                .map(WebElement::getText).toList()).containsExactly("purchase 2", "install 1");
        assertThat(browser.driver.findElements(By.cssSelector("#postback code")).stream().map(WebElement::getText).toList())
                .containsExactly("http://127.0.0.1:" + port + "/postback?click_id={click_id}&event=install&key=YOUR_KEY",
                        "http://127.0.0.1:" + port + "/postback?click_id={click_id}&event=purchase&revenue={revenue}&currency=EUR&key=YOUR_KEY");

        // One more, while the page is open: told live, the numbers move without a read.
        HttpResponse<String> live = http.send(http.request("/postback?click_id=" + click(http, id)
                + "&event=purchase&revenue=10&currency=EUR&key=" + key).GET());
        assertThat(live.statusCode()).as(live.body()).isEqualTo(200);
        browser.waitUp().until(b -> browser.text("#conversion-totals dd").equals("4"));
        assertThat(browser.driver.findElements(By.cssSelector("#conversion-totals dd")).get(2).getText()).isEqualTo("15 EUR");
        assertThat(browser.driver.findElements(By.cssSelector("#conversion-events tbody tr")).get(0).getText())
                .isEqualTo("purchase 3");
        // The history's bucket of now, and the rate once the new click is read (4 of 5 clicks).
        browser.waitUp().until(b -> b.findElements(By.cssSelector("#history tbody tr:not(.folded) [data-counter=conversion_count]"))
                .stream().mapToLong(td -> Long.parseLong("0" + td.getText().replaceAll("[^0-9]", ""))).sum() == 4);
        browser.waitUp().until(b -> b.findElements(By.cssSelector("#conversion-totals dd")).get(1).getText().equals("80%"));

        browser.find("#edit-conversion-window").clear();
        browser.find("#edit-conversion-window").sendKeys("400");
        browser.find("#edit button[type=submit]").click();
        browser.waitUp().until(b -> !browser.text("#edit-conversion-window-error").isEmpty());
        assertThat(browser.text("#edit-conversion-window-error"))
                .as("the service's words, in the form's").isEqualTo("Conversion window (days) must be a whole number of days from 1 to 365.");
        browser.find("#edit-conversion-window").clear();
        browser.find("#edit-conversion-window").sendKeys("7");
        browser.find("#edit button[type=submit]").click();
        browser.waitUp().until(b -> browser.text("#conversion-totals").contains("7 days after the click"));
        assertThat(Json.parse(http.adminGet("/admin/campaigns/" + id).body()).get("conversion_window_days").asInt()).isEqualTo(7);
        // Read again: the history has the conversions of each bucket (those of the last 24 hours, by the hour).
        browser.open(port, "");
        browser.open(port, "#campaign/" + id);
        browser.waitUp().until(b -> b.findElements(By.cssSelector("#history tbody tr:not(.folded) [data-counter=conversion_count]"))
                .stream().mapToLong(td -> Long.parseLong("0" + td.getText().replaceAll("[^0-9]", ""))).sum() == 4);
        // And where they came from: the countries' conversions (the clicks came from nowhere told: ZZ).
        browser.waitUp().until(b -> b.findElements(By.cssSelector(
                ".breakdown[data-by=country] tbody tr [data-counter=conversion_count]")).stream()
                .mapToLong(td -> Long.parseLong("0" + td.getText().replaceAll("[^0-9]", ""))).sum() == 4);
        assertThat(browser.driver.findElements(By.cssSelector(".breakdown[data-by=referrer] [data-counter=conversion_count]")))
                .as("a click id carries no referrer").isEmpty();
        browser.screenshot("dashboard-conversions");
        assertThat(browser.seriousAccessibilityViolations()).isEmpty();
        assertThat(browser.consoleErrors()).filteredOn(e -> !e.getMessage().contains("422"))
                .as("errors in the browser's console").isEmpty();
    }
}
