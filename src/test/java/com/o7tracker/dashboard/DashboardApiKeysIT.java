package com.o7tracker.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.o7tracker.O7TrackerConfiguration;
import com.o7tracker.support.Http;
import com.o7tracker.support.Json;
import com.o7tracker.support.TestApp;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The API keys page in a real browser: reached from the navigation, a key made there is shown once
 * (and works), listed with its name as text, gone from the page once left, and revoked from the
 * list (then refused); axe-core finds no serious violation on the page.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class DashboardApiKeysIT {

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

    @Test
    void makeAKeySeeItOnceListItAndRevokeIt() throws Exception {
        int port = APP.getLocalPort();
        Http http = new Http(port);
        browser.size(Browser.DESKTOP);
        browser.signIn(port);
        browser.open(port, "");
        browser.find("#to-keys").click();
        browser.waitUp().until(b -> b.findElement(By.id("keys-view")).isDisplayed());

        // The API's refusal in the form's words, next to its field.
        browser.find("#create-key button[type=submit]").click();
        browser.waitUp().until(b -> !browser.text("#key-name-error").isEmpty());
        assertThat(browser.text("#key-name-error")).isEqualTo("Name must not be blank.");

        String name = "<b>Report</b> & \"nightly\" <img src=x onerror=alert(1)>";
        browser.find("#key-name").sendKeys(name);
        browser.find("#key-scopes input[value=write]").click();
        browser.find("#create-key button[type=submit]").click();
        browser.waitUp().until(b -> b.findElement(By.id("new-key")).isDisplayed());
        String key = browser.text("#new-key-value");
        assertThat(key).matches("o7_[A-Za-z0-9_-]{43}");
        assertThat(browser.driver.switchTo().activeElement()).isEqualTo(browser.find("#copy-key"));
        assertThat(http.send(http.request("/admin/campaigns").header("X-Api-Key", key).GET()).statusCode()).isEqualTo(200);

        WebElement row = browser.waitUp().until(b -> b.findElements(By.cssSelector("#keys tbody tr")).stream()
                .filter(r -> r.getText().contains("Report")).findFirst().orElse(null));
        assertThat(row.findElements(By.tagName("td")).get(1).getText()).isEqualTo(name);
        assertThat(row.findElements(By.tagName("td")).get(2).getText()).isEqualTo("read, write");
        assertThat(row.findElements(By.cssSelector("b, img"))).isEmpty();
        browser.screenshot("dashboard-api-keys");
        assertThat(browser.seriousAccessibilityViolations()).as("axe-core's serious and critical violations").isEmpty();

        // Shown once: left and opened again, the page holds no key.
        browser.open(port, "");
        browser.open(port, "#keys");
        browser.waitUp().until(b -> b.findElements(By.cssSelector("#keys tbody tr")).stream().anyMatch(r -> r.getText().contains("Report")));
        assertThat(browser.find("#new-key").isDisplayed()).isFalse();
        assertThat(browser.driver.getPageSource()).doesNotContain(key.substring(3));

        String id = browser.driver.findElements(By.cssSelector("#keys tbody tr")).stream()
                .filter(r -> r.getText().contains("Report")).findFirst().orElseThrow().getAttribute("data-id");
        browser.find("#keys tbody tr[data-id='" + id + "'] button.danger").click();
        browser.driver.switchTo().alert().accept();
        browser.waitUp().until(b -> b.findElements(By.cssSelector("#keys tbody tr[data-id='" + id + "']")).isEmpty());
        assertThat(browser.text("#toast")).isEqualTo("API key " + id + " revoked.");
        for (JsonNode listed : Json.parse(http.adminGet("/admin/api-keys").body())) {
            assertThat(listed.get("id").asText()).isNotEqualTo(id);
        }
        browser.within(Duration.ofSeconds(2)).until(b ->
                http.send(http.request("/admin/campaigns").header("X-Api-Key", key).GET()).statusCode() == 401);
        assertThat(browser.consoleErrors()).filteredOn(e -> !e.getMessage().contains("422"))
                .as("errors in the browser's console").isEmpty();
    }
}
