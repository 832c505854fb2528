package io.chimera.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import io.chimera.core.data.Dataset;
import io.chimera.core.metrics.Metrics;
import io.chimera.models.ModelMaster;
import io.chimera.strategy.parameterserver.ParameterServerMaster;
import io.chimera.strategy.parameterserver.ParameterServerMasterBuilder;
import io.chimera.strategy.parameterserver.SyncMode;

/**
 * A multi-layer perceptron through the parameter server with 4 workers, end to end through chimera's REST API
 * (issue 16): each worker answers the network's gradient over its shard by DJL's autograd, the master applies
 * the optimiser. It beats the linear model on breast-cancer's holdout, classifies iris's 3 classes with their
 * probabilities, fits in all three modes, and its exported model answers the same with no workers.
 */
class MlpParameterServerTest {

    private static final int WORKERS = 4;

    private static ParameterServerMasterBuilder mlp() {
        return ParameterServerMaster.builder().loss("log_loss").hiddenLayers(32).activation("relu");
    }

    @Test
    void breastCancer_networkBeatsTheLinearModel_andItsExportAnswersTheSameWithNoWorkers(@TempDir Path dir)
            throws Exception {
        final Dataset test = SgdScenariosTest.holdout("breast-cancer");
        final TestProject project = new TestProject(dir).partitioned("sgd", WORKERS, SgdScenariosTest.SGD_WORKER,
                                                                     "breast-cancer");
        final double linear = Metrics.binaryAccuracy(
                SgdScenariosTest.fitAndPredict(project, ParameterServerMaster.builder().loss("log_loss").build(),
                                               test), test.labels());
        final String body = Rest.predictBody(test);
        final String answer;
        try (ChimeraRun run = Chimera.builder(mlp().build()).port(0).config(project.config())
                                     .projectDirectory(project.dir()).start()) {
            fit(run);
            final JsonNode status = Rest.json(Rest.get(run.baseUrl() + "/v1/chimera/status").body());
            assertThat(status.toString()).contains("\"hiddenLayers\":\"[32]\"").contains("\"activation\":\"relu\"");
            final HttpResponse<String> res = Rest.post(run.baseUrl() + "/v1/chimera/parameter-server/predict", body);
            assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
            answer = res.body();
            final double network = Metrics.binaryAccuracy(Rest.doubles(Rest.json(answer).get("y_pred_rows")),
                                                           test.labels());
            System.out.printf("breast-cancer holdout accuracy: network %.4f, linear %.4f%n", network, linear);
            assertThat(network).isGreaterThanOrEqualTo(linear);

            final HttpResponse<String> model = Rest.get(run.baseUrl() + "/v1/chimera/parameter-server/model");
            assertThat(model.statusCode()).as(model.body()).isEqualTo(200);
            assertThat(Rest.json(model.body()).get("kind").asText()).isEqualTo("parameter-server");
            assertThat(Rest.json(model.body()).at("/strategy_model/model_class").asText())
                    .isEqualTo("io.chimera.strategy.sgd.MlpModel");
            Files.writeString(dir.resolve("network.json"), model.body());
        }
        // The workers are gone: the exported network needs none, and answers the very same.
        try (ChimeraRun served = Chimera.builder(ModelMaster.read(dir.resolve("network.json"))).port(0)
                                        .projectDirectory(dir).start()) {
            assertThat(served.workers()).isEmpty();
            final HttpResponse<String> res = Rest.post(served.baseUrl() + "/v1/chimera/parameter-server/predict",
                                                       body);
            assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
            assertThat(res.body()).isEqualTo(answer);
        }
    }

