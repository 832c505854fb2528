package io.chimera.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;

import io.chimera.core.data.CsvDatasetLoader;
import io.chimera.core.data.Dataset;
import io.chimera.core.metrics.Metrics;
import io.chimera.strategy.parameterserver.ParameterServerMaster;
import io.chimera.strategy.parameterserver.SyncMode;

/** Distributed SGD through the parameter server, from raw CSVs, in each synchronisation mode. */
class SgdScenariosTest {

    static final String SGD_WORKER = "new SGDWorker().serve();";

    static Dataset holdout(String dataset) {
        final Path d = TestProject.dataset(dataset);
        return CsvDatasetLoader.load(d.resolve("X_test.csv"), d.resolve("y_test.csv"));
    }

    static double[] fitAndPredict(TestProject project, ParameterServerMaster master, Dataset test) {
        try (ChimeraRun run = Chimera.builder(master).port(0).config(project.config())
                                     .projectDirectory(project.dir()).start()) {
            final HttpResponse<String> fit = Rest.post(run.baseUrl() + "/v1/chimera/parameter-server/fit", null);
            assertThat(fit.statusCode()).as(fit.body()).isEqualTo(200);
            final JsonNode answer = Rest.json(fit.body());
            assertThat(answer.get("fit").asText()).as(fit.body()).isEqualTo("ok");
            assertThat(answer.has("failed_workers")).as(fit.body()).isFalse();
            // Beside it, a log-loss fit on separable data (iris, breast-cancer) may say it has not converged: its
            // loss still falls at max_iter (issue 16's warning; HonestConvergenceTest).
            final JsonNode h = Rest.json(Rest.get(run.baseUrl() + "/v1/chimera/parameter-server/history").body());
            assertThat(h.get("state").asText()).isEqualTo("fitted");
            assertThat(h.get("iterations").size()).isGreaterThanOrEqualTo(1);
            final HttpResponse<String> res = Rest.post(run.baseUrl() + "/v1/chimera/parameter-server/predict",
                                                       Rest.predictBody(test));
            assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
            final JsonNode body = Rest.json(res.body());
            return Rest.doubles(body.get("y_pred_rows"));
        }
    }

    /** Fits, then answers the exported model's parameters: the weights, then the biases. */
    static double[] fitAndExport(TestProject project, ParameterServerMaster master) throws Exception {
        try (ChimeraRun run = Chimera.builder(master).port(0).config(project.config())
                                     .projectDirectory(project.dir()).start()) {
            final HttpResponse<String> fit = Rest.post(run.baseUrl() + "/v1/chimera/parameter-server/fit", null);
            assertThat(fit.statusCode()).as(fit.body()).isEqualTo(200);
            final JsonNode linear = Rest.json(Rest.get(run.baseUrl() + "/v1/chimera/parameter-server/model").body())
                                        .get("linear");
            final double[] w = Rest.doubles(linear.get("weights"));
            final double[] b = Rest.doubles(linear.get("bias"));
            final double[] all = java.util.Arrays.copyOf(w, w.length + b.length);
            System.arraycopy(b, 0, all, w.length, b.length);
            return all;
        }
    }

    /** What a scenario must reach on the holdout, given the predictions and the labels. */
    interface Check {
        void verify(double[] predictions, double[] labels);
    }

    static Stream<Arguments> scenarios() {
        final List<Arguments> all = new ArrayList<>();
        for (SyncMode mode : List.of(SyncMode.synchronous(), SyncMode.asynchronous(),
                                     SyncMode.boundedStaleness(1))) {
            // scikit-learn on the same split: AUC .801, accuracy .866.
            all.add(Arguments.of("diabetes-like", 4, "log_loss", mode, (Check) (p, y) -> {
                assertThat(Metrics.rocAuc(p, y)).isGreaterThanOrEqualTo(0.795);
                assertThat(Metrics.binaryAccuracy(p, y)).isGreaterThanOrEqualTo(0.862);
            }));
            // From the raw CSVs; scikit-learn's LinearRegression: R² .279.
            all.add(Arguments.of("wine-like", 3, "squared_error", mode,
                                 (Check) (p, y) -> assertThat(Metrics.r2(p, y)).isGreaterThanOrEqualTo(0.27)));
            // Multinomial: y_pred_rows holds labels.
            all.add(Arguments.of("iris", 2, "log_loss", mode,
                                 (Check) (p, y) -> assertThat(Metrics.accuracy(p, y)).isGreaterThanOrEqualTo(0.9)));
            // scikit-learn: accuracy .974 (3 of the 114 holdout rows wrong). The asynchronous modes' updates come
            // from whichever worker answers first, which scheduling decides: measured at load average 4, accuracy
            // .947 to .974 and ROC AUC .987 to .994 over the same fit repeated; at load average 15 (a CI run beside
            // two builds) one worker made most of the updates and the AUC was .973. Synchronous fits do not
            // depend on the order. The bounds hold for every order, and a model that is wrong (say unstandardised
            // or diverged) falls far below them.
            final boolean ordered = mode.kind() == SyncMode.Kind.SYNCHRONOUS;
            all.add(Arguments.of("breast-cancer", 2, "log_loss", mode, (Check) (p, y) -> {
                assertThat(Metrics.rocAuc(p, y)).isGreaterThanOrEqualTo(ordered ? 0.98 : 0.965);
                assertThat(Metrics.binaryAccuracy(p, y)).isGreaterThanOrEqualTo(ordered ? 0.94 : 0.92);
            }));
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0} over {1} workers, {2}, {3}")
    @MethodSource("scenarios")
    void partitionedData_reachesScikitLearnQuality(String dataset, int workers, String loss, SyncMode mode,
                                                   Check check, @TempDir Path dir) {
        final Dataset test = holdout(dataset);
        final double[] predictions = fitAndPredict(
                new TestProject(dir).partitioned("sgd", workers, SGD_WORKER, dataset),
                ParameterServerMaster.builder().loss(loss).mode(mode).build(), test);
        check.verify(predictions, test.labels());
    }
}
