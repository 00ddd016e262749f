package dev.duplex.websocket.sample;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.function.Function;
import java.util.stream.Stream;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * One headless Chromium, driven through Debian's chromedriver, with a profile of its own that is
 * deleted on {@link #close()}. Nothing is downloaded: the driver's path is given both to the
 * service and as {@code webdriver.chrome.driver}, so Selenium Manager never runs. Missing
 * binaries fail the test with what to install, rather than skip it.
 */
final class Browser implements AutoCloseable {

    /** Debian's paths; {@code -Dsample.chromium=…} and {@code -Dsample.chromedriver=…} override them. */
    static final Path CHROMIUM = Path.of(System.getProperty("sample.chromium", "/usr/bin/chromium"));

    static final Path CHROMEDRIVER = Path.of(System.getProperty("sample.chromedriver", "/usr/bin/chromedriver"));

    /** Bound on every wait for the page; generous, since other builds share the machine's cores. */
    static final Duration WAIT = Duration.ofSeconds(30);

    private static final Path SCREENSHOTS = Path.of("target", "screenshots");

    private final ChromeDriver driver;
    private final Path profile;

    private Browser(ChromeDriver driver, Path profile) {
        this.driver = driver;
        this.profile = profile;
    }

    /** Fails the calling test, saying how to install them, when Chromium or chromedriver is missing. */
    static void requireBinaries() {
        for (Path binary : new Path[] {CHROMIUM, CHROMEDRIVER}) {
            if (!Files.isExecutable(binary)) {
                fail(binary + " is missing: the browser tests need Debian's chromium and chromium-driver;"
                        + " install them with .ci/install-test-deps (as root), or point -Dsample.chromium"
                        + " and -Dsample.chromedriver at other binaries");
            }
        }
    }

    /** Starts a fresh headless Chromium. */
    static Browser start() throws IOException {
        requireBinaries();
        System.setProperty(ChromeDriverService.CHROME_DRIVER_EXE_PROPERTY, CHROMEDRIVER.toString());
        Path profile = Files.createTempDirectory("sample-chromium-");
        ChromeOptions options = new ChromeOptions()
                .setBinary(CHROMIUM.toFile())
                .addArguments(
                        "--headless=new",
                        "--no-sandbox",
                        "--disable-gpu",
                        "--disable-dev-shm-usage",
                        "--disable-quic",
                        "--no-first-run",
                        "--disable-background-networking",
                        "--disable-component-update",
                        "--disable-sync",
                        "--lang=en-US",
                        "--window-size=1280,1000",
                        "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        try {
            return new Browser(new ChromeDriver(service, options), profile);
        } catch (RuntimeException e) {
            delete(profile);
            throw e;
        }
    }

    WebDriver driver() {
        return driver;
    }

    void open(String url) {
        driver.get(url);
    }

    WebElement byId(String id) {
        return driver.findElement(By.id(id));
    }

    /** The text of the element with this id, as the user sees it. */
    String text(String id) {
        return byId(id).getText();
    }

    /** Waits, at most {@link #WAIT}, until the condition holds (is non-null and not false); returns its value. */
    <T> T await(String what, Function<WebDriver, T> condition) {
        return new WebDriverWait(driver, WAIT).withMessage(what).until(condition);
    }

    /** Waits until the element's text contains {@code expected}. */
    void awaitText(String id, String expected) {
        await(
                "#" + id + " to contain '" + expected + "'",
                d -> d.findElement(By.id(id)).getText().contains(expected));
    }

    /** Types into a field after clearing it. */
    void type(String id, String text) {
        WebElement field = byId(id);
        field.clear();
        field.sendKeys(text);
    }

    /** Saves a screenshot as {@code target/screenshots/<name>.png}; returns its path. */
    Path screenshot(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            Path file = SCREENSHOTS.resolve(name + ".png");
            Files.copy(driver.getScreenshotAs(OutputType.FILE).toPath(), file, StandardCopyOption.REPLACE_EXISTING);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            delete(profile);
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary directory left behind is harmless
        }
    }
}