    @Test
    void iris_threeClassesWithTheirProbabilities(@TempDir Path dir) {
        final Dataset test = SgdScenariosTest.holdout("iris");
        final TestProject project = new TestProject(dir).partitioned("sgd", WORKERS, SgdScenariosTest.SGD_WORKER,
                                                                     "iris");
        try (ChimeraRun run = Chimera.builder(mlp().build()).port(0).config(project.config())
                                     .projectDirectory(project.dir()).start()) {
            fit(run);
            final HttpResponse<String> res = Rest.post(run.baseUrl() + "/v1/chimera/parameter-server/predict",
                                                       Rest.predictBody(test));
            assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
            final JsonNode answer = Rest.json(res.body());
            assertThat(Rest.doubles(answer.get("classes"))).containsExactly(0, 1, 2);
            final JsonNode proba = answer.get("y_pred_proba");
            assertThat(proba.get("rows").asInt()).isEqualTo(test.rows());
            assertThat(proba.get("cols").asInt()).isEqualTo(3);
            final double[] p = Rest.doubles(proba.get("values"));
            final double[] labels = Rest.doubles(answer.get("y_pred_rows"));
            for (int r = 0; r < test.rows(); r++) {
                assertThat(p[3 * r] + p[3 * r + 1] + p[3 * r + 2]).isCloseTo(1, within(1e-9));
                int best = 0;
                for (int c = 1; c < 3; c++) {
                    best = p[3 * r + c] > p[3 * r + best] ? c : best;
                }
                assertThat(labels[r]).isEqualTo(best);
            }
            final double accuracy = Metrics.accuracy(labels, test.labels());
            System.out.printf("iris holdout accuracy: network %.4f%n", accuracy);
            assertThat(accuracy).isGreaterThanOrEqualTo(0.9);
        }
    }

    @Test
    void asynchronousAndBoundedStaleness_fitTheNetworkToo(@TempDir Path dir) {
        final Dataset test = SgdScenariosTest.holdout("breast-cancer");
        final TestProject project = new TestProject(dir).partitioned("sgd", WORKERS, SgdScenariosTest.SGD_WORKER,
                                                                     "breast-cancer");
        for (SyncMode mode : new SyncMode[] { SyncMode.asynchronous(), SyncMode.boundedStaleness(2) }) {
            final double[] p = SgdScenariosTest.fitAndPredict(project, mlp().mode(mode).build(), test);
            final double accuracy = Metrics.binaryAccuracy(p, test.labels());
            final double auc = Metrics.rocAuc(p, test.labels());
            System.out.printf("breast-cancer holdout, network, %s: accuracy %.4f, ROC AUC %.4f%n", mode, accuracy,
                              auc);
            // As for the linear model (SgdScenariosTest): the updates come from whichever worker answers first,
            // which scheduling decides. Measured: accuracy .956 to .974 on a quiet machine, .939 in a CI run beside
            // other work. The bounds hold for every order; a network that did not learn (the majority class
            // scores .63) or diverged falls far below them.
            assertThat(auc).as(mode.toString()).isGreaterThanOrEqualTo(0.965);
            assertThat(accuracy).as(mode.toString()).isGreaterThanOrEqualTo(0.92);
        }
    }

    @Test
    void regression_learnsTheStandardisedTarget_andAnswersInItsUnits(@TempDir Path dir) {
        final Dataset test = SgdScenariosTest.holdout("diabetes-sklearn");
        final TestProject project = new TestProject(dir).partitioned("sgd", WORKERS, SgdScenariosTest.SGD_WORKER,
                                                                     "diabetes-sklearn");
        final double[] predictions = SgdScenariosTest.fitAndPredict(
                project, ParameterServerMaster.builder().loss("squared_error").hiddenLayers(16).activation("tanh")
                                              .alpha(0.01).build(), test);
        final double r2 = Metrics.r2(predictions, test.labels());
        System.out.printf("diabetes-sklearn holdout R²: network %.4f (ordinary least squares: 0.441)%n", r2);
        // In the target's units: a network answering standardised values would score far below 0.
        assertThat(r2).isGreaterThan(0.35);
    }

    private static void fit(ChimeraRun run) {
        final HttpResponse<String> fit = Rest.post(run.baseUrl() + "/v1/chimera/parameter-server/fit", null);
        assertThat(fit.statusCode()).as(fit.body()).isEqualTo(200);
        assertThat(Rest.json(fit.body()).get("fit").asText()).isEqualTo("ok");
    }
}
