package io.chimera.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.chimera.common.ChimeraException;
import io.chimera.common.ErrorBody;
import io.chimera.core.data.CsvDatasetLoader;
import io.chimera.core.data.Dataset;
import io.chimera.core.metrics.Metrics;
import io.chimera.server.Chimera;
import io.chimera.server.ChimeraRun;
import io.chimera.server.config.ChimeraConfig;
import io.chimera.strategy.aggregation.AggregationMaster;

/** Custom learners through the whole stack: workers, master, REST. */
class CustomLearnerTest {

    static final Path DATA = Path.of("../data/breast-cancer");
    static final ObjectMapper JSON = new ObjectMapper();

    static ChimeraRun start(Path dir, String statement, int workers) throws Exception {
        final List<String> names = ExampleData.project(dir, "breast-cancer", "w", workers, statement, false);
        final ChimeraConfig config = ChimeraConfig.builder().environment(Map.of()).systemProperties(new Properties())
                                                  .workerNames(names).mappedPorts(Demo.freePorts(workers))
                                                  .runtime("process").build();
        return Chimera.builder(new AggregationMaster()).port(0).config(config).projectDirectory(dir).start();
    }

    @Test
    void gaussianNaiveBayes_baggedLikeTheBuiltInTrees(@TempDir Path dir) throws Exception {
        final Dataset test = CsvDatasetLoader.load(DATA.resolve("X_test.csv"), DATA.resolve("y_test.csv"));
        try (ChimeraRun run = start(dir, "new ClassificationWorker("
                                         + "new io.chimera.examples.learners.GaussianNaiveBayes(), true).serve();", 2)) {
            final HttpClient http = HttpClient.newHttpClient();
            assertThat(Demo.post(http, run.baseUrl() + "/v1/chimera/aggregation/fit", null).statusCode())
                    .isEqualTo(200);
            final HttpResponse<String> res = Demo.post(http, run.baseUrl() + "/v1/chimera/aggregation/predict",
                                                       Demo.predictBody(test));
            assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
            final JsonNode rows = JSON.readTree(res.body()).get("y_pred_rows");
            final double[] p = new double[rows.size()];
            for (int i = 0; i < p.length; i++) {
                p[i] = rows.get(i).asDouble();
            }
            // scikit-learn's GaussianNB on this split: accuracy .93.
            assertThat(Metrics.binaryAccuracy(p, test.labels())).isGreaterThanOrEqualTo(0.9);
        }
    }

    @Test
    void learnerAnsweringTheWrongShape_isAClearErrorAndTheWorkerStaysUp(@TempDir Path dir) throws Exception {
        final Dataset test = CsvDatasetLoader.load(DATA.resolve("X_test.csv"), DATA.resolve("y_test.csv"));
        try (ChimeraRun run = start(dir, "new ClassificationWorker(new io.chimera.examples.BrokenLearner())"
                                         + ".serve();", 1)) {
            final HttpClient http = HttpClient.newHttpClient();
            assertThat(Demo.post(http, run.baseUrl() + "/v1/chimera/aggregation/fit", null).statusCode())
                    .isEqualTo(200);
            final String worker = run.workers().get(0).baseUrl();
            // Called directly, with the run's secret, which a worker takes calls with only.
            final HttpResponse<String> direct = http.send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(worker + "/v1/chimera/model/predict"))
                    .header("Content-Type", "application/json")
                    .header("Authorization", "Bearer " + run.workerSecret().orElseThrow())
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(Demo.predictBody(test))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(direct.statusCode()).isEqualTo(500);
            final ChimeraException e = ErrorBody.parse(500, direct.body());
            assertThat(e.errorType()).isEqualTo("InternalError");
            assertThat(e.getMessage()).isEqualTo("learner BrokenLearner returned 227 values for 114 rows and 2 "
                                                 + "classes (expected: 228)");
            final HttpResponse<String> viaMaster = Demo.post(http, run.baseUrl() + "/v1/chimera/aggregation/predict",
                                                             Demo.predictBody(test));
            assertThat(viaMaster.statusCode()).isEqualTo(503);
            assertThat(ErrorBody.parse(503, viaMaster.body()).getMessage()).contains("returned 227 values");
            final HttpResponse<String> health = http.send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(worker + "/v1/chimera/health")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
        }
        assertThat(Files.exists(dir)).isTrue();
    }
}
