package io.chimera.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import io.chimera.lab.ExperimentRunner.CellResult;
import io.chimera.lab.ExperimentRunner.WorkerStats;

/**
 * A small experiment end to end: synchronous and asynchronous SGD on breast-cancer, 1 and 2 workers, with and
 * without a straggler (the last worker 50 ms slower per step), each cell on a fresh cluster of worker processes;
 * then its report in a real headless Chromium, with a screenshot in {@code target/lab-report.png}.
 */
class ExperimentTest {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final Path SCREENSHOT = Path.of("target", "lab-report.png");

    private static final String SPEC = """
            name: straggler-test
            dataset: breast-cancer
            strategy: parameter-server
            options: {loss: log_loss, max_iter: 40, learning_rate: 0.05}
            sweep:
              workers: [1, 2]
              mode: [synchronous, asynchronous]
              condition: [none, straggler]
            conditions:
              straggler: {worker: last, step_delay_ms: 50}
            """;

    @Test
    void smallSpec_runsEveryCell_andTheReportShowsTheStraggler(@TempDir Path dir) throws Exception {
        final Path specFile = dir.resolve("straggler-test.yaml");
        Files.writeString(specFile, SPEC);
        final ExperimentSpec spec = ExperimentSpec.read(specFile);
        assertThat(spec.cells()).hasSize(8);
        final List<String> progress = new ArrayList<>();
        final ExperimentRunner.Result result = new ExperimentRunner(spec, progress::add).run();
        final Path out = dir.resolve("report");
        final Path page = LabReport.write(result, out);

        for (String file : List.of("report.html", "cells.csv", "iterations.csv", "workers.csv", "results.json")) {
            assertThat(out.resolve(file)).as(file).isRegularFile();
            assertThat(Files.size(out.resolve(file))).as(file).isGreaterThan(100);
        }
        assertThat(Files.readAllLines(out.resolve("cells.csv"))).hasSize(1 + 8);
        assertThat(result.skipped()).isEmpty();
        assertThat(result.cells()).hasSize(8);
        for (CellResult c : result.cells()) {
            assertThat(c.error()).as(c.label()).isNull();
            assertThat(c.metrics()).as(c.label()).containsKeys("roc_auc", "accuracy");
            assertThat(c.metrics().get("roc_auc")).as(c.label()).isGreaterThan(0.95);
            assertThat(c.fitSeconds()).as(c.label()).isPositive();
            assertThat(c.loss()).as(c.label()).isNotEmpty();
            assertThat(c.workers()).as(c.label()).hasSize(c.cell().workers());
            for (WorkerStats w : c.workers()) {
                assertThat(w.updates()).as(c.label() + " " + w.worker()).isPositive();
                assertThat(w.computeSeconds()).as("measured by the worker").isPositive();
                assertThat(w.bytesSent()).isPositive();
                assertThat(w.bytesReceived()).isPositive();
            }
        }

        final CellResult syncNone = cell(result, 2, "synchronous", "none");
        final CellResult syncStraggler = cell(result, 2, "synchronous", "straggler");
        // 40 steps, each waiting 50 ms for the straggler: about 2 s more.
        assertThat(syncStraggler.fitSeconds()).as("synchronous SGD waits for its straggler")
                                              .isGreaterThan(syncNone.fitSeconds() + 1.0);
        final WorkerStats slow = syncStraggler.workers().get(1);
        final WorkerStats fast = syncStraggler.workers().get(0);
        assertThat(slow.injected()).isTrue();
        assertThat(fast.injected()).isFalse();
        assertThat(slow.computeSeconds()).as("the straggler's own compute time counts its delay")
                                         .isGreaterThan(fast.computeSeconds() + 1.0);
        assertThat(syncStraggler.waitingSeconds(fast)).as("the fast worker waits for the slow one")
                                                      .isGreaterThan(syncStraggler.waitingSeconds(slow));

        final CellResult asyncStraggler = cell(result, 2, "asynchronous", "straggler");
        final int fastUpdates = asyncStraggler.workers().get(0).updates();
        final int slowUpdates = asyncStraggler.workers().get(1).updates();
        assertThat(fastUpdates).as("asynchronous: the fast worker makes most of the updates")
                               .isGreaterThan(3 * slowUpdates);
        final CellResult asyncNone = cell(result, 2, "asynchronous", "none");
        assertThat(asyncStraggler.fitSeconds()).as("asynchronous SGD does not wait for its straggler")
                                               .isLessThan(syncStraggler.fitSeconds());
        assertThat(asyncNone.updates()).isEqualTo(asyncStraggler.updates());

        final String html = Files.readString(page);
        assertThat(html).contains("Speed-up and efficiency against workers", "Loss against wall time",
                                  "Per worker: compute, communication and waiting", "Every cell",
                                  "data:image/png;base64,");
        assertThat(progress).anyMatch(l -> l.startsWith("cell 8/8"));

        openInChromium(page);
    }

