package com.o7tracker.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.o7tracker.O7TrackerConfiguration;
import com.o7tracker.support.Http;
import com.o7tracker.support.TestApp;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in a real browser (Debian's headless chromium through chromium-driver): log in,
 * create a campaign through the form, click its link, see the counters and the chart move within
 * 2 seconds, with no error in the browser's console. Screenshots go to target/.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class DashboardBrowserIT {

    static final DropwizardAppExtension<O7TrackerConfiguration> APP = TestApp.withoutMemcached();
    private static WebDriver browser;

    @BeforeAll
    static void startBrowser() throws Exception {
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + Files.createTempDirectory("chromium-test"));
        options.setCapability("goog:loggingPrefs", Map.of("browser", "ALL"));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File("/usr/bin/chromedriver")).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        browser.manage().window().setSize(new Dimension(1200, 900));
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void createAClickAndSeeItLive() throws Exception {
        Http http = new Http(APP.getLocalPort());
        String origin = "http://127.0.0.1:" + APP.getLocalPort();
        // Credentials once, in the URL, as a person types them into the browser's prompt; then the page as usual.
        browser.get("http://" + Http.USER + ":" + Http.PASSWORD + "@127.0.0.1:" + APP.getLocalPort() + "/admin/");
        browser.get(origin + "/admin/");
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(10));
        wait.until(b -> b.findElement(By.id("live")).getAttribute("class").contains("on"));

        browser.findElement(By.id("redirect-url")).sendKeys("https://browser.example/app");
        browser.findElement(By.id("android-url")).sendKeys("https://play.google.com/store/apps/details?id=example");
        browser.findElement(By.cssSelector("#create button")).click();
        WebElement row = wait.until(b -> b.findElements(By.cssSelector("#campaigns tbody tr")).stream()
                .filter(r -> r.getText().contains("https://browser.example/app")).findFirst().orElse(null));
        long id = Long.parseLong(row.getAttribute("data-id"));
        screenshot("dashboard-list");

        for (int i = 0; i < 3; i++) {
            assertThat(http.get("/track/" + id + "?platform=Android").headers().firstValue("Location"))
                    .hasValue("https://play.google.com/store/apps/details?id=example");
        }
        WebDriverWait twoSeconds = new WebDriverWait(browser, Duration.ofSeconds(2));
        twoSeconds.until(b -> "3".equals(counter(row, "android_click_count")) && "3".equals(counter(row, "click_count")));

        browser.get(origin + "/admin/#campaign/" + id);
        wait.until(b -> b.findElement(By.id("campaign-view")).isDisplayed()
                && "3".equals(b.findElement(By.id("chart")).getAttribute("data-total")));
        assertThat(browser.findElement(By.id("links")).getText()).contains(origin + "/track/" + id + "?platform=IPhone");
        http.get("/track/" + id + "?platform=IPhone");
        http.send(http.request("/track/" + id).setHeader("User-Agent", "Twitterbot/1.0").GET());
        twoSeconds.until(b -> "5".equals(b.findElement(By.id("chart")).getAttribute("data-total")));
        screenshot("dashboard-campaign");
        browser.manage().window().setSize(new Dimension(390, 844));
        screenshot("dashboard-campaign-phone");
        assertThat(((JavascriptExecutor) browser).executeScript(
                "return document.documentElement.scrollWidth <= window.innerWidth")).as("no sideways scrolling on a phone").isEqualTo(true);
        browser.manage().window().setSize(new Dimension(1200, 900));

        // Edit: a new redirect URL and Android store URL, served from the next click on.
        WebElement redirect = browser.findElement(By.id("edit-redirect-url"));
        assertThat(redirect.getAttribute("value")).isEqualTo("https://browser.example/app");
        redirect.clear();
        redirect.sendKeys("https://browser.example/edited");
        WebElement android = browser.findElement(By.id("edit-android-url"));
        android.clear();
        android.sendKeys("https://play.google.com/store/apps/details?id=edited");
        browser.findElement(By.cssSelector("#edit button[type=submit]")).click();
        wait.until(b -> "https://browser.example/edited".equals(b.findElement(By.id("campaign-title")).getText()));
        wait.until(b -> http.get("/track/" + id + "?platform=Android").headers().firstValue("Location")
                .orElse("").equals("https://play.google.com/store/apps/details?id=edited"));
        assertThat(http.get("/track/" + id + "?platform=IPhone").headers().firstValue("Location"))
                .hasValue("https://browser.example/edited");

        // Delete, from the campaign page: back to the list without it, and its link goes to the fallback.
        browser.findElement(By.id("delete")).click();
        browser.switchTo().alert().accept();
        wait.until(b -> b.findElement(By.id("list-view")).isDisplayed()
                && b.findElements(By.cssSelector("#campaigns tbody tr[data-id=\"" + id + "\"]")).isEmpty());
        wait.until(b -> http.get("/track/" + id + "?platform=Android").headers().firstValue("Location")
                .orElse("").equals("https://fallback.example/"));

        List<LogEntry> errors = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue()).toList();
        assertThat(errors).as("errors in the browser's console").isEmpty();
    }

    private static String counter(WebElement row, String name) {
        return row.findElement(By.cssSelector("[data-counter=\"" + name + "\"]")).getText();
    }

    private static void screenshot(String name) throws Exception {
        File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), Path.of("target", name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }
}
