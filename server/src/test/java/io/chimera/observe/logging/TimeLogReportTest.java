package io.chimera.observe.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.awt.image.BufferedImage;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TimeLogReportTest {

    /**
     * Four worker fits of 0.1 to 0.4 s in our format, two master fits of 1.5 and 2.0 s in chimera's (the message
     * alone), and two lines that are not latencies.
     */
    private static final List<String> LOG = List.of(
            "2026-11-26 06:45:47,544 - chimera_time - INFO - http://127.0.0.1:8081/v1/chimera/model/fit worker "
            + "endpoint latency = 0.1 s",
            "2026-11-26 06:45:47,644 - chimera_time - INFO - http://127.0.0.1:8081/v1/chimera/model/fit worker "
            + "endpoint latency = 0.3 s",
            "http://127.0.0.1:8080/v1/chimera/aggregation/fit master endpoint latency = 1.5 s",
            "2026-11-26 06:45:47,744 - chimera_time - INFO - http://127.0.0.1:8081/v1/chimera/model/fit worker "
            + "endpoint latency = 0.4 s",
            "a line that is not a latency",
            "",
            "http://127.0.0.1:8080/v1/chimera/aggregation/fit master endpoint latency = 2.0 s",
            "http://127.0.0.1:8081/v1/chimera/model/fit worker endpoint latency = 0.2 s",
            "http://127.0.0.1:8081/v1/chimera/model/fit worker endpoint latency = soon s");

    @Test
    void statistics_matchTheHandComputedFigures() {
        final TimeLogReport report = TimeLogReport.parse("chimera_time.log", LOG);

        assertThat(report.skippedLines()).isEqualTo(2);
        assertThat(report.endpoints()).extracting(TimeLogReport.Endpoint::role, TimeLogReport.Endpoint::url)
                                      .containsExactly(
                                              org.assertj.core.groups.Tuple.tuple(
                                                      "master", "http://127.0.0.1:8080/v1/chimera/aggregation/fit"),
                                              org.assertj.core.groups.Tuple.tuple(
                                                      "worker", "http://127.0.0.1:8081/v1/chimera/model/fit"));
        // 0.1, 0.2, 0.3, 0.4: mean 0.25; deviations ±0.05, ±0.15 → variance (2·0.0025 + 2·0.0225) / 4 = 0.0125.
        final LatencyStatistics worker = report.endpoints().get(1).statistics();
        assertThat(worker.count()).isEqualTo(4);
        assertThat(worker.mean()).isCloseTo(0.25, within(1e-12));
        assertThat(worker.std()).isCloseTo(Math.sqrt(0.0125), within(1e-12));
        assertThat(worker.min()).isEqualTo(0.1);
        assertThat(worker.max()).isEqualTo(0.4);
        // Rank q/100 · (n - 1): p50 → 1.5 → 0.25; p95 → 2.85 → 0.3 + 0.85 · 0.1; p99 → 2.97 → 0.397.
        assertThat(worker.percentile(50)).isCloseTo(0.25, within(1e-12));
        assertThat(worker.percentile(95)).isCloseTo(0.385, within(1e-12));
        assertThat(worker.percentile(99)).isCloseTo(0.397, within(1e-12));
        // 1.5 and 2.0: mean 1.75, population std 0.25, p95 → rank 0.95 → 1.5 + 0.95 · 0.5.
        final LatencyStatistics master = report.endpoints().get(0).statistics();
        assertThat(master.count()).isEqualTo(2);
        assertThat(master.mean()).isCloseTo(1.75, within(1e-12));
        assertThat(master.std()).isCloseTo(0.25, within(1e-12));
        assertThat(master.percentile(95)).isCloseTo(1.975, within(1e-12));
    }

    @Test
    void histogram_hasEqualWidthBinsFromMinToMax_lastBinClosed() {
        final LatencyStatistics worker = TimeLogReport.parse("log", LOG).endpoints().get(1).statistics();

        assertThat(worker.binEdges(4)).containsExactly(new double[] { 0.1, 0.175, 0.25, 0.325, 0.4 }, within(1e-12));
        assertThat(worker.binCounts(4)).containsExactly(1, 1, 1, 1);
        assertThat(worker.binCounts(2)).containsExactly(2, 2);
    }

    @Test
    void histogram_ofEqualLatencies_spansFivePercentEitherSide() {
        final LatencyStatistics same = LatencyStatistics.of(new double[] { 0.002, 0.002, 0.002 });

        assertThat(same.std()).isZero();
        assertThat(same.binEdges(2)).containsExactly(new double[] { 0.0019, 0.002, 0.0021 }, within(1e-12));
        assertThat(same.binCounts(2)).containsExactly(0, 3);
    }

    @Test
    void histogram_leavesOutRareOutliersBeyondTwiceTheP99() {
        final double[] latencies = new double[100];
        java.util.Arrays.fill(latencies, 0.01);
        latencies[0] = 1.0;
        final LatencyStatistics s = LatencyStatistics.of(latencies);

        // p99: rank 98.01 between 0.01 and 1.0 → 0.0199; the histogram stops at 0.0398.
        assertThat(s.histogramMax()).isCloseTo(0.0398, within(1e-12));
        assertThat(s.aboveHistogram()).isEqualTo(1);
        assertThat(s.binCounts(3)).containsExactly(99, 0, 0);
        assertThat(s.max()).as("the statistics keep it").isEqualTo(1.0);
        assertThat(LatencyStatistics.of(new double[] { 0.1, 0.2, 0.3, 0.4 }).aboveHistogram()).isZero();
    }

    @Test
    void table_listsEachEndpointInMilliseconds() {
        final String table = TimeLogReport.parse("chimera_time.log", LOG).table();

        assertThat(table).startsWith("chimera_time.log: 6 latency lines, 2 endpoints (2 other lines skipped)\n");
        assertThat(table.lines()).anySatisfy(line -> assertThat(line.split("\\s+")).containsExactly(
                "worker", "http://127.0.0.1:8081/v1/chimera/model/fit", "4", "250.000", "111.803", "250.000",
                "385.000", "397.000", "400.000"));
        assertThat(table.lines()).anySatisfy(line -> assertThat(line.split("\\s+")).containsExactly(
                "master", "http://127.0.0.1:8080/v1/chimera/aggregation/fit", "2", "1750.000", "250.000",
                "1750.000", "1975.000", "1995.000", "2000.000"));
    }

    @Test
    void read_writesOneHistogramPngPerEndpoint(@TempDir Path dir) throws Exception {
        final Path log = Files.write(dir.resolve("chimera_time.log"), LOG);

        final List<Path> pngs = TimeLogReport.read(log).writeHistograms(dir.resolve("out"), 10);

        assertThat(pngs).extracting(p -> p.getFileName().toString()).containsExactly(
                "master_127.0.0.1_8080_v1_chimera_aggregation_fit.png", "worker_127.0.0.1_8081_v1_chimera_model_fit.png");
        for (Path png : pngs) {
            final BufferedImage image = ImageIO.read(png.toFile());
            assertThat(image.getWidth()).isEqualTo(900);
            assertThat(image.getHeight()).isEqualTo(480);
        }
    }

    @Test
    void read_missingFile_saysWhich(@TempDir Path dir) {
        assertThatThrownBy(() -> TimeLogReport.read(dir.resolve("nowhere.log")))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("cannot read")
                .hasMessageContaining("nowhere.log");
    }

    @Test
    void percentile_outOfRange_isRefused() {
        assertThatThrownBy(() -> LatencyStatistics.of(new double[] { 1 }).percentile(101))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("q: 101.0 (expected: 0..100)");
        assertThatThrownBy(() -> LatencyStatistics.of(new double[0]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("empty");
    }
}
