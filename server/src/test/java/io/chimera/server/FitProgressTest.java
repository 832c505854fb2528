package io.chimera.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import io.chimera.observe.logging.TimeLogReport;
import io.chimera.strategy.parameterserver.ParameterServerMaster;

/**
 * A 200-iteration parameter-server fit on two SGD worker processes with {@code CHIMERA_PROGRESS=on}: progress
 * lines reach the run's progress output, the status and metrics show the same figures, and the time-log report
 * reads the run's {@code chimera_time.log} (its histograms are left in {@code target/latency-histograms}).
 */
class FitProgressTest {

    @Test
    void twoHundredIterationFit_printsProgressLines_andTheStatusShowsItsFigures(@TempDir Path dir) {
        final TestProject project = new TestProject(dir).partitioned("sgd", 2, SgdScenariosTest.SGD_WORKER, "iris");
        final List<String> lines = new CopyOnWriteArrayList<>();
        final String workerUrl;
        try (ChimeraRun run = Chimera.builder(ParameterServerMaster.builder().loss("log_loss").maxIter(200).build())
                                     .port(0).projectDirectory(dir).progressOutput(lines::add)
                                     .config(project.config(Map.of("CHIMERA_PROGRESS", "on"))).start()) {
            final HttpResponse<String> fit = Rest.post(run.baseUrl() + "/v1/chimera/parameter-server/fit", null);
            assertThat(fit.statusCode()).as(fit.body()).isEqualTo(200);

            assertThat(lines.get(0)).isEqualTo(
                    "[chimera] ParameterServerMaster: fit started on 2 workers, at most 200 iterations");
            assertThat(lines.get(1)).matches("\\[chimera\\] fit   1/200   0%  loss \\d+\\.\\d{6}  .*");
            assertThat(lines.get(lines.size() - 1))
                    .matches("\\[chimera\\] fit done in \\d+\\.\\d s: 200 iterations \\(max_iter\\), "
                             + "loss \\d\\.\\d{6}");

            final JsonNode history = Rest.json(Rest.get(run.baseUrl() + "/v1/chimera/parameter-server/history")
                                                   .body());
            final JsonNode iterations = history.get("iterations");
            final double lastLoss = iterations.get(iterations.size() - 1).get("loss").asDouble();
            final JsonNode model = MasterStatusTest.status(run).get("model");
            assertThat(model.get("state").asText()).isEqualTo("fitted");
            assertThat(model.get("options").get("loss").asText()).isEqualTo("log_loss");
            assertThat(model.get("options").get("maxIter").asText()).isEqualTo("200");
            assertThat(model.get("feature_columns")).extracting(JsonNode::asText).containsExactly(
                    "sepal_length_cm", "sepal_width_cm", "petal_length_cm", "petal_width_cm");
            final JsonNode progress = model.get("progress");
            assertThat(progress.get("iteration").asLong()).isEqualTo(200);
            assertThat(progress.get("max_iter").asLong()).isEqualTo(200);
            assertThat(progress.get("loss").asDouble()).isCloseTo(lastLoss, within(1e-12));
            assertThat(progress.get("iterations_per_second").asDouble()).isPositive();
            assertThat(progress.has("remaining_seconds")).as("nothing remains of a finished fit").isFalse();
            assertThat(Rest.get(run.baseUrl() + "/v1/chimera/metrics").body())
                    .contains("chimera_fit_iterations_total 200.0", "chimera_fit_iteration 200.0",
                              "chimera_fit_running 0.0")
                    .containsPattern("chimera_worker_call_duration_seconds_count\\{path=\"/v1/chimera/sgd/fit-step\","
                                     + "result=\"success\",worker=\"sgd1\"\\} 200");
            workerUrl = run.workers().get(1).baseUrl();
        }

        final TimeLogReport report = TimeLogReport.read(dir.resolve("chimera_time.log"));
        assertThat(report.endpoints()).anySatisfy(e -> {
            assertThat(e.url()).isEqualTo(workerUrl + "/v1/chimera/sgd/fit-step");
            assertThat(e.role()).isEqualTo("worker");
            assertThat(e.statistics().count()).isEqualTo(200);
        });
        assertThat(report.writeHistograms(Path.of("target", "latency-histograms"), TimeLogReport.DEFAULT_BINS))
                .hasSize(report.endpoints().size());
    }
}
