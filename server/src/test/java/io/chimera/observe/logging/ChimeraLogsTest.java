package io.chimera.observe.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;

class ChimeraLogsTest {

    /** chimera's {@code asctime - name - levelname - message}. */
    private static final String LINE_START = "\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2},\\d{3} - ";

    @TempDir
    Path dir;

    @AfterEach
    void uninstall() {
        ChimeraLogs.uninstall();
    }

    /** chimera's time handler's line, whole: the message alone, no timestamp, name or level. */
    private static final String CHIMERA_TIME_LINE = "^\\S+ (master|worker) endpoint latency = \\d+(\\.\\d+)? s$";

    @Test
    void install_writesStatusFileInChimerasLineFormat() throws IOException {
        ChimeraLogs.install(dir);

        ChimeraLogs.status().info("fit started");

        assertThat(lines(dir.resolve("chimera_status.log")))
                .singleElement().asString().matches(LINE_START + "chimera_status - INFO - fit started");
    }

    @Test
    void install_writesTimeLinesExactlyAsChimera() throws IOException {
        ChimeraLogs.install(dir);

        ChimeraLogs.timeLine("http://127.0.0.1:8081/v1/chimera/model/fit", "worker", 0.012345);
        ChimeraLogs.timeLine("http://127.0.0.1:8080/v1/chimera/aggregation/fit", "master", 0.0456);
        ChimeraLogs.timeLine("http://127.0.0.1:8080/v1/chimera/aggregation/predict", "master", 2);

        final String expected = "http://127.0.0.1:8081/v1/chimera/model/fit worker endpoint latency = 0.0123 s"
                                + System.lineSeparator()
                                + "http://127.0.0.1:8080/v1/chimera/aggregation/fit master endpoint latency = 0.0456 s"
                                + System.lineSeparator()
                                + "http://127.0.0.1:8080/v1/chimera/aggregation/predict master endpoint latency = 2.0 s"
                                + System.lineSeparator();
        assertThat(Files.readAllBytes(dir.resolve("chimera_time.log")))
                .isEqualTo(expected.getBytes(StandardCharsets.UTF_8));
        assertThat(lines(dir.resolve("chimera_time.log"))).hasSize(3).allSatisfy(
                line -> assertThat(line).matches(CHIMERA_TIME_LINE));
    }

    @Test
    void timeLines_parseAsChimeraExamplesDo_oneEndpointPerUrl() throws IOException {
        ChimeraLogs.install(dir);
        ChimeraLogs.timeLine("http://127.0.0.1:8081/v1/chimera/model/fit", "worker", 0.1);
        ChimeraLogs.timeLine("http://127.0.0.1:8082/v1/chimera/model/fit", "worker", 0.2);

        // chimera-examples take what comes before " worker endpoint latency = " as the endpoint.
        assertThat(lines(dir.resolve("chimera_time.log")))
                .extracting(line -> line.split(" worker endpoint latency = ")[0])
                .containsExactly("http://127.0.0.1:8081/v1/chimera/model/fit",
                                 "http://127.0.0.1:8082/v1/chimera/model/fit");
    }

    @Test
    void installTwice_doesNotDuplicateLines() throws IOException {
        ChimeraLogs.install(dir);
        ChimeraLogs.install(dir);

        ChimeraLogs.status().info("once");

        assertThat(lines(dir.resolve("chimera_status.log"))).hasSize(1);
    }

    @Test
    void installElsewhere_movesTheFiles() throws IOException {
        final Path first = dir.resolve("first");
        final Path second = dir.resolve("second");
        ChimeraLogs.install(first);
        ChimeraLogs.status().info("to first");

        ChimeraLogs.install(second);
        ChimeraLogs.status().info("to second");

        assertThat(lines(first.resolve("chimera_status.log"))).singleElement().asString().endsWith("to first");
        assertThat(lines(second.resolve("chimera_status.log"))).singleElement().asString().endsWith("to second");
    }

    @Test
    void install_appendsToExistingFiles() throws IOException {
        Files.writeString(dir.resolve("chimera_status.log"), "from an earlier run\n");

        ChimeraLogs.install(dir);
        ChimeraLogs.status().info("this run");

        assertThat(lines(dir.resolve("chimera_status.log"))).hasSize(2).first().isEqualTo("from an earlier run");
    }

    @Test
    void debugLines_areNotWritten() throws IOException {
        ChimeraLogs.install(dir);

        ChimeraLogs.status().debug("noise");
        ChimeraLogs.time().debug("noise");

        assertThat(dir.resolve("chimera_status.log")).isEmptyFile();
        assertThat(dir.resolve("chimera_time.log")).isEmptyFile();
    }

    @ParameterizedTest
    @CsvSource({
            "0.012345, 0.0123",
            "0.0123, 0.0123",
            "0.0456, 0.0456",
            "1.5, 1.5",
            "2, 2.0",
            "100, 100.0",
            "12.34567, 12.3457",
            "0.00004, 0.0",
            "0, 0.0",
            // The binary values of these lie just above and just below the tie: Python gives 1.0001 and 0.0001.
            "1.00005, 1.0001",
            "0.00015, 0.0001",
    })
    void seconds_areRoundedAndPrintedLikePythonRound4(double seconds, String expected) {
        assertThat(ChimeraLogs.formatSeconds(seconds)).isEqualTo(expected);
    }

    @Test
    void timeLine_withUnknownRole_isRejected() {
        assertThatThrownBy(() -> ChimeraLogs.timeLine("http://127.0.0.1:8081/x", "client", 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("role: client (expected: worker or master)");
    }

    private static List<String> lines(Path file) throws IOException {
        return Files.readAllLines(file, StandardCharsets.UTF_8);
    }
}
