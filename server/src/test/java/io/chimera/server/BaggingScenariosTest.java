package io.chimera.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import io.chimera.core.data.CsvDatasetLoader;
import io.chimera.core.data.Dataset;
import io.chimera.core.metrics.Metrics;
import io.chimera.strategy.aggregation.AggregationMaster;

/** Fit and predict through the master for each task, with the same and with different data per worker. */
class BaggingScenariosTest {

    static final String CLASSIFIER =
            "new ClassificationWorker(DecisionTreeClassifier.builder().maxDepth(5).build(), true).serve();";
    static final String REGRESSOR =
            "new RegressionWorker(DecisionTreeRegressor.builder().maxDepth(5).build(), true).serve();";

    static Dataset holdout(String dataset) {
        final Path d = TestProject.dataset(dataset);
        return CsvDatasetLoader.load(d.resolve("X_test.csv"), d.resolve("y_test.csv"));
    }

    static JsonNode fitAndPredict(TestProject project, Dataset test) {
        return fitAndPredict(project, test, java.util.Map.of());
    }

    static JsonNode fitAndPredict(TestProject project, Dataset test, java.util.Map<String, String> env) {
        try (ChimeraRun run = Chimera.builder(new AggregationMaster()).port(0).config(project.config(env))
                                     .projectDirectory(project.dir()).start()) {
            final HttpResponse<String> fit = Rest.post(run.baseUrl() + "/v1/chimera/aggregation/fit", null);
            assertThat(fit.statusCode()).as(fit.body()).isEqualTo(200);
            final HttpResponse<String> res = Rest.post(run.baseUrl() + "/v1/chimera/aggregation/predict",
                                                       Rest.predictBody(test));
            assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
            return Rest.json(res.body());
        }
    }

    @Test
    void classification_differentDataPerWorker_hybridParallelism(@TempDir Path dir) {
        final Dataset test = holdout("breast-cancer");
        final JsonNode body = fitAndPredict(new TestProject(dir).partitioned("part", 3, CLASSIFIER,
                                                                              "breast-cancer"), test);
        final double[] p = Rest.doubles(body.get("y_pred_rows"));
        int correct = 0;
        for (int i = 0; i < p.length; i++) {
            correct += (p[i] >= 0.5 ? 1 : 0) == test.label(i) ? 1 : 0;
        }
        assertThat((double) correct / p.length).isGreaterThanOrEqualTo(0.89);
    }

    @Test
    void regression_sameData_meanOfWorkers(@TempDir Path dir) {
        final Dataset test = holdout("wine-like");
        final JsonNode body = fitAndPredict(new TestProject(dir).sameData("reg", 2, REGRESSOR, "wine-like"), test);
        assertThat(body.has("classes")).isFalse();
        final double[] y = Rest.doubles(body.get("y_pred_rows"));
        assertThat(y).hasSize(test.rows());
        assertThat(Metrics.r2(y, test.labels())).isGreaterThan(0.2);
    }

    @Test
    void restTransport_workersSpeakChimerasJson(@TempDir Path dir) throws Exception {
        // The master talks to its workers with chimera's REST API (X_pred_rows), as it would to chimera's own.
        final Dataset test = holdout("wine-like");
        final JsonNode body = fitAndPredict(new TestProject(dir).partitioned("reg", 2, REGRESSOR, "wine-like"),
                                            test, java.util.Map.of("CHIMERA_WORKERS_TRANSPORT", "rest"));
        assertThat(Metrics.r2(Rest.doubles(body.get("y_pred_rows")), test.labels())).isGreaterThan(0.2);
        assertThat(java.nio.file.Files.readString(dir.resolve("chimera_time.log")))
                .contains("/v1/chimera/model/predict worker endpoint latency");
    }

    @Test
    void declarativeWorkers_needNoJavaCode(@TempDir Path dir) {
        final Dataset test = holdout("breast-cancer");
        final String json = "{\"kind\": \"classification\", \"learner\": \"decision_tree_classifier\","
                            + " \"params\": {\"max_depth\": 5}, \"bootstrap\": true}";
        final TestProject project = new TestProject(dir).declarative("tree1", json, "breast-cancer")
                                                        .declarative("tree2", json, "breast-cancer")
                                                        .declarative("tree3", json, "breast-cancer");
        final double[] p = Rest.doubles(fitAndPredict(project, test).get("y_pred_rows"));
        assertThat(Metrics.binaryAccuracy(p, test.labels())).isGreaterThanOrEqualTo(0.89);
    }

    @Test
    void declarativeWorker_withAnUnknownLearner_failsStartNamingTheValidOnes(@TempDir Path dir) {
        final TestProject project = new TestProject(dir).declarative(
                "tree1", "{\"kind\": \"classification\", \"learner\": \"random_forest\"}", "breast-cancer");
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> Chimera.builder(new AggregationMaster()).port(0).config(project.config())
                             .projectDirectory(dir).start())
                .isInstanceOf(io.chimera.runtime.WorkerStartException.class)
                .hasMessageContaining("tree1")
                .hasMessageContaining("random_forest")
                .hasMessageContaining("decision_tree_classifier, decision_tree_regressor");
    }

    @Test
    void regression_differentDataPerWorker(@TempDir Path dir) {
        final Dataset test = holdout("wine-like");
        final JsonNode body = fitAndPredict(new TestProject(dir).partitioned("reg", 3, REGRESSOR, "wine-like"),
                                            test);
        assertThat(Metrics.r2(Rest.doubles(body.get("y_pred_rows")), test.labels())).isGreaterThan(0.2);
    }

    @Test
    void multiClass_returnsLabelsAndProbabilities(@TempDir Path dir) {
        final Dataset test = holdout("iris");
        final JsonNode body = fitAndPredict(new TestProject(dir).sameData("tree", 3, CLASSIFIER, "iris"), test);
        assertThat(Rest.doubles(body.get("classes"))).containsExactly(0, 1, 2);
        final double[] labels = Rest.doubles(body.get("y_pred_rows"));
        final JsonNode proba = body.get("y_pred_proba");
        assertThat(proba.get("rows").asInt()).isEqualTo(test.rows());
        assertThat(proba.get("cols").asInt()).isEqualTo(3);
        final double[] p = Rest.doubles(proba.get("values"));
        int correct = 0;
        for (int r = 0; r < test.rows(); r++) {
            assertThat(p[3 * r] + p[3 * r + 1] + p[3 * r + 2]).isCloseTo(1.0,
                    org.assertj.core.data.Offset.offset(1e-9));
            int best = 0;
            for (int j = 1; j < 3; j++) {
                best = p[3 * r + j] > p[3 * r + best] ? j : best;
            }
            assertThat(labels[r]).isEqualTo(best);
            correct += labels[r] == test.label(r) ? 1 : 0;
        }
        assertThat((double) correct / test.rows()).isGreaterThanOrEqualTo(0.9);
    }
}
