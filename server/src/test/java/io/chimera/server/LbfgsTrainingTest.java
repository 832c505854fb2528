package io.chimera.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import io.chimera.core.linear.LearningRate;
import io.chimera.core.linear.Penalty;
import io.chimera.strategy.parameterserver.ParameterServerMaster;
import io.chimera.strategy.parameterserver.SyncMode;

/**
 * Full-batch L-BFGS at the parameter server (issue 18): it reaches scikit-learn's optimum of the same regularised
 * log loss, gives the same weights on 1, 2 and 4 workers, and loses a worker mid-fit as the other modes do. The
 * references come from {@code tools/lbfgs_reference.py} (scikit-learn 1.2.1, tol 1e-12), with
 * {@code C = 1 / (alpha * n)} on features standardised as the parameter server standardises them.
 */
class LbfgsTrainingTest {

    private static ParameterServerMaster lbfgs(double alpha) {
        return ParameterServerMaster.builder().loss("log_loss").optimizer("lbfgs").alpha(alpha).maxIter(200)
                                    .build();
    }

    @Test
    void breastCancer_reachesScikitLearnsOptimum_andOneTwoFourWorkersAgree(@TempDir Path dir) throws Exception {
        final JsonNode reference = reference("breast-cancer");
        double[] first = null;
        for (int workers : new int[] { 1, 2, 4 }) {
            final TestProject project = new TestProject(Files.createDirectories(dir.resolve("w" + workers)))
                    .partitioned("sgd", workers, SgdScenariosTest.SGD_WORKER, "breast-cancer");
            final double[] params = SgdScenariosTest.fitAndExport(project, lbfgs(reference.get("alpha").asDouble()));
            assertCloseTo(params, reference, 1e-3);
            if (first == null) {
                first = params;
            } else {
                // Each fit stops once no gradient entry exceeds 1e-5; the L2 term makes the loss at least alpha-
                // strongly convex, so each stop lies within sqrt(d) * 1e-5 / alpha of the optimum, and two stops
                // within twice that of each other. float32 gradients summed in another order stay far below it.
                final double bound = 2 * Math.sqrt(params.length) * 1e-5 / reference.get("alpha").asDouble();
                for (int i = 0; i < params.length; i++) {
                    assertThat(params[i]).as("%d workers, parameter %d", workers, i)
                                         .isCloseTo(first[i], org.assertj.core.data.Offset.offset(bound));
                }
            }
        }
    }

    @Test
    void diabetesLike_reachesScikitLearnsOptimum_inAsFewIterationsAsScikitLearn(@TempDir Path dir)
            throws Exception {
        final JsonNode reference = reference("diabetes-like");
        final TestProject project = new TestProject(dir).partitioned("sgd", 4, SgdScenariosTest.SGD_WORKER,
                                                                     "diabetes-like");
        try (ChimeraRun run = Chimera.builder(lbfgs(reference.get("alpha").asDouble())).port(0)
                                     .config(project.config()).projectDirectory(project.dir()).start()) {
            final HttpResponse<String> fit = Rest.post(run.baseUrl() + "/v1/chimera/parameter-server/fit", null);
            assertThat(fit.statusCode()).as(fit.body()).isEqualTo(200);
            assertThat(fit.body()).isEqualTo("{\"fit\":\"ok\"}");
            final JsonNode linear = Rest.json(Rest.get(run.baseUrl() + "/v1/chimera/parameter-server/model").body())
                                        .get("linear");
            final double[] w = Rest.doubles(linear.get("weights"));
            final double[] params = java.util.Arrays.copyOf(w, w.length + 1);
            params[w.length] = linear.get("bias").get(0).asDouble();
            assertCloseTo(params, reference, 1e-3);
            final JsonNode history = SgdFaultsTest.history(run);
            final int rounds = history.get("iterations").size();
            System.out.printf("diabetes-like, L-BFGS over 4 workers: %d gradient rounds, stop %s (scikit-learn: %d "
                              + "iterations)%n", rounds, history.get("stop_reason").asText(),
                              reference.get("iterations").asInt());
            // Every gradient round is in the history; the line search adds rounds only when it must.
            assertThat(rounds).isLessThanOrEqualTo(3 * reference.get("iterations").asInt() + 10);
        }
    }

