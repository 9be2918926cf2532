package com.o7tracker.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.o7tracker.O7TrackerConfiguration;
import com.o7tracker.campaign.Counters;
import com.o7tracker.support.Http;
import com.o7tracker.support.Json;
import com.o7tracker.support.TcpProxy;
import com.o7tracker.support.TestApp;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.net.IDN;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;

/**
 * The dashboard in a real browser at desktop (1280x900) and phone (390x844) size: create a
 * campaign through the form, click its link, see every number on the page move within 2 seconds;
 * the chart's legend shows the stats API's values at the pointer; the range picker's interval and
 * totals are the API's; confirmations, a not-found page, errors in the form's words, a banner when
 * the live connection drops and when it is back; axe-core finds no serious violation; no error in
 * the browser's console. Screenshots go to target/ (docs/ holds copies of them).
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class DashboardBrowserIT {

    static final DropwizardAppExtension<O7TrackerConfiguration> APP = TestApp.withoutMemcached();
    private static final List<String> SERIES = List.of("android", "iphone", "windowsphone", "other", "bot");
    private static Browser browser;
    private Http http;
    private int port;
    private String origin;
    /** The console errors a test expects: the browser logs every error answer the page receives. */
    private String expectedErrors;

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

    @BeforeEach
    void signIn() {
        port = APP.getLocalPort();
        origin = "http://127.0.0.1:" + port;
        http = new Http(port);
        browser.size(Browser.DESKTOP);
        browser.signIn(port);
    }

    @AfterEach
    void noErrorInTheConsole() {
        assertThat(browser.consoleErrors()).filteredOn(e -> expectedErrors == null || !e.getMessage().contains(expectedErrors))
                .as("errors in the browser's console").isEmpty();
    }

    @Test
    void createAClickAndSeeItLive() throws Exception {
        browser.open(port, "");
        browser.find("#to-create").click();
        assertThat(browser.driver.switchTo().activeElement()).isEqualTo(browser.find("#redirect-url"));
        browser.find("#redirect-url").sendKeys("https://browser.example/app");
        browser.find("#android-url").sendKeys("https://play.google.com/store/apps/details?id=example");
        browser.find("#windowsphone-url").sendKeys("https://browser.example/windows");
        browser.find("#create button[type=submit]").click();
        // After create: the new campaign's page with its links, and a confirmation.
        browser.waitUp().until(b -> b.getCurrentUrl().matches(".*#campaign/\\d+")
                && "https://browser.example/app".equals(browser.text("#campaign-title")));
        long id = Long.parseLong(browser.driver.getCurrentUrl().replaceAll(".*#campaign/", ""));
        assertThat(browser.text("#toast")).contains("Campaign " + id + " created");
        assertThat(Json.parse(http.adminGet("/admin/campaigns/" + id).body()).get("platform_urls").toString())
                .isEqualTo("{\"Android\":\"https://play.google.com/store/apps/details?id=example\","
                        + "\"WindowsPhone\":\"https://browser.example/windows\"}");
        assertThat(browser.find("#edit-windowsphone-url").getAttribute("value")).isEqualTo("https://browser.example/windows");
        assertThat(browser.find("#edit-other-url").getAttribute("value")).isEmpty();
        assertThat(browser.text("#links")).contains(origin + "/track/" + id + "?platform=IPhone");

        browser.open(port, "");
        WebElement row = browser.waitUp().until(b -> b.findElements(By.cssSelector("#campaigns tbody tr")).stream()
                .filter(r -> r.getText().contains("https://browser.example/app")).findFirst().orElse(null));
        assertThat(row.getAttribute("data-id")).isEqualTo(String.valueOf(id));
        assertThat(row.getText()).contains("/track/" + id);
        assertThat(row.findElement(By.cssSelector("td.tracking code")).getAttribute("title")).isEqualTo(origin + "/track/" + id);
        for (int i = 0; i < 3; i++) {
            assertThat(http.get("/track/" + id + "?platform=Android").headers().firstValue("Location"))
                    .hasValue("https://play.google.com/store/apps/details?id=example");
        }
        browser.within(Duration.ofSeconds(2)).until(b -> "3".equals(listCounter(id, "android_click_count"))
                && "3".equals(listCounter(id, "click_count")));
        browser.screenshot("dashboard-list");

        browser.open(port, "#campaign/" + id);
        browser.waitUp().until(b -> b.findElement(By.id("campaign-view")).isDisplayed()
                && "3".equals(browser.find("#chart").getAttribute("data-total")));
        http.get("/track/" + id + "?platform=IPhone");
        http.send(http.request("/track/" + id).setHeader("User-Agent", "Twitterbot/1.0").GET());
        browser.within(Duration.ofSeconds(2)).until(b -> "5".equals(browser.find("#chart").getAttribute("data-total")));
        browser.screenshot("dashboard-campaign");

        // Edit: a new redirect URL and Android store URL, served from the next click on; a confirmation.
        browser.find("#to-edit").click();
        WebElement redirect = browser.find("#edit-redirect-url");
        assertThat(browser.driver.switchTo().activeElement()).isEqualTo(redirect);
        assertThat(redirect.getAttribute("value")).isEqualTo("https://browser.example/app");
        redirect.clear();
        redirect.sendKeys("https://browser.example/edited");
        WebElement android = browser.find("#edit-android-url");
        android.clear();
        android.sendKeys("https://play.google.com/store/apps/details?id=edited");
        browser.find("#edit button[type=submit]").click();
        browser.waitUp().until(b -> "https://browser.example/edited".equals(browser.text("#campaign-title")));
        assertThat(browser.text("#toast")).isEqualTo("Saved.");
        browser.waitUp().until(b -> http.get("/track/" + id + "?platform=Android").headers().firstValue("Location")
                .orElse("").equals("https://play.google.com/store/apps/details?id=edited"));
        assertThat(http.get("/track/" + id + "?platform=IPhone").headers().firstValue("Location"))
                .hasValue("https://browser.example/edited");

        // Copy: a confirmation with what was copied.
        browser.find("#links li:nth-child(3) button.copy").click();
        browser.waitUp().until(b -> browser.text("#toast").equals("Copied " + origin + "/track/" + id + "?platform=IPhone"));

        // Delete, from the campaign page: back to the list without it, a confirmation, and its link goes to the fallback.
        browser.find("#delete").click();
        browser.driver.switchTo().alert().accept();
        browser.waitUp().until(b -> b.findElement(By.id("list-view")).isDisplayed()
                && b.findElements(By.cssSelector("#campaigns tbody tr[data-id=\"" + id + "\"]")).isEmpty());
        assertThat(browser.text("#toast")).isEqualTo("Campaign " + id + " deleted.");
        browser.waitUp().until(b -> http.get("/track/" + id + "?platform=Android").headers().firstValue("Location")
                .orElse("").equals("https://fallback.example/"));
    }

    @Test
    void theChartsLegendShowsTheStatsOfTheHoveredMinute() throws Exception {
        long id = create("https://chart.example/");
        settled(id, () -> {
            clicks(id, "Android", 3);
            clicks(id, "IPhone", 2);
            clicks(id, "WindowsPhone", 1);
            http.send(http.request("/track/" + id).setHeader("User-Agent", "Twitterbot/1.0").GET());
        });
        browser.open(port, "#campaign/" + id);
        try {
            browser.waitUp().until(b -> "7".equals(browser.find("#chart").getAttribute("data-total")));
        } catch (TimeoutException e) {
            throw new AssertionError("chart total " + browser.find("#chart").getAttribute("data-total") + " at "
                    + browser.driver.getCurrentUrl() + ", page error '" + browser.text("#page-error") + "', period "
                    + browser.text("#period") + "', title '" + browser.text("#campaign-title") + "', views "
                    + browser.script("return [...document.querySelectorAll('main > section')].map(s => s.id + ':' + s.hidden).join()")
                    + ", resources " + browser.script("return performance.getEntriesByType('resource').map(e => e.name + ' '"
                    + " + Math.round(e.duration)).filter(n => n.includes('/campaigns/')).join()")
                    + ", console " + browser.consoleErrors(), e);
        }

        JsonNode buckets = stats(id).get("buckets");
        int clicked = -1;
        for (int i = 0; i < buckets.size(); i++) {
            if (buckets.get(i).get("click_count").asLong() > 0) {
                clicked = i;
            }
        }
        assertThat(clicked).as("the minute of the clicks").isNotNegative();
        WebElement over = browser.find("#chart .u-over");
        int width = over.getSize().getWidth();
        int x = (int) Math.round((double) clicked * (width - 1) / (buckets.size() - 1));
        new Actions(browser.driver).moveToElement(over, x - width / 2, 0).perform();

        JsonNode bucket = buckets.get(clicked);
        Map<String, String> expected = new LinkedHashMap<>();
        for (String series : SERIES) {
            expected.put(series, bucket.get(series + "_click_count").asText());
        }
        try {
            browser.waitUp().until(b -> legend().equals(expected));
        } catch (TimeoutException e) {
            // the assertion below says what differs
        }
        assertThat(legend()).isEqualTo(expected);
        assertThat(expected).containsEntry("android", "3").containsEntry("bot", "1");
        assertThat(browser.text("#chart .u-legend tr.u-series:first-child td.u-value")).isNotEqualTo("–");

        // The square-root scale keeps the values in the legend; a series can be switched off from the keyboard.
        browser.find("#sqrt-scale").click();
        new Actions(browser.driver).moveToElement(browser.find("#chart .u-over"), x - width / 2, 0).perform();
        browser.waitUp().until(b -> legend().equals(expected));
        browser.find("#series-toggles input[data-series=bot]").sendKeys(" ");
        assertThat(browser.find("#chart .u-legend tr.series-bot").getAttribute("class")).contains("u-off");
    }

    @Test
    void theRangePickerSetsTheIntervalAndItsTotalsAreTheApis() throws Exception {
        long id = create("https://range.example/");
        settled(id, () -> {
            clicks(id, "Android", 2);
            clicks(id, "Other", 1);
        });
        browser.open(port, "#campaign/" + id);
        browser.waitUp().until(b -> "3".equals(browser.find("#chart").getAttribute("data-total")));
        // Each range: its interval, and its length in that interval's buckets.
        for (String[] range : List.of(new String[] {"24h", "hour", "24"}, new String[] {"7d", "hour", "168"},
                new String[] {"30d", "day", "30"}, new String[] {"90d", "day", "90"}, new String[] {"1h", "minute", "60"})) {
            String button = "#range-buttons button[data-range=\"" + range[0] + "\"]";
            browser.find(button).click();
            assertThat(browser.find(button).getAttribute("aria-pressed")).isEqualTo("true");
            browser.waitUp().until(b -> range[1].equals(browser.find("#period").getAttribute("data-interval"))
                    && Long.parseLong(range[2]) == buckets());
            assertTotalsAreTheApis(id, 3);
            assertThat(stats(id).get("buckets").size()).isEqualTo(Integer.parseInt(range[2]));
        }
        // A custom range of two hours: per minute. It opens on the range shown.
        browser.find("#range-buttons button[data-range=custom]").click();
        assertThat(browser.find("#custom-from").getAttribute("value")).isNotEmpty();
        assertThat(browser.find("#custom-to").getAttribute("value")).isNotEmpty();
        browser.script("document.getElementById('custom-from').value = arguments[0];"
                + "document.getElementById('custom-to').value = arguments[1];",
                browser.script("const d = new Date(Date.now() - 3600000); d.setMinutes(d.getMinutes() - d.getTimezoneOffset());"
                        + "return d.toISOString().slice(0, 16);"),
                browser.script("const d = new Date(Date.now() + 3600000); d.setMinutes(d.getMinutes() - d.getTimezoneOffset());"
                        + "return d.toISOString().slice(0, 16);"));
        String lastHour = browser.find("#period").getAttribute("data-to");
        browser.find("#custom-range button[type=submit]").click();
        // Read (the last hour was by the minute too): it ends an hour later.
        browser.waitUp().until(b -> "custom".equals(browser.find("#range-buttons button[aria-pressed=true]").getAttribute("data-range"))
                && "minute".equals(browser.find("#period").getAttribute("data-interval"))
                && !lastHour.equals(browser.find("#period").getAttribute("data-to")));
        assertTotalsAreTheApis(id, 3);
        // It ends in an hour: a live click is in the bucket of now, as the API has it, not in the range's last.
        clicks(id, "IPhone", 1);
        browser.waitUp().until(b -> "4".equals(browser.find("#totals [data-counter=click_count] .value").getAttribute("data-value")));
        assertTotalsAreTheApis(id, 4);
        Map<String, String> api = new LinkedHashMap<>();
        stats(id).get("buckets").forEach(bucket -> {
            if (bucket.get("click_count").asLong() > 0) {
                api.put(bucket.get("start").asText(), bucket.get("click_count").asText());
            }
        });
        Map<String, String> page = new LinkedHashMap<>();
        browser.driver.findElements(By.cssSelector("#history tbody tr:not(.folded)")).forEach(row -> page.put(
                row.getAttribute("data-start"), row.findElement(By.cssSelector("[data-counter=click_count]")).getText()));
        assertThat(page).isEqualTo(reversed(api));
    }

    @Test
    void theHistoryTableTheTotalsAndTheListMoveWithLiveClicks() throws Exception {
        long id = create("https://history.example/");
        settled(id, () -> clicks(id, "IPhone", 1));
        browser.open(port, "#campaign/" + id);
        browser.waitUp().until(b -> "1".equals(historyClicks()));
        clicks(id, "IPhone", 2);
        browser.within(Duration.ofSeconds(2)).until(b -> "3".equals(historyClicks())
                && "3".equals(browser.find("#totals [data-counter=iphone_click_count] .value").getText()));
        assertThat(browser.find("#history tbody tr.folded").getText()).contains("no clicks");
        assertTotalsAreTheApis(id, 3);

        browser.open(port, "");
        browser.waitUp().until(b -> "3".equals(listCounter(id, "click_count")));
        clicks(id, "Android", 1);
        browser.within(Duration.ofSeconds(2)).until(b -> "4".equals(listCounter(id, "click_count"))
                && "1".equals(listCounter(id, "android_click_count")));
    }

    @Test
    void aReadAndTheLiveEventsOfItsMomentCountEachClickOnce() throws Exception {
        long id = create("https://crossing.example/");
        browser.open(port, "#campaign/" + id);
        browser.waitUp().until(b -> "0".equals(browser.find("#chart").getAttribute("data-total")));

        // A flush's event on its way while the page reads again: the read holds the flush already.
        browser.script("window.__o7.holdClicks = 3000;");
        long heard = hook("clicksHeard");
        clicks(id, "Android", 2);
        http.adminGet("/tasks/update_stats");
        browser.waitUp().until(b -> hook("clicksHeard") > heard);
        browser.find("#range-buttons button[data-range=\"1h\"]").click();
        browser.waitUp().until(b -> "2".equals(totalClicks()));
        browser.waitUp().until(b -> hook("clicksHandedOn") >= hook("clicksHeard"));
        assertThat(totalClicks()).as("the held event after the read that holds its flush").isEqualTo("2");
        assertTotalsAreTheApis(id, 2);

        // A flush applied after the read, its event heard before the read's answer is in: it waits for it.
        browser.script("window.__o7.holdClicks = 0; window.__o7.holdStats = 3000;");
        long answered = hook("statsAnswered");
        long heardBefore = hook("clicksHeard");
        browser.find("#range-buttons button[data-range=\"1h\"]").click();
        browser.waitUp().until(b -> hook("statsAnswered") >= answered + 2); // the range's and the previous period's
        clicks(id, "IPhone", 3);
        http.adminGet("/tasks/update_stats");
        browser.waitUp().until(b -> hook("clicksHeard") > heardBefore);
        browser.waitUp().until(b -> hook("statsHandedOn") >= hook("statsAnswered"));
        browser.waitUp().until(b -> "5".equals(totalClicks()));
        assertTotalsAreTheApis(id, 5);
        assertThat(historyClicks()).isEqualTo("5");
    }

    @Test
    void aDeletionCancelledHereLeavesADeletionElsewhereTold() {
        long id = create("https://kept.example/");
        browser.open(port, "#campaign/" + id);
        browser.waitUp().until(b -> "https://kept.example/".equals(browser.text("#campaign-title")));
        browser.find("#delete").click();
        browser.driver.switchTo().alert().dismiss();
        assertThat(http.adminGet("/admin/campaigns/" + id).statusCode()).isEqualTo(200);
        assertThat(http.adminDelete("/admin/campaigns/" + id).statusCode()).isEqualTo(204);
        browser.waitUp().until(b -> b.findElement(By.id("list-view")).isDisplayed()
                && "This campaign was deleted.".equals(browser.text("#toast")));
    }

    @Test
    void aHostInOtherScriptsIsAlsoShownAsVisitorsAreSentThere() {
        // Cyrillic а, then "pple"; the punycode in the query must not hide the host's
        String lookalike = "https://\u0430pple.example/offer?ref=xn--pple-43d.example";
        long id = create(lookalike);
        String ascii = IDN.toASCII("\u0430pple.example");
        browser.open(port, "");
        WebElement row = browser.waitUp().until(b -> b.findElement(By.cssSelector("#campaigns tbody tr[data-id=\"" + id + "\"]")));
        assertThat(row.findElement(By.cssSelector(".ascii-host")).getText()).isEqualTo("host " + ascii);
        browser.open(port, "#campaign/" + id);
        browser.waitUp().until(b -> browser.text("#campaign-meta").endsWith("host " + ascii));
        assertThat(ascii).startsWith("xn--");
        WebElement plain = browser.waitUp().until(b -> b.findElement(By.cssSelector("#campaign-title")));
        assertThat(plain.getText()).isEqualTo(lookalike);
    }

    @Test
    void dayBucketsAreTheUtcDaysTheyCountInEveryTimeZone() {
        browser.driver.executeCdpCommand("Emulation.setTimezoneOverride", Map.of("timezoneId", "America/Los_Angeles"));
        try {
            browser.open(port, "");
            @SuppressWarnings("unchecked")
            List<String> texts = (List<String>) browser.fromModule("format.js", """
                    f => [
                      f.bucketTime(new Date('2026-12-07T00:00:00Z'), 'day'),
                      f.period(new Date('2026-11-08T00:00:00Z'), new Date('2026-12-08T00:00:00Z'), 'day'),
                      f.bucketTime(new Date('2026-12-07T00:00:00Z'), 'hour')]
                    """);
            assertThat(texts.get(0)).as("the UTC day, not the local date its start falls on (Dec 6)").isEqualTo("Dec 7, 2026");
            assertThat(texts.get(1)).as("first to last day, not to the exclusive end").isEqualTo("Nov 8, 2026 – Dec 7, 2026 (UTC days)");
            assertThat(texts.get(2)).as("an hour in the browser's zone").isEqualTo("Dec 6, 2026, 4:00 PM");
        } finally {
            browser.driver.executeCdpCommand("Emulation.setTimezoneOverride", Map.of("timezoneId", ""));
        }
    }

    @Test
    void aLiveRangeIsComparedWithThePreviousPeriodUpToTheSamePoint() {
        browser.open(port, "");
        @SuppressWarnings("unchecked")
        List<String> periods = (List<String>) browser.fromModule("range.js", """
                r => {
                const now = Date.parse('2026-12-07T20:17:30Z');
                const show = p => p.interval + ' ' + p.from.toISOString() + ' ' + p.to.toISOString();
                return [
                  // 24 hours in hour buckets up to the end of this one: the day before, by minute, up to 20:18 then
                  show(r.previous({ interval: 'hour', from: new Date('2026-12-06T21:00:00Z'), to: new Date('2026-12-07T21:00:00Z'), live: true }, now)),
                  // 30 days in day buckets: the 30 before, by hour, up to the end of the hour of 20:17 then
                  show(r.previous({ interval: 'day', from: new Date('2026-11-08T00:00:00Z'), to: new Date('2026-12-08T00:00:00Z'), live: true }, now)),
                  // a past range: the whole period before, in its own buckets
                  show(r.previous({ interval: 'day', from: new Date('2026-10-01T00:00:00Z'), to: new Date('2026-10-08T00:00:00Z'), live: false }, now))];
                }
                """);
        assertThat(periods).containsExactly(
                "minute 2026-12-05T21:00:00.000Z 2026-12-06T20:18:00.000Z",
                "hour 2026-10-09T00:00:00.000Z 2026-11-07T21:00:00.000Z",
                "day 2026-09-24T00:00:00.000Z 2026-10-01T00:00:00.000Z");
    }

    /** The map's entries newest first, as the history table lists its buckets. */
    private static Map<String, String> reversed(Map<String, String> oldestFirst) {
        List<String> keys = new ArrayList<>(oldestFirst.keySet());
        Collections.reverse(keys);
        Map<String, String> newestFirst = new LinkedHashMap<>();
        keys.forEach(k -> newestFirst.put(k, oldestFirst.get(k)));
        return newestFirst;
    }

    @Test
    void theSquareRootScalesTicksAreRoundCountsEachOnce() {
        browser.open(port, "");
        @SuppressWarnings("unchecked")
        List<Object> ticks = (List<Object>) browser.fromModule("chart.js", """
                c => [4, 9, 37, 1000, 123456].map(top => c.rootTicks(Math.sqrt(top)).map(v => Math.round(v * v)).join(' '))
                """);
        assertThat(ticks).containsExactly("0 1 3 4", "0 1 3 6 9", "0 1 6 10 20", "0 50 200 500 1000",
                "0 5000 20000 50000 100000");
    }

    private static long hook(String name) {
        return ((Number) browser.script("return window.__o7." + name + ";")).longValue();
    }

    private static String totalClicks() {
        return browser.find("#totals [data-counter=click_count] .value").getAttribute("data-value");
    }

    @Test
    void anUnknownCampaignHasANotFoundPage() {
        expectedErrors = "/admin/campaigns/999999999999 - Failed to load resource: the server responded with a status of 404";
        browser.open(port, "#campaign/999999999999");
        browser.waitUp().until(b -> b.findElement(By.id("not-found")).isDisplayed());
        assertThat(browser.text("#not-found-message")).isEqualTo("There is no campaign 999999999999: it may have been deleted.");
        assertThat(browser.find("#list-view").isDisplayed()).isFalse();
        assertThat(browser.text("#page-error")).isEmpty();
        browser.find("#not-found a").click();
        browser.waitUp().until(b -> b.findElement(By.id("list-view")).isDisplayed());
    }

    @Test
    void formErrorsStandNextToTheirFieldsInTheFormsWords() {
        expectedErrors = "/admin/campaigns - Failed to load resource: the server responded with a status of 422";
        browser.open(port, "");
        browser.find("#redirect-url").sendKeys("https://errors.example/");
        browser.find("#android-url").sendKeys("ftp://errors.example/app");
        browser.find("#create button[type=submit]").click();
        browser.waitUp().until(b -> !browser.text("#android-url-error").isEmpty());
        assertThat(browser.text("#android-url-error")).isEqualTo("Android store URL must be an absolute http or https URL.");
        assertThat(browser.find("#android-url").getAttribute("aria-invalid")).isEqualTo("true");
        assertThat(browser.text("#redirect-url-error")).isEmpty();

        browser.find("#redirect-url").clear();
        browser.find("#android-url").clear();
        browser.find("#create button[type=submit]").click();
        browser.waitUp().until(b -> !browser.text("#redirect-url-error").isEmpty());
        assertThat(browser.text("#redirect-url-error")).startsWith("Redirect URL ").doesNotContain("redirect_url");
        assertThat(browser.text("#android-url-error")).isEmpty();
    }

    @Test
    void theNameAndTagsFieldsLookLikeTheFormsOtherFields() {
        browser.open(port, "");
        for (String form : List.of("", "edit-")) {
            WebElement url = browser.find("#" + form + "redirect-url");
            for (String field : List.of("name", "tags")) {
                WebElement text = browser.find("#" + form + field);
                for (String property : List.of("font-size", "padding-top", "border-top-width", "border-top-color",
                        "border-top-left-radius", "box-sizing")) {
                    assertThat(text.getCssValue(property)).as(form + field + " " + property).isEqualTo(url.getCssValue(property));
                }
            }
        }
    }

    /** The browser reaches the service through a proxy that cuts its connections, as a network does. */
    @Test
    void aDroppedLiveConnectionShowsABannerAndTheNumbersAreReadAgain() throws Exception {
        long id = create("https://dropped.example/");
        try (TcpProxy proxy = new TcpProxy("127.0.0.1", port)) {
            expectedErrors = "/admin/events - Failed to load resource: net::ERR_";
            browser.signIn(proxy.port());
            browser.open(proxy.port(), "");
            browser.waitUp().until(b -> "0".equals(listCounter(id, "click_count")));
            shaded("overview-map");
            proxy.cutAll();
            browser.within(Duration.ofSeconds(5)).until(b -> b.findElement(By.id("connection")).isDisplayed()
                    && browser.find("#connection").getAttribute("class").contains("lost"));
            assertThat(browser.text("#connection")).startsWith("Live updates stopped: the numbers are a snapshot of");
            assertThat(browser.text("#live")).isEqualTo("offline");
            clicks(id, "Android", 2);
            http.adminGet("/tasks/update_stats");
            browser.within(Duration.ofSeconds(15)).until(b -> browser.find("#connection").getAttribute("class").contains("back"));
            assertThat(browser.text("#connection")).isEqualTo("Live updates are back; the numbers were read again.");
            browser.waitUp().until(b -> "2".equals(listCounter(id, "click_count")));
            browser.driver.get("about:blank");
        }
    }

    @Test
    void whileTheLiveConnectionIsDownTheRangeDoesNotSayLive() throws Exception {
        long id = create("https://offline.example/");
        try (TcpProxy proxy = new TcpProxy("127.0.0.1", port)) {
            expectedErrors = "/admin/events - Failed to load resource: net::ERR_";
            browser.signIn(proxy.port());
            browser.open(proxy.port(), "#campaign/" + id);
            browser.waitUp().until(b -> browser.text("#period").endsWith("per minute, live"));
            shaded("campaign-map");
            proxy.cutAll();
            browser.within(Duration.ofSeconds(5)).until(b -> browser.text("#period").endsWith("per minute, live updates stopped"));
            browser.within(Duration.ofSeconds(15)).until(b -> browser.text("#period").endsWith("per minute, live"));
            browser.driver.get("about:blank");
        }
    }

    @Test
    void everyPageAtEverySizeHasNoSeriousAccessibilityViolation() throws Exception {
        expectedErrors = "/admin/campaigns/999999999998 - Failed to load resource: the server responded with a status of 404";
        long id = create("https://a11y.example/");
        settled(id, () -> clicks(id, "Android", 2));
        for (var size : List.of(Browser.DESKTOP, Browser.PHONE)) {
            browser.size(size);
            browser.open(port, "");
            browser.waitUp().until(b -> !b.findElements(By.cssSelector("#campaigns tbody tr[data-id=\"" + id + "\"]")).isEmpty());
            assertThat(browser.seriousAccessibilityViolations()).as("the list at %s", size).isEmpty();
            browser.open(port, "#campaign/" + id);
            browser.waitUp().until(b -> "2".equals(browser.find("#chart").getAttribute("data-total")));
            assertThat(browser.seriousAccessibilityViolations()).as("a campaign at %s", size).isEmpty();
            browser.open(port, "#campaign/999999999998");
            browser.waitUp().until(b -> b.findElement(By.id("not-found")).isDisplayed());
            assertThat(browser.seriousAccessibilityViolations()).as("not found at %s", size).isEmpty();
        }
    }

    @Test
    void onAPhoneTheNumbersComeFirstAndNothingScrollsSideways() throws Exception {
        long id = create("https://phone.example/");
        settled(id, () -> clicks(id, "IPhone", 4));
        browser.size(Browser.PHONE);
        browser.open(port, "#campaign/" + id);
        browser.waitUp().until(b -> "4".equals(browser.find("#chart").getAttribute("data-total")));
        assertThat(browser.script("return document.documentElement.scrollWidth <= window.innerWidth"))
                .as("no sideways scrolling on a phone").isEqualTo(true);
        int totals = browser.find("#totals").getLocation().getY();
        assertThat(totals).isLessThan(browser.find("#chart").getLocation().getY());
        assertThat(browser.find("#history").getLocation().getY()).isLessThan(browser.find("#links").getLocation().getY());
        assertThat(browser.script("const t = document.getElementById('history'); return t.scrollWidth <= t.parentElement.clientWidth"))
                .as("the history's numbers on screen, not in a sideways scroll").isEqualTo(true);
        assertThat(browser.find("#history tbody tr:not(.folded) [data-counter=click_count]").isDisplayed()).isTrue();
        browser.screenshot("dashboard-campaign-phone");
        browser.open(port, "");
        browser.waitUp().until(b -> "4".equals(listCounter(id, "click_count")));
        assertThat(browser.script("return document.documentElement.scrollWidth <= window.innerWidth"))
                .as("no sideways scrolling on a phone").isEqualTo(true);
        assertThat(browser.script("const t = document.getElementById('campaigns'); return t.scrollWidth <= t.parentElement.clientWidth"))
                .as("the list's clicks on screen, not in a sideways scroll").isEqualTo(true);
        browser.screenshot("dashboard-list-phone");
    }

    /**
     * A campaign's name and tags: the list shows the name (the URL when none) and the tags, all as
     * text, and its tag filter reads the campaigns with any of its tags from the API; the campaign's
     * page shows them and its form changes and clears them.
     */
    @Test
    void namesAndTagsAreShownAsTextFilteredAndEdited() {
        String run = Long.toString(System.nanoTime(), 36);
        String markup = "<b>Spring</b> & \"sale\" <img src=x onerror=alert(1)>";
        long spring = createJson("{\"redirect_url\":\"https://labels.example/spring\",\"name\":"
                + TextNode.valueOf(markup) + ",\"tags\":[\"" + run + "-spring\",\"EU\"]}");
        long summer = createJson("{\"redirect_url\":\"https://labels.example/summer\",\"tags\":[\"" + run + "-summer\"]}");
        long plain = create("https://labels.example/plain");

        browser.open(port, "");
        WebElement row = browser.waitUp().until(b -> b.findElement(By.cssSelector("#campaigns tbody tr[data-id=\"" + spring + "\"]")));
        assertThat(row.findElement(By.cssSelector("th a")).getText()).isEqualTo(markup);
        assertThat(row.findElements(By.cssSelector("b, img"))).as("the name is text, not markup").isEmpty();
        assertThat(row.findElement(By.cssSelector(".url")).getText()).isEqualTo("https://labels.example/spring");
        assertThat(row.findElements(By.cssSelector("ul.tags li")).stream().map(WebElement::getText))
                .containsExactly(run + "-spring", "eu");
        assertThat(browser.find("#campaigns tbody tr[data-id=\"" + plain + "\"] th a").getText())
                .as("the URL when there is no name").isEqualTo("https://labels.example/plain");

        // The tag filter: the campaigns with any of its tags, in any case, as the API answers them.
        WebElement filter = browser.find("#tag-filter");
        filter.sendKeys(run.toUpperCase(Locale.ROOT) + "-Spring, " + run + "-summer" + Keys.ENTER);
        browser.waitUp().until(b -> b.findElements(By.cssSelector("#campaigns tbody tr[data-id=\"" + plain + "\"]")).isEmpty());
        assertThat(browser.driver.findElements(By.cssSelector("#campaigns tbody tr")).stream()
                .map(r -> Long.parseLong(r.getAttribute("data-id")))).containsExactlyInAnyOrder(spring, summer);
        expectedErrors = "status of 400";
        filter.clear();
        filter.sendKeys("spring!" + Keys.ENTER);
        browser.waitUp().until(b -> !browser.text("#tag-filter-error").isEmpty());
        assertThat(browser.text("#tag-filter-error")).isEqualTo("Query parameter tag holds 'spring!', which is not a tag: 1 to 50 letters, digits, '-' or '_'.");
        assertThat(filter.getAttribute("aria-invalid")).isEqualTo("true");
        filter.clear();
        filter.sendKeys(" " + Keys.ENTER);
        browser.waitUp().until(b -> browser.text("#tag-filter-error").isEmpty()
                && !b.findElements(By.cssSelector("#campaigns tbody tr[data-id=\"" + plain + "\"]")).isEmpty());
        assertThat(filter.getAttribute("aria-invalid")).isNull();

        // The campaign's page: the name as its title, the tags; its form changes them and clears them.
        browser.open(port, "#campaign/" + spring);
        browser.waitUp().until(b -> markup.equals(browser.text("#campaign-title")));
        assertThat(browser.driver.findElements(By.cssSelector("#campaign-title b, #campaign-title img"))).isEmpty();
        assertThat(browser.text("#campaign-meta")).contains("https://labels.example/spring");
        assertThat(browser.driver.findElements(By.cssSelector("#campaign-tags li")).stream().map(WebElement::getText))
                .containsExactly(run + "-spring", "eu");
        assertThat(browser.find("#edit-name").getAttribute("value")).isEqualTo(markup);
        assertThat(browser.find("#edit-tags").getAttribute("value")).isEqualTo(run + "-spring, eu");
        browser.find("#edit-name").clear();
        browser.find("#edit-name").sendKeys("Autumn");
        browser.find("#edit-tags").clear();
        browser.find("#edit-tags").sendKeys("Autumn eu");
        browser.find("#edit button[type=submit]").click();
        browser.waitUp().until(b -> "Autumn".equals(browser.text("#campaign-title")));
        JsonNode saved = Json.parse(http.adminGet("/admin/campaigns/" + spring).body());
        assertThat(saved.get("name").asText()).isEqualTo("Autumn");
        assertThat(saved.get("tags").toString()).isEqualTo("[\"autumn\",\"eu\"]");
        assertThat(browser.driver.findElements(By.cssSelector("#campaign-tags li")).stream().map(WebElement::getText))
                .containsExactly("autumn", "eu");

        // A change told live while the form is being edited shows, and leaves what is typed as it is.
        browser.find("#edit-name").clear();
        browser.find("#edit-name").sendKeys("Typed");
        assertThat(http.adminPut("/admin/campaigns/" + spring, "{\"tags\":[\"live\"]}").statusCode()).isEqualTo(200);
        browser.waitUp().until(b -> "live".equals(browser.text("#campaign-tags")));
        assertThat(browser.find("#edit-name").getAttribute("value")).isEqualTo("Typed");

        browser.find("#edit-name").clear();
        browser.find("#edit-tags").clear();
        browser.find("#edit button[type=submit]").click();
        browser.waitUp().until(b -> "https://labels.example/spring".equals(browser.text("#campaign-title")));
        JsonNode cleared = Json.parse(http.adminGet("/admin/campaigns/" + spring).body());
        assertThat(cleared.get("name").isNull()).isTrue();
        assertThat(cleared.get("tags").toString()).isEqualTo("[]");
        assertThat(browser.find("#campaign-tags").isDisplayed()).isFalse();
        assertThat(browser.seriousAccessibilityViolations()).isEmpty();
    }

    private long createJson(String body) {
        var answer = http.adminPost("/admin/campaigns", body);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(201);
        return Json.parse(answer.body()).get("id").asLong();
    }

    private long create(String url) {
        var answer = http.adminPost("/admin/campaigns", "{\"redirect_url\": \"" + url + "\"}");
        assertThat(answer.statusCode()).isEqualTo(201);
        return Json.parse(answer.body()).get("id").asLong();
    }

    private void clicks(long id, String platform, int n) {
        for (int i = 0; i < n; i++) {
            assertThat(http.get("/track/" + id + "?platform=" + platform).statusCode()).isEqualTo(307);
        }
    }

    /**
     * Clicks while the list is open, until their live events have reached it: a page opened after
     * that reads them all from the API, and nothing is on its way any more.
     */
    private void settled(long id, Runnable clicks) {
        browser.open(port, "");
        browser.waitUp().until(b -> "0".equals(listCounter(id, "click_count")));
        clicks.run();
        http.adminGet("/tasks/update_stats");
        JsonNode campaign = Json.parse(http.adminGet("/admin/campaigns/" + id).body());
        browser.waitUp().until(b -> campaign.get("click_count").asText().equals(listCounter(id, "click_count"))
                && campaign.get("bot_click_count").asText().equals(listCounter(id, "bot_click_count")));
    }

    /** The stats API's answer for the range the page shows. */
    private JsonNode stats(long id) {
        WebElement period = browser.find("#period");
        String path = "/admin/campaigns/" + id + "/stats?interval=" + period.getAttribute("data-interval")
                + "&from=" + URLEncoder.encode(period.getAttribute("data-from"), StandardCharsets.UTF_8)
                + "&to=" + URLEncoder.encode(period.getAttribute("data-to"), StandardCharsets.UTF_8);
        var answer = http.adminGet(path);
        assertThat(answer.statusCode()).as(path).isEqualTo(200);
        return Json.parse(answer.body());
    }

    /** Each headline total is the sum of the API's buckets for the page's range. */
    private void assertTotalsAreTheApis(long id, long clicks) {
        JsonNode buckets = stats(id).get("buckets");
        Map<String, String> api = new LinkedHashMap<>();
        Map<String, String> page = new LinkedHashMap<>();
        for (String counter : Counters.NAMES) {
            long sum = 0;
            for (JsonNode bucket : buckets) {
                sum += bucket.get(counter).asLong();
            }
            api.put(counter, String.valueOf(sum));
            page.put(counter, browser.find("#totals [data-counter=" + counter + "] .value").getAttribute("data-value"));
        }
        assertThat(page).isEqualTo(api);
        assertThat(api).containsEntry("click_count", String.valueOf(clicks));
        assertThat(browser.text("#totals [data-counter=click_count] .change")).endsWith("vs previous");
    }

    /** The number of buckets of the range the page shows. */
    private static long buckets() {
        WebElement period = browser.find("#period");
        long width = switch (period.getAttribute("data-interval")) {
            case "minute" -> 60_000;
            case "hour" -> 3_600_000;
            default -> 86_400_000;
        };
        return (Instant.parse(period.getAttribute("data-to")).toEpochMilli()
                - Instant.parse(period.getAttribute("data-from")).toEpochMilli()) / width;
    }

    /** The values in the chart's legend, by series (as the pointer shows them). */
    private static Map<String, String> legend() {
        Map<String, String> shown = new LinkedHashMap<>();
        for (String series : SERIES) {
            shown.put(series, browser.text("#chart .u-legend tr.series-" + series + " td.u-value"));
        }
        return shown;
    }

    /** The page's breakdowns and world map are read and shown: none of their reads is on its way when the network is cut. */
    private static void shaded(String map) {
        browser.waitUp().until(b -> !b.findElements(By.cssSelector("#" + map + " path[data-clicks]")).isEmpty());
    }

    private static String listCounter(long id, String counter) {
        return browser.find("#campaigns tbody tr[data-id=\"" + id + "\"] [data-counter=\"" + counter + "\"]").getText();
    }

    /** The clicks of the history table's rows (a minute's turn may split them in two rows). */
    private static String historyClicks() {
        return String.valueOf(browser.driver.findElements(By.cssSelector("#history tbody tr:not(.folded) [data-counter=click_count]"))
                .stream().mapToLong(cell -> Long.parseLong(cell.getText())).sum());
    }
}
