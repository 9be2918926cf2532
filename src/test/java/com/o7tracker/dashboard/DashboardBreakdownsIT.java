package com.o7tracker.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.o7tracker.O7TrackerConfiguration;
import com.o7tracker.dimension.Dimension;
import com.o7tracker.support.Http;
import com.o7tracker.support.Json;
import com.o7tracker.support.TestApp;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * Where clicks came from, on a campaign's page and on the overview, in a real browser: clicks sent
 * with a country (the trusted edge's header), a Referer, utm values, an Accept-Language and a
 * User-Agent show in their tables as the breakdowns API answers them and on the world map; choosing
 * a value narrows the chart to its clicks (in hours on a range of minutes) and clearing it goes
 * back; a visitor's markup is shown as text; the page fits a phone and passes axe-core.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class DashboardBreakdownsIT {

    static final DropwizardAppExtension<O7TrackerConfiguration> APP = TestApp.withoutMemcached(
            "geo.countryHeader", "X-Appengine-Country");
    private static final String ANDROID = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko)"
            + " Chrome/124.0.0.0 Mobile Safari/537.36";
    private static final String IPHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15"
            + " (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1";
    /** Markup as a visitor may send it: an element that would run a script if the page parsed it. */
    private static final String MARKUP = "<img src=x onerror=window.__xss=1>";
    private static final List<String> DIMENSIONS = Arrays.stream(Dimension.values()).map(Dimension::wireName).toList();
    private static Browser browser;
    private Http http;
    private int port;
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
        http = new Http(port);
        browser.size(Browser.DESKTOP);
        browser.signIn(port);
    }

    @AfterEach
    void noErrorInTheConsole() {
        assertThat(browser.consoleErrors()).filteredOn(e -> expectedErrors == null || !e.getMessage().contains(expectedErrors))
                .as("errors in the browser's console").isEmpty();
        assertThat(browser.script("return window.__xss === undefined")).as("no visitor's script ran").isEqualTo(true);
    }

    @Test
    void theTablesAndTheMapShowWhereTheClicksCameFromAndAValueNarrowsTheChart() throws Exception {
        long id = campaignClickedFromThreePlaces("https://where.example/");
        browser.open(port, "#campaign/" + id);
        browser.waitUp().until(b -> "6".equals(browser.find("#chart").getAttribute("data-total"))
                && !rows("campaign-breakdowns", "country").isEmpty());

        // Each table is the API's breakdown over the chart's range (in whole hours).
        for (String by : DIMENSIONS) {
            assertThat(rows("campaign-breakdowns", by)).as(by).isEqualTo(apiRows(id, by));
        }
        assertThat(rows("campaign-breakdowns", "country")).containsExactly(
                Map.entry("Germany (DE)", "3"), Map.entry("France (FR)", "2"), Map.entry("Unknown (ZZ)", "1"));
        assertThat(rows("campaign-breakdowns", "referrer")).containsEntry("news.example", "3").containsEntry("social.example", "2");
        assertThat(rows("campaign-breakdowns", "utm_source")).containsEntry("newsletter", "3").containsEntry("(none)", "3");
        assertThat(rows("campaign-breakdowns", "utm_medium")).containsEntry("email", "3");
        assertThat(rows("campaign-breakdowns", "utm_campaign")).containsEntry("winter", "3");
        assertThat(rows("campaign-breakdowns", "language")).containsEntry("de", "3").containsEntry("fr", "2");
        assertThat(rows("campaign-breakdowns", "os")).containsEntry("Android", "4").containsEntry("iOS", "2");
        assertThat(browser.find("#campaign-breakdowns [data-by=country] tbody tr:first-child .share").getText()).isEqualTo("50%");

        // The map: the countries clicked shaded, the most the darkest, each named with its clicks; ZZ beside it.
        browser.waitUp().until(b -> "3".equals(mapPath("campaign-map", "DE").getAttribute("data-clicks")));
        assertThat(mapPath("campaign-map", "DE").getAttribute("class")).isEqualTo("shade-5");
        assertThat(mapPath("campaign-map", "FR").getAttribute("class")).isNotIn("shade-0", "shade-5");
        assertThat(mapPath("campaign-map", "US").getAttribute("class")).isEqualTo("shade-0");
        assertThat(browser.script("return document.querySelector('#campaign-map path[data-country=DE] title').textContent"))
                .isEqualTo("Germany (DE): 3 clicks");
        assertThat(browser.script("return document.querySelectorAll('#campaign-map path.shade-0').length"))
                .isEqualTo(browser.script("return document.querySelectorAll('#campaign-map path').length - 2"));
        assertThat(browser.text("#campaign-map .not-on-map")).isEqualTo("Not on the map: Unknown (ZZ) 1");
        browser.script("document.getElementById('campaign-breakdowns-title').scrollIntoView()");
        browser.screenshot("dashboard-breakdowns");

        // Germany, on a range of minutes: the chart goes to hours and says why; its total is Germany's clicks.
        assertThat(browser.find("#period").getAttribute("data-interval")).isEqualTo("minute");
        choose("country", "DE");
        browser.waitUp().until(b -> "hour".equals(browser.find("#period").getAttribute("data-interval"))
                && "3".equals(browser.find("#chart").getAttribute("data-total")));
        assertThat(browser.text("#filter-text")).isEqualTo(
                "Only the clicks whose Country is Germany (DE); per hour, as clicks are kept per hour by where they came from.");
        assertThat(browser.find("#totals [data-counter=click_count] .value").getAttribute("data-value")).isEqualTo("3");
        // The tables may be drawn anew meanwhile (a re-read): wait out a stale button.
        browser.waitUp().until(b -> "true".equals(valueButton("country", "DE").getAttribute("aria-pressed")));
        assertThat(browser.script("const a = document.activeElement; return a.dataset.by + ' ' + a.dataset.value"))
                .as("the focus stays on the value").isEqualTo("country DE");
        assertThat(browser.find("#csv").getAttribute("href")).contains("interval=hour").endsWith("&country=DE&format=csv");

        // Another value: the referrer of the French clicks; then all clicks again, per minute.
        choose("referrer", "social.example");
        browser.waitUp().until(b -> "2".equals(browser.find("#chart").getAttribute("data-total")));
        // The tables may be drawn anew meanwhile (a re-read): wait out a stale button.
        browser.waitUp().until(b -> "false".equals(valueButton("country", "DE").getAttribute("aria-pressed")));
        assertThat(browser.text("#filter-text")).startsWith("Only the clicks whose Referrer (host) is social.example;");
        browser.find("#clear-filter").click();
        browser.waitUp().until(b -> "minute".equals(browser.find("#period").getAttribute("data-interval"))
                && "6".equals(browser.find("#chart").getAttribute("data-total")));
        assertThat(browser.find("#filter").isDisplayed()).isFalse();
        assertThat(browser.script("const a = document.activeElement; return a.dataset.by + ' ' + a.dataset.value"))
                .as("the focus on the value that was chosen").isEqualTo("referrer social.example");
        // The tables may be drawn anew meanwhile (a re-read): wait out a stale button.
        browser.waitUp().until(b -> "false".equals(valueButton("referrer", "social.example").getAttribute("aria-pressed")));

        // A day range keeps its days; a live click of the chosen value is read again into the chart and its table.
        browser.find("#range-buttons button[data-range=\"30d\"]").click();
        browser.waitUp().until(b -> "day".equals(browser.find("#period").getAttribute("data-interval")));
        choose("country", "FR");
        browser.waitUp().until(b -> "2".equals(browser.find("#chart").getAttribute("data-total")));
        assertThat(browser.find("#period").getAttribute("data-interval")).isEqualTo("day");
        click(id, "", "FR", null, null, IPHONE);
        browser.within(Duration.ofSeconds(10)).until(b -> "3".equals(browser.find("#chart").getAttribute("data-total")));
        browser.within(Duration.ofSeconds(20)).until(b -> "3".equals(rows("campaign-breakdowns", "country").get("France (FR)")));
        browser.find("#range-buttons button[data-range=\"1h\"]").click();
        browser.find("#clear-filter").click();
        browser.waitUp().until(b -> "minute".equals(browser.find("#period").getAttribute("data-interval")));
    }

    @Test
    void aRangeLongerThanTheBreakdownsCoverSaysSoAndKeepsItsChart() {
        expectedErrors = "the server responded with a status of 400";
        long id = campaignClickedFromThreePlaces("https://long.example/");
        browser.open(port, "#campaign/" + id);
        browser.waitUp().until(b -> "6".equals(browser.find("#chart").getAttribute("data-total")));
        // Ended yesterday (its previous period is then read in days too): 500 days, more hours than a breakdown covers.
        browser.find("#range-buttons button[data-range=custom]").click();
        browser.script("const local = ms => { const d = new Date(ms); d.setMinutes(d.getMinutes() - d.getTimezoneOffset());"
                + " return d.toISOString().slice(0, 16); };"
                + "document.getElementById('custom-from').value = local(Date.now() - 500 * 86400000);"
                + "document.getElementById('custom-to').value = local(Date.now() - 86400000);");
        browser.find("#custom-range button[type=submit]").click();
        browser.waitUp().until(b -> browser.text("#campaign-breakdowns-note").startsWith("The range holds ")
                && "day".equals(browser.find("#period").getAttribute("data-interval")));
        assertThat(browser.text("#campaign-breakdowns-note")).contains("a breakdown covers at most 10000 hours");
        assertThat(browser.driver.findElements(By.cssSelector("#campaign-breakdowns section"))).isEmpty();
        assertThat(browser.find("#chart").getAttribute("data-total")).isEqualTo("0");
        assertThat(browser.text("#page-error")).isEmpty();
        browser.find("#range-buttons button[data-range=\"1h\"]").click();
        browser.waitUp().until(b -> !rows("campaign-breakdowns", "country").isEmpty());
    }

    @Test
    void aRangeOfMinutesIsNarrowedInWholeHours() {
        browser.open(port, "");
        @SuppressWarnings("unchecked")
        List<String> ranges = (List<String>) browser.fromModule("range.js", """
                r => {
                const now = Date.parse('2026-12-07T20:17:30Z');
                const show = p => p.interval + ' ' + p.from.toISOString() + ' ' + p.to.toISOString() + ' ' + p.live;
                return [
                  show(r.inHours({ interval: 'minute', from: new Date('2026-12-07T19:18:00Z'), to: new Date('2026-12-07T20:18:00Z'), live: true }, now)),
                  show(r.inHours({ interval: 'minute', from: new Date('2026-12-07T10:00:00Z'), to: new Date('2026-12-07T11:00:00Z'), live: false }, now)),
                  show(r.inHours({ interval: 'day', from: new Date('2026-11-08T00:00:00Z'), to: new Date('2026-12-08T00:00:00Z'), live: true }, now))];
                }
                """);
        assertThat(ranges).containsExactly(
                "hour 2026-12-07T19:00:00.000Z 2026-12-07T21:00:00.000Z true",
                "hour 2026-12-07T10:00:00.000Z 2026-12-07T11:00:00.000Z false",
                "day 2026-11-08T00:00:00.000Z 2026-12-08T00:00:00.000Z true");
    }

    @Test
    void aVisitorsMarkupIsShownAsText() throws Exception {
        long id = http.createCampaign("https://markup.example/");
        settled(id, () -> {
            click(id, "?utm_source=" + URLEncoder.encode(MARKUP, StandardCharsets.UTF_8), "DE",
                    "https://<b>bold</b>.example/", null, ANDROID);
            click(id, "?utm_campaign=" + URLEncoder.encode("=1+2", StandardCharsets.UTF_8), "DE",
                    "https://<i>italic<i>.example/x", null, ANDROID);
        });
        browser.open(port, "#campaign/" + id);
        browser.waitUp().until(b -> rows("campaign-breakdowns", "utm_source").containsKey(MARKUP));
        assertThat(rows("campaign-breakdowns", "referrer")).containsOnlyKeys("<b>bold<", "<i>italic<i>.example");
        assertThat(rows("campaign-breakdowns", "utm_campaign")).containsKey("=1+2");
        assertThat(browser.driver.findElements(By.cssSelector("main img, main b, main i"))).as("no element from a visitor").isEmpty();

        // Chosen, it narrows the chart by its exact text, and the note says it as text too.
        choose("utm_source", MARKUP);
        browser.waitUp().until(b -> "1".equals(browser.find("#chart").getAttribute("data-total")));
        assertThat(browser.text("#filter-text")).startsWith("Only the clicks whose utm_source is " + MARKUP + ";");
        assertThat(browser.driver.findElements(By.cssSelector("main img"))).isEmpty();
        browser.find("#clear-filter").click();

        // The overview shows all campaigns' values as text too.
        browser.open(port, "");
        browser.waitUp().until(b -> rows("overview-breakdowns", "utm_source").containsKey(MARKUP));
        assertThat(browser.driver.findElements(By.cssSelector("main img, main b, main i"))).isEmpty();
    }

    @Test
    void theOverviewShowsWhereAllClicksCameFrom() throws Exception {
        long id = campaignClickedFromThreePlaces("https://overview.example/");
        browser.open(port, "");
        browser.waitUp().until(b -> rows("overview-breakdowns", "country").containsKey("Germany (DE)"));
        // The last 24 hours by default, as the API's default range is.
        for (String by : DIMENSIONS) {
            assertThat(rows("overview-breakdowns", by)).as(by).isEqualTo(apiRows(null, by));
        }
        assertThat(browser.find("#overview-range button[aria-pressed=true]").getText()).isEqualTo("24 hours");
        assertThat(browser.driver.findElements(By.cssSelector("#overview-breakdowns button.value")))
                .as("nothing to narrow on the overview").isEmpty();
        browser.waitUp().until(b -> !"0".equals(mapPath("overview-map", "DE").getAttribute("data-clicks")));
        assertThat(mapPath("overview-map", "DE").getAttribute("data-clicks"))
                .isEqualTo(rows("overview-breakdowns", "country").get("Germany (DE)"));
        browser.find("#overview-range button[data-range=\"7d\"]").click();
        assertThat(browser.find("#overview-range button[aria-pressed=true]").getText()).isEqualTo("7 days");
        browser.waitUp().until(b -> rows("overview-breakdowns", "country").containsKey("Germany (DE)"));
        assertThat(id).isPositive();
    }

    @Test
    void withBreakdownsAndAChosenValueThePagesFitAPhoneAndPassAxe() throws Exception {
        long id = campaignClickedFromThreePlaces("https://phone-where.example/");
        for (var size : List.of(Browser.DESKTOP, Browser.PHONE)) {
            browser.size(size);
            browser.open(port, "#campaign/" + id);
            browser.waitUp().until(b -> !rows("campaign-breakdowns", "country").isEmpty()
                    && "3".equals(mapPath("campaign-map", "DE").getAttribute("data-clicks")));
            choose("country", "DE");
            browser.waitUp().until(b -> "3".equals(browser.find("#chart").getAttribute("data-total")));
            assertThat(browser.script("return document.documentElement.scrollWidth <= window.innerWidth"))
                    .as("no sideways scrolling at %s", size).isEqualTo(true);
            assertThat(browser.seriousAccessibilityViolations()).as("a campaign's breakdowns at %s", size).isEmpty();
            if (size == Browser.PHONE) {
                browser.script("document.getElementById('campaign-breakdowns-title').scrollIntoView()");
                browser.screenshot("dashboard-breakdowns-phone");
            }
            browser.find("#clear-filter").click();
            browser.open(port, "");
            browser.waitUp().until(b -> rows("overview-breakdowns", "country").containsKey("Germany (DE)"));
            assertThat(browser.script("return document.documentElement.scrollWidth <= window.innerWidth"))
                    .as("no sideways scrolling at %s", size).isEqualTo(true);
            assertThat(browser.seriousAccessibilityViolations()).as("the overview at %s", size).isEmpty();
        }
    }

    /** A campaign clicked 3 times from Germany (newsletter, Android), 2 from France (social, iPhone), once from nowhere told. */
    private long campaignClickedFromThreePlaces(String url) {
        long id = http.createCampaign(url);
        settled(id, () -> {
            for (int i = 0; i < 3; i++) {
                click(id, "?utm_source=newsletter&utm_medium=email&utm_campaign=winter", "DE", "https://news.example/today",
                        "de-DE,de;q=0.9,en;q=0.5", ANDROID);
            }
            for (int i = 0; i < 2; i++) {
                click(id, "", "FR", "https://social.example/", "fr", IPHONE);
            }
            click(id, "", null, null, null, ANDROID);
        });
        return id;
    }

    private void click(long id, String query, String country, String referer, String language, String userAgent) {
        HttpRequest.Builder request = http.request("/track/" + id + query).setHeader("User-Agent", userAgent);
        if (country != null) {
            request.setHeader("X-Appengine-Country", country);
        }
        if (referer != null) {
            request.setHeader("Referer", referer);
        }
        if (language != null) {
            request.setHeader("Accept-Language", language);
        }
        assertThat(http.send(request.GET()).statusCode()).isEqualTo(307);
    }

    /** Clicks, applied, and their live events heard by a page (the list), so that a page opened next reads them all. */
    private void settled(long id, Runnable clicks) {
        browser.open(port, "");
        browser.waitUp().until(b -> !b.findElements(By.cssSelector("#campaigns tbody tr[data-id=\"" + id + "\"]")).isEmpty());
        clicks.run();
        http.adminGet("/tasks/update_stats");
        JsonNode campaign = Json.parse(http.adminGet("/admin/campaigns/" + id).body());
        browser.waitUp().until(b -> campaign.get("click_count").asText().equals(browser.text(
                "#campaigns tbody tr[data-id=\"" + id + "\"] [data-counter=click_count]")));
    }

    /** A table's rows as the page shows them: value → clicks. */
    private static Map<String, String> rows(String panels, String by) {
        Map<String, String> rows = new LinkedHashMap<>();
        for (WebElement row : browser.driver.findElements(By.cssSelector("#" + panels + " [data-by=" + by + "] tbody tr"))) {
            // The count as a number: the page groups its digits by the browser's locale (3,092).
            rows.put(row.findElement(By.cssSelector("th")).getText(),
                    row.findElement(By.cssSelector("[data-counter=click_count]")).getText().replaceAll("[^0-9]", ""));
        }
        return rows;
    }

    /** The breakdowns API's rows over the range the campaign's chart shows (or the last 24 hours of all campaigns), as the page names them. */
    private Map<String, String> apiRows(Long id, String by) {
        String path;
        if (id == null) {
            path = "/admin/stats/breakdown?limit=10&by=" + by;
        } else {
            WebElement period = browser.find("#period");
            path = "/admin/campaigns/" + id + "/breakdown?limit=10&by=" + by
                    + "&from=" + URLEncoder.encode(period.getAttribute("data-from"), StandardCharsets.UTF_8)
                    + "&to=" + URLEncoder.encode(period.getAttribute("data-to"), StandardCharsets.UTF_8);
        }
        var answer = http.adminGet(path);
        assertThat(answer.statusCode()).as(path).isEqualTo(200);
        Map<String, String> rows = new LinkedHashMap<>();
        for (JsonNode row : Json.parse(answer.body()).get("rows")) {
            String value = row.get("value").asText();
            // A country as the page names it: other tests' clicks (the suite shares one database) bring others.
            String name = !by.equals("country") ? value : value.equals("ZZ") ? "Unknown (ZZ)"
                    : new java.util.Locale("", value).getDisplayCountry(java.util.Locale.ENGLISH) + " (" + value + ")";
            rows.put(name, row.get("click_count").asText());
        }
        return rows;
    }

    private static WebElement mapPath(String map, String country) {
        return browser.find("#" + map + " path[data-country=" + country + "]");
    }

    /** Chooses a value in a campaign's table (again if the tables were made anew just then). */
    private static void choose(String by, String value) {
        browser.waitUp().until(b -> {
            valueButton(by, value).click();
            return true;
        });
    }

    /** The button of a value in a campaign's table, found by its text (a visitor's value is no CSS selector). */
    private static WebElement valueButton(String by, String value) {
        return browser.waitUp().until(b -> b.findElements(By.cssSelector("#campaign-breakdowns button.value[data-by=" + by + "]"))
                .stream().filter(button -> value.equals(button.getAttribute("data-value"))).findFirst().orElse(null));
    }
}