    /**
     * Lesson 4 in small: the three data-parallel strategies side by side on 3 workers, and a worker that exits at
     * its 3rd step: each cell's rounds and bytes, the dropped worker, the report's bytes chart.
     */
    @Test
    void threeStrategies_recordRoundsAndBytes_andALostWorkerIsDropped(@TempDir Path dir) throws Exception {
        final Path specFile = dir.resolve("data-parallel-test.yaml");
        Files.writeString(specFile, """
                name: data-parallel-test
                dataset: breast-cancer
                strategy: [parameter-server, federated-averaging, all-reduce]
                options: {loss: log_loss, max_iter: 30, rounds: 5, batch_size: 32, learning_rate: 0.05}
                sweep:
                  workers: [3]
                  condition: [none, lost]
                conditions:
                  lost: {worker: last, exit_at_step: 3}
                """);
        final ExperimentSpec spec = ExperimentSpec.read(specFile);
        assertThat(spec.cells()).hasSize(6);
        final ExperimentRunner.Result result = new ExperimentRunner(spec, line -> { }).run();
        final Path page = LabReport.write(result, dir.resolve("report"));

        final CellResult ps = strategyCell(result, "parameter-server", "none");
        final CellResult fedavg = strategyCell(result, "federated-averaging", "none");
        final CellResult ring = strategyCell(result, "all-reduce", "none");
        for (CellResult c : List.of(ps, fedavg, ring)) {
            assertThat(c.error()).as(c.label()).isNull();
            assertThat(c.metrics().get("roc_auc")).as(c.label()).isGreaterThan(0.95);
            assertThat(c.loss()).as(c.label()).hasSize(c.updates());
            assertThat(c.dropped()).as(c.label()).isEmpty();
        }
        assertThat(ps.updates()).isEqualTo(30);
        assertThat(fedavg.updates()).as("one record per round").isEqualTo(5);
        assertThat(ring.updates()).isEqualTo(30);
        // Federated averaging exchanges a model per round, the parameter server a gradient per step.
        assertThat(fedavg.bytes().total()).isLessThan(ps.bytes().total() / 2);
        assertThat(ps.bytes().peer()).isZero();
        assertThat(fedavg.bytes().peer()).isZero();
        assertThat(ring.bytes().peer()).as("ring all-reduce: the workers send one another chunks").isPositive();

        // The synchronous parameter server loses its third worker at that worker's 3rd step and goes on.
        final CellResult psLost = strategyCell(result, "parameter-server", "lost");
        assertThat(psLost.error()).isNull();
        assertThat(psLost.dropped()).containsExactly("lab3");
        assertThat(psLost.metrics().get("roc_auc")).isGreaterThan(0.95);
        assertThat(psLost.workers().get(2).updates()).as("the lost worker's answered steps").isEqualTo(2);
        // Federated averaging averages the workers that answer (its 3rd call is the first round's local training).
        final CellResult fedavgLost = strategyCell(result, "federated-averaging", "lost");
        assertThat(fedavgLost.error()).isNull();
        assertThat(fedavgLost.dropped()).containsExactly("lab3");
        assertThat(fedavgLost.updates()).isEqualTo(5);
        // All-reduce needs its whole ring: the fit fails at once (the others are not waited for), says why, and
        // the experiment goes on.
        final CellResult ringLost = strategyCell(result, "all-reduce", "lost");
        assertThat(ringLost.failed()).isTrue();
        assertThat(ringLost.error()).startsWith("worker(s) [lab3] failed (")
                                    .contains("all-reduce needs every worker of the ring");
        assertThat(ringLost.fitSeconds()).as("seconds until the fit failed: not the 100 s a chunk may be waited for")
                                         .isPositive().isLessThan(20);

        final String html = Files.readString(page);
        assertThat(html).contains("Bytes on the wire", "bytes, peers", "lab3");
        final List<String> cells = Files.readAllLines(dir.resolve("report").resolve("cells.csv"));
        assertThat(cells.get(0)).contains("strategy", "bytes_sent", "peer_bytes", "dropped");
        assertThat(cells).hasSize(1 + 6);
    }