    @Test
    void aWorkerLostMidFit_isDroppedAndTheFitGoesOnWithTheOthers(@TempDir Path dir) throws Exception {
        final TestProject project = new TestProject(dir).partitioned("sgd", 2, SgdScenariosTest.SGD_WORKER,
                                                                     "breast-cancer");
        // A third worker behind a proxy that delays its answers, so that the fit lasts long enough to lose one.
        project.worker("slow", "io.chimera.server.SlowProxyWorker.main(args);",
                       TestProject.train("breast-cancer").resolve("X_train.csv"),
                       TestProject.train("breast-cancer").resolve("y_train.csv"));
        final ParameterServerMaster master = ParameterServerMaster.builder().loss("log_loss").optimizer("lbfgs")
                                                                  .alpha(1e-4).maxIter(200).build();
        try (ChimeraRun run = Chimera.builder(master).port(0).config(project.config())
                                     .projectDirectory(dir).start()) {
            final CompletableFuture<HttpResponse<String>> fit = CompletableFuture.supplyAsync(
                    () -> Rest.post(run.baseUrl() + "/v1/chimera/parameter-server/fit", null));
            while (SgdFaultsTest.history(run).path("iterations").size() < 3) {
                Thread.sleep(10);
            }
            run.runtime().stop("sgd2");
            final HttpResponse<String> res = fit.get();
            assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
            assertThat(Rest.json(res.body()).get("failed_workers").get(0).asText()).isEqualTo("sgd2");
            final JsonNode h = SgdFaultsTest.history(run);
            assertThat(h.get("state").asText()).isEqualTo("fitted");
            assertThat(h.get("dropped_workers").get(0).asText()).isEqualTo("sgd2");
            final JsonNode last = h.get("iterations").get(h.get("iterations").size() - 1);
            assertThat(last.get("workers")).hasSize(2);
            assertThat(Rest.post(run.baseUrl() + "/v1/chimera/parameter-server/predict",
                                 Rest.predictBody(SgdScenariosTest.holdout("breast-cancer"))).statusCode())
                    .isEqualTo(200);
        }
    }

    @Test
    void whatLbfgsCannotDo_isRefusedAtBuildWithTheReason() {
        assertThatThrownBy(() -> ParameterServerMaster.builder().optimizer("lbfgs").mode(SyncMode.asynchronous())
                                                      .build())
                .hasMessageStartingWith("optimizer lbfgs needs the synchronous mode (mode: asynchronous)");
        assertThatThrownBy(() -> ParameterServerMaster.builder().optimizer("lbfgs")
                                                      .mode(SyncMode.boundedStaleness(2)).build())
                .hasMessageStartingWith("optimizer lbfgs needs the synchronous mode");
        assertThatThrownBy(() -> ParameterServerMaster.builder().optimizer("lbfgs").batchSize(32).build())
                .hasMessage("optimizer lbfgs needs full shards (batchSize: 32; expected: 0)");
        assertThatThrownBy(() -> ParameterServerMaster.builder().optimizer("lbfgs").penalty(Penalty.L1).build())
                .hasMessage("optimizer lbfgs needs a smooth penalty (penalty: L1; expected: NONE or L2)");
        assertThatThrownBy(() -> ParameterServerMaster.builder().optimizer("lbfgs").loss("hinge").build())
                .hasMessageStartingWith("optimizer lbfgs needs a smooth loss (loss: hinge");
        assertThatThrownBy(() -> ParameterServerMaster.builder().optimizer("lbfgs")
                                                      .learningRate(LearningRate.adam(0.1)).build())
                .hasMessageContaining("is not used by optimizer lbfgs");
        assertThatThrownBy(() -> ParameterServerMaster.builder().optimizer("newton"))
                .hasMessage("optimizer: newton (expected: sgd or lbfgs)");
    }

    private static JsonNode reference(String dataset) throws Exception {
        return Rest.json(Files.readString(Path.of("src/test/resources/reference/lbfgs-" + dataset + ".json")));
    }

    /** The exported weights then bias against scikit-learn's coefficients then intercept. */
    private static void assertCloseTo(double[] params, JsonNode reference, double tolerance) {
        final double[] expected = java.util.Arrays.copyOf(Rest.doubles(reference.get("weights")), params.length);
        expected[params.length - 1] = reference.get("bias").asDouble();
        assertThat(params).hasSize(reference.get("weights").size() + 1);
        for (int i = 0; i < params.length; i++) {
            assertThat(Math.abs(params[i] - expected[i])).as("parameter %d: %s against scikit-learn's %s", i,
                                                             params[i], expected[i])
                                                         .isLessThanOrEqualTo(tolerance);
        }
    }
}
