package com.o7tracker.dashboard;

import com.o7tracker.support.Http;
import com.o7tracker.support.NpmPackage;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless chromium through chromium-driver, signed in to the dashboard, with what the
 * dashboard's tests ask of it: its sizes, waits, screenshots (to target/), the console's errors and
 * axe-core's accessibility check (from npm, injected into the page as the test's own script,
 * which the page's Content-Security-Policy does not govern).
 */
final class Browser implements AutoCloseable {

    static final Dimension DESKTOP = new Dimension(1280, 900);
    static final Dimension PHONE = new Dimension(390, 844);
    /** axe-core from npm (no WebJar of it is on Maven Central), fetched once into target/. */
    private static final String AXE_PACKAGE = "axe-core@4.10.3";
    private static final Path AXE_FOLDER = Path.of("target", "axe-core");

    final ChromeDriver driver;

    Browser() throws IOException {
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--lang=en-US",
                "--user-data-dir=" + Files.createTempDirectory("chromium-test"));
        options.setCapability("goog:loggingPrefs", Map.of("browser", "ALL"));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File("/usr/bin/chromedriver")).usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
        driver.manage().window().setSize(DESKTOP);
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
        driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", HOOKS));
    }

    /**
     * Hooks on every page, inert until a test sets them: {@code window.__o7.holdClicks} (ms a live
     * clicks event is held before the page hears it) and {@code holdStats} (ms a stats answer the
     * service has given is held before the page has it), with counts of what was heard and handed on.
     * They make a read and the live events of its moment cross in the order a test needs.
     */
    private static final String HOOKS = """
            (() => {
              const hooks = window.__o7 = { holdClicks: 0, holdStats: 0, clicksHeard: 0, clicksHandedOn: 0,
                statsAnswered: 0, statsHandedOn: 0 };
              const Source = window.EventSource;
              window.EventSource = class extends Source {
                addEventListener(type, listener, options) {
                  if (type !== 'clicks') return super.addEventListener(type, listener, options);
                  return super.addEventListener(type, event => {
                    hooks.clicksHeard++;
                    const hand = () => { listener(event); hooks.clicksHandedOn++; };
                    if (hooks.holdClicks > 0) setTimeout(hand, hooks.holdClicks); else hand();
                  }, options);
                }
              };
              const fetch = window.fetch;
              window.fetch = (input, init) => {
                if (!String(input).includes('/stats?')) return fetch(input, init);
                const hold = hooks.holdStats;
                return fetch(input, init).then(answer => new Promise(done => {
                  hooks.statsAnswered++;
                  setTimeout(() => { hooks.statsHandedOn++; done(answer); }, hold);
                }));
              };
            })();
            """;

    /** Signs in once per port, in the URL, as a person types the credentials into the browser's prompt. */
    void signIn(int port) {
        driver.get("http://" + Http.USER + ":" + Http.PASSWORD + "@127.0.0.1:" + port + "/admin/");
    }

    /** Opens the dashboard at {@code fragment} ("" for the list, "#campaign/5" …) and waits for its live stream. */
    /**
     * Opens the page at {@code fragment} once its live stream is on and a view is shown: the router
     * shows one only after the list's first read, so a test that went on at the stream alone could
     * click a button of a view still hidden.
     */
    void open(int port, String fragment) {
        driver.get("http://127.0.0.1:" + port + "/admin/" + fragment);
        waitUp().until(b -> b.findElement(By.id("live")).getAttribute("class").contains("on")
                && b.findElements(By.cssSelector("main > section:not([hidden])")).size() == 1);
    }

    /** Waits up to 10 s; an element the page replaced meanwhile (it renders its tables anew) is looked up again. */
    WebDriverWait waitUp() {
        return within(Duration.ofSeconds(10));
    }

    WebDriverWait within(Duration timeout) {
        WebDriverWait wait = new WebDriverWait(driver, timeout);
        wait.pollingEvery(Duration.ofMillis(20));
        wait.ignoring(StaleElementReferenceException.class);
        return wait;
    }

    WebElement find(String css) {
        return driver.findElement(By.cssSelector(css));
    }

    String text(String css) {
        return find(css).getText();
    }

    Object script(String script, Object... arguments) {
        return ((JavascriptExecutor) driver).executeScript(script, arguments);
    }

    /** Runs an asynchronous script: it ends by calling its last argument with what it answers. */
    private Object asyncScript(String script) {
        return ((JavascriptExecutor) driver).executeAsyncScript(script);
    }

    /**
     * What {@code function} (JavaScript, handed the module) answers for one of the dashboard's
     * modules, imported as the page imports it: its rules tested in the browser that runs them.
     */
    Object fromModule(String module, String function) {
        return asyncScript("const done = arguments[arguments.length - 1];\n"
                + "import('/admin/ui/" + module + "').then(m => done((" + function + ")(m)), e => done('import failed: ' + e));");
    }

    void size(Dimension size) {
        driver.manage().window().setSize(size);
    }

    void screenshot(String name) throws IOException {
        File shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), Path.of("target", name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }

    /** axe-core's serious and critical violations on the page as it is, one line each (rule, help, where). */
    @SuppressWarnings("unchecked")
    List<String> seriousAccessibilityViolations() {
        script(axeSource());
        return (List<String>) ((JavascriptExecutor) driver).executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                axe.run(document, { resultTypes: ['violations'] }).then(result => done(result.violations
                    .filter(v => v.impact === 'serious' || v.impact === 'critical')
                    .map(v => v.impact + ' ' + v.id + ': ' + v.help + ' at ' + v.nodes.map(n => n.target.join(' ')).join(', '))),
                  e => done(['axe-core failed: ' + e]));
                """);
    }

    private static String axeSource() {
        try {
            return Files.readString(NpmPackage.file(AXE_PACKAGE, AXE_FOLDER, "package/axe.min.js"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    List<LogEntry> consoleErrors() {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue()).toList();
    }

    @Override
    public void close() {
        driver.quit();
    }
}