    private static CellResult strategyCell(ExperimentRunner.Result result, String strategy, String condition) {
        return result.cells().stream()
                     .filter(c -> c.cell().strategy().equals(strategy)
                                  && c.cell().condition().name().equals(condition))
                     .findFirst().orElseThrow();
    }

    private static CellResult cell(ExperimentRunner.Result result, int workers, String mode, String condition) {
        return result.cells().stream()
                     .filter(c -> c.cell().workers() == workers && c.cell().mode().equals(mode)
                                  && c.cell().condition().name().equals(condition))
                     .findFirst().orElseThrow();
    }

    /** The page in headless Chromium: every chart decoded, every cell in the table; then a full-page screenshot. */
    private static void openInChromium(Path page) throws Exception {
        final boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if (!present && "true".equals(System.getenv("CI"))) {
            fail(CHROMIUM + " and " + CHROMEDRIVER + " are required under CI=true: .ci/run installs them");
        }
        assumeTrue(present, "the report's browser check needs " + CHROMIUM + " and " + CHROMEDRIVER
                            + " (apt-get install chromium chromium-driver); skipped");
        final Path profile = Files.createTempDirectory("chimera-lab-chromium");
        final ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                             "--no-first-run", "--window-size=1100,1600", "--user-data-dir=" + profile);
        final WebDriver browser = new ChromeDriver(new ChromeDriverService.Builder()
                                                           .usingDriverExecutable(CHROMEDRIVER.toFile())
                                                           .usingAnyFreePort().build(), options);
        try {
            browser.get(page.toUri().toString());
            final JavascriptExecutor js = (JavascriptExecutor) browser;
            @SuppressWarnings("unchecked")
            final List<Object> images = (List<Object>) js.executeScript(
                    "return Array.from(document.images).map(i => i.complete && i.naturalWidth > 0)");
            assertThat(images).as("charts decoded").hasSizeGreaterThanOrEqualTo(5).containsOnly(Boolean.TRUE);
            final Object rows = js.executeScript("return document.querySelectorAll('table')[1].rows.length");
            assertThat(((Number) rows).intValue()).as("the cells' table: a header and 8 cells").isEqualTo(9);
            final Object height = js.executeScript("return document.documentElement.scrollHeight");
            browser.manage().window().setSize(new Dimension(1100, ((Number) height).intValue() + 40));
            final File shot = ((ChromeDriver) browser).getScreenshotAs(OutputType.FILE);
            Files.createDirectories(SCREENSHOT.getParent());
            Files.copy(shot.toPath(), SCREENSHOT, StandardCopyOption.REPLACE_EXISTING);
            assertThat(Files.size(SCREENSHOT)).isGreaterThan(50_000);
        } finally {
            browser.quit();
        }
    }
}
