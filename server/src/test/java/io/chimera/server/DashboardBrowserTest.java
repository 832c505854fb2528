package io.chimera.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import io.chimera.strategy.parameterserver.ParameterServerMaster;

/**
 * The dashboard in a real headless Chromium (Debian's {@code chromium} and {@code chromium-driver}, which
 * {@code .ci/run} installs): a {@link ParameterServerMaster} with three SGD worker processes, a fit started from
 * the page's button, the loss curve drawn, and a screenshot in {@code target/dashboard.png}. Without Chromium it
 * is skipped, except under {@code CI=true}, where it fails.
 */
class DashboardBrowserTest {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final Path SCREENSHOT = Path.of("target", "dashboard.png");

    @Test
    void fitFromThePage_drawsTheLossCurve_andEachWorkersStepTimes(@TempDir Path dir) throws Exception {
        requireChromium();
        final TestProject project = new TestProject(dir).partitioned("sgd", 3, SgdScenariosTest.SGD_WORKER,
                                                                     "breast-cancer");
        try (ChimeraRun run = Chimera.builder(ParameterServerMaster.builder().loss("log_loss").maxIter(300).build())
                                     .port(0).projectDirectory(dir).config(project.config()).start()) {
            final WebDriver browser = chromium(dir.resolve("chromium-profile"));
            try {
                browser.get(run.baseUrl() + "/");
                final WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
                wait.until(b -> b.findElements(By.cssSelector("#workers tbody tr .badge.healthy")).size() == 3);
                assertThat(browser.getCurrentUrl()).isEqualTo(run.baseUrl() + "/dashboard");
                assertThat(text(browser, "model-state")).isEqualTo("unfitted");
                assertThat(points(browser, "loss-chart")).isZero();

                browser.findElement(By.id("fit-button")).click();

                wait.until(b -> points(b, "loss-chart") > 0);
                wait.until(b -> "fitted".equals(text(b, "model-state")));
                wait.until(b -> points(b, "step-chart") > 0);
                wait.until(b -> b.findElements(By.cssSelector("#latencies figure")).size() >= 4);
                assertThat(points(browser, "loss-chart")).isEqualTo(300);
                assertThat(points(browser, "step-chart")).as("one point per worker and update").isEqualTo(900);
                assertThat(text(browser, "action-result")).isEqualTo("{\"fit\":\"ok\"}");
                // Read in one script call: the page redraws the table on every status poll, so elements found
                // by one WebDriver call can be stale by the next (StaleElementReferenceException).
                final Object workers = ((ChromeDriver) browser).executeScript(
                        "return Array.from(document.querySelectorAll('#workers tbody tr'))"
                        + ".map(row => row.getAttribute('data-worker'))");
                assertThat((List<Object>) workers).containsExactly("sgd1", "sgd2", "sgd3");

                browser.findElement(By.id("predict-button")).click();
                wait.until(b -> text(b, "action-result").startsWith("{\"y_pred_rows\":["));
                // Every endpoint's histogram: the master's fit, history and predict, each worker's two routes.
                wait.until(b -> b.findElements(By.cssSelector("#latencies figure")).size() == 9);

                // The whole page, not only the first screen.
                final Object height = ((ChromeDriver) browser).executeScript(
                        "return document.documentElement.scrollHeight");
                browser.manage().window().setSize(new Dimension(1400, ((Number) height).intValue() + 160));
                final File shot = ((ChromeDriver) browser).getScreenshotAs(OutputType.FILE);
                Files.createDirectories(SCREENSHOT.getParent());
                Files.copy(shot.toPath(), SCREENSHOT, StandardCopyOption.REPLACE_EXISTING);
                assertThat(Files.size(SCREENSHOT)).isGreaterThan(10_000);
            } finally {
                browser.quit();
            }
        }
    }

    /** A strategy written with the strategy API gets the same page: its rounds' loss and bytes, from its history. */
    @Test
    void strategyApiMaster_fitFromThePage_drawsItsRounds(@TempDir Path dir) throws Exception {
        requireChromium();
        final TestProject project = new TestProject(dir).partitioned("fed", 2, DataParallelStrategiesTest.FEDAVG_WORKER,
                                                                     "breast-cancer");
        try (ChimeraRun run = Chimera.builder(io.chimera.strategy.fedavg.FederatedAveragingMaster.builder()
                                                      .loss("log_loss").rounds(6).batchSize(16).build())
                                     .port(0).projectDirectory(dir).config(project.config()).start()) {
            final WebDriver browser = chromium(dir.resolve("chromium-profile"));
            try {
                browser.get(run.baseUrl() + "/dashboard");
                final WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
                wait.until(b -> b.findElements(By.cssSelector("#workers tbody tr .badge.healthy")).size() == 2);
                assertThat(text(browser, "strategy")).isEqualTo("federated-averaging");
                browser.findElement(By.id("fit-button")).click();
                wait.until(b -> "fitted".equals(text(b, "model-state")));
                wait.until(b -> points(b, "loss-chart") == 6);
                assertThat(points(browser, "step-chart")).as("one point per worker and round").isEqualTo(12);
                assertThat(text(browser, "history-note")).contains("6 updates", "stopped by max_rounds",
                                                                  "bytes on the wire");
                browser.findElement(By.id("predict-button")).click();
                wait.until(b -> text(b, "action-result").startsWith("{\"y_pred_rows\":["));
            } finally {
                browser.quit();
            }
        }
    }

    private static void requireChromium() {
        final boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if (!present && "true".equals(System.getenv("CI"))) {
            fail(CHROMIUM + " and " + CHROMEDRIVER + " are required under CI=true: .ci/run installs them "
                 + "(apt-get install chromium chromium-driver)");
        }
        assumeTrue(present, "the dashboard's browser test needs " + CHROMIUM + " and " + CHROMEDRIVER
                            + " (apt-get install chromium chromium-driver); skipped");
    }

    /** Debian's chromium, headless, through its own chromedriver: Selenium Manager never downloads anything. */
    private static WebDriver chromium(Path profile) throws Exception {
        Files.createDirectories(profile);
        final ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                             "--disable-background-networking", "--disable-component-update", "--disable-sync",
                             "--no-first-run", "--window-size=1400,1800", "--user-data-dir=" + profile);
        final ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        return new ChromeDriver(service, options);
    }

    // Each read is one script call, for the reason given at the workers' table: the page redraws as it polls.
    private static String text(WebDriver browser, String id) {
        return String.valueOf(((JavascriptExecutor) browser).executeScript(
                "return document.getElementById(arguments[0]).innerText.trim()", id));
    }

    private static int points(WebDriver browser, String chartId) {
        return Integer.parseInt(String.valueOf(((JavascriptExecutor) browser).executeScript(
                "return document.getElementById(arguments[0]).getAttribute('data-points')", chartId)));
    }
}
