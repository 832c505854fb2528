package io.chimera.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.databind.JsonNode;

import io.chimera.common.ChimeraException;
import io.chimera.common.ErrorBody;
import io.chimera.runtime.WorkerEndpoint;
import io.chimera.strategy.parameterserver.ParameterServerMaster;
import io.chimera.strategy.parameterserver.SyncMode;

/** The parameter server's modes under stress: staleness bounds, slow and dying workers, bad steps. */
class SgdFaultsTest {

    static final String SGD = SgdScenariosTest.SGD_WORKER;

    static JsonNode history(ChimeraRun run) {
        return Rest.json(Rest.get(run.baseUrl() + "/v1/chimera/parameter-server/history").body());
    }

    @Test
    void boundedStaleness_noWorkerRunsMoreThanSStepsAhead(@TempDir Path dir) {
        final int s = 2;
        final TestProject project = new TestProject(dir).partitioned("sgd", 3, SGD, "breast-cancer");
        // One slow worker makes the others race ahead until the bound stops them.
        project.worker("slow", "io.chimera.server.SlowProxyWorker.main(args);",
                       TestProject.train("breast-cancer").resolve("X_train.csv"),
                       TestProject.train("breast-cancer").resolve("y_train.csv"));
        final ParameterServerMaster master = ParameterServerMaster.builder().loss("log_loss").maxIter(30)
                                                                  .mode(SyncMode.boundedStaleness(s)).build();
        try (ChimeraRun run = Chimera.builder(master).port(0).config(project.config())
                                     .projectDirectory(dir).start()) {
            assertThat(Rest.post(run.baseUrl() + "/v1/chimera/parameter-server/fit", null).statusCode())
                    .isEqualTo(200);
            final JsonNode h = history(run);
            assertThat(h.get("mode").asText()).isEqualTo("bounded_staleness");
            int steps = 0;
            long maxLead = 0;
            for (JsonNode it : h.get("iterations")) {
                for (JsonNode w : it.get("workers")) {
                    final long lead = w.path("clock").asLong() - w.path("slowest_clock").asLong();
                    assertThat(lead).as("iteration %s: %s", it.get("iteration"), w).isLessThanOrEqualTo(s);
                    maxLead = Math.max(maxLead, lead);
                    steps++;
                }
            }
            assertThat(steps).isEqualTo(30 * 4);
            // The bound was reached, so it was really what held the fast workers back.
            assertThat(maxLead).isEqualTo(s);
        }
    }

    @Test
    void slowWorker_asynchronousFinishesSoonerThanSynchronous(@TempDir Path dir) {
        final TestProject project = new TestProject(dir).partitioned("sgd", 2, SGD, "breast-cancer");
        project.worker("slow", "io.chimera.server.SlowProxyWorker.main(args);",
                       TestProject.train("breast-cancer").resolve("X_train.csv"),
                       TestProject.train("breast-cancer").resolve("y_train.csv"));
        final double sync = fitSeconds(project, SyncMode.synchronous());
        final double async = fitSeconds(project, SyncMode.asynchronous());
        assertThat(async).as("asynchronous %.2f s vs synchronous %.2f s", async, sync).isLessThan(sync * 0.6);
    }

    private static double fitSeconds(TestProject project, SyncMode mode) {
        final ParameterServerMaster master = ParameterServerMaster.builder().loss("log_loss").maxIter(40)
                                                                  .mode(mode).build();
        try (ChimeraRun run = Chimera.builder(master).port(0).config(project.config())
                                     .projectDirectory(project.dir()).start()) {
            // Warm every worker up first so that only the waiting differs.
            assertThat(Rest.post(run.baseUrl() + "/v1/chimera/parameter-server/fit", null).statusCode())
                    .isEqualTo(200);
            assertThat(Rest.post(run.baseUrl() + "/v1/chimera/parameter-server/fit", null).statusCode())
                    .isEqualTo(200);
            return history(run).get("elapsed_seconds").asDouble();
        }
    }

    @Test
    void workerKilledDuringFit_fitCompletesAndHistoryNamesIt(@TempDir Path dir) throws Exception {
        final TestProject project = new TestProject(dir).partitioned("sgd", 3, SGD, "breast-cancer");
        final ParameterServerMaster master = ParameterServerMaster.builder().loss("log_loss").maxIter(100_000)
                                                                  .epsilon(0).build();
        try (ChimeraRun run = Chimera.builder(master).port(0).config(project.config())
                                     .projectDirectory(dir).start()) {
            final CompletableFuture<HttpResponse<String>> fit = CompletableFuture.supplyAsync(
                    () -> Rest.post(run.baseUrl() + "/v1/chimera/parameter-server/fit", null));
            while (history(run).path("iterations").size() < 20) {
                Thread.sleep(20);
            }
            run.runtime().stop("sgd2");
            final HttpResponse<String> res = fit.get();
            assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
            assertThat(Rest.json(res.body()).get("failed_workers").get(0).asText()).isEqualTo("sgd2");
            final JsonNode h = history(run);
            assertThat(h.get("state").asText()).isEqualTo("fitted");
            assertThat(h.get("iterations").size()).isEqualTo(100_000);
            assertThat(h.get("dropped_workers").get(0).asText()).isEqualTo("sgd2");
            boolean namedInAnIteration = false;
            for (JsonNode it : h.get("iterations")) {
                for (JsonNode d : it.path("dropped_workers")) {
                    namedInAnIteration |= "sgd2".equals(d.asText());
                }
            }
            assertThat(namedInAnIteration).isTrue();
            final JsonNode last = h.get("iterations").get(h.get("iterations").size() - 1);
            assertThat(last.get("workers")).hasSize(2);
            assertThat(Rest.post(run.baseUrl() + "/v1/chimera/parameter-server/predict",
                                 Rest.predictBody(SgdScenariosTest.holdout("breast-cancer"))).statusCode())
                    .isEqualTo(200);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "wrong number of weights|{\"weights\": [0.1, 0.2], \"bias\": [0]}|weights",
            "NaN weight|{\"weights\": [\"NaN\",0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0], \"bias\": [0]}|NaN",
            "wrong number of biases|{\"weights\": [0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0], \"bias\": [0, 0]}|bias",
            "malformed JSON|{\"weights\": [0.1, |JSON",
            "misspelt field|{\"weight\": [0.1], \"bias\": [0]}|weight",
            "unknown loss|{\"weights\": [0], \"bias\": [0], \"options\": {\"loss\": \"cubic\"}}|cubic",
            "network tensors missing|{\"options\": {\"loss\": \"log_loss\", \"hidden_layers\": [4]}, \"parameters\": [{\"name\": \"w0\", \"tensor\": {\"shape\": [4, 30], \"values\": [0]}}]}|parameters: 1 tensors (expected: 4, w0..w1 then b0..b1, for layers [30, 4, 1])",
            "network tensor of the wrong shape|{\"options\": {\"loss\": \"log_loss\", \"hidden_layers\": [1]}, \"parameters\": [{\"name\": \"w0\", \"tensor\": {\"shape\": [1, 3], \"values\": [0, 0, 0]}}, {\"name\": \"w1\", \"tensor\": {\"shape\": [1, 1], \"values\": [0]}}, {\"name\": \"b0\", \"tensor\": {\"shape\": [1], \"values\": [0]}}, {\"name\": \"b1\", \"tensor\": {\"shape\": [1], \"values\": [0]}}]}|parameters[0]: w0 [1, 3] with 3 values (expected: w0 [1, 30])",
            "unknown activation|{\"options\": {\"loss\": \"log_loss\", \"hidden_layers\": [4], \"activation\": \"swish\"}}|activation: swish (expected: relu, tanh or sigmoid)",
            "hidden layer of no units|{\"options\": {\"loss\": \"log_loss\", \"hidden_layers\": [0]}}|hiddenLayers: [0]",
            "tensors for a linear model|{\"weights\": [0], \"bias\": [0], \"parameters\": [{\"name\": \"w0\"}]}|tensors for a linear model",
    })
    void fitStep_badInput_returns400AndWorkerStillServes(String name, String body, String mentions) {
        SharedSgdWorker.ensure(null);
        final String url = SharedSgdWorker.worker().baseUrl() + "/v1/chimera/sgd/fit-step";
        final HttpResponse<String> res = Rest.post(url, body, SharedSgdWorker.secret());
        assertThat(res.statusCode()).as(res.body()).isEqualTo(400);
        final ChimeraException e = ErrorBody.parse(400, res.body());
        assertThat(e).as(res.body()).isNotNull();
        assertThat(e.errorType()).isEqualTo("ValidationError");
        assertThat(e.getMessage()).contains(mentions);
        final String zeros = "0,".repeat(29) + "0";
        final HttpResponse<String> ok = Rest.post(url, "{\"weights\": [" + zeros + "], \"bias\": [0]}",
                                                  SharedSgdWorker.secret());
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        assertThat(Rest.json(ok.body()).get("weights_gradients")).hasSize(30);
        assertThat(ok.body()).startsWith("{\"weights_gradients\":[");
    }

    @Test
    void requestDataSample_answersChimeraNamesWithEveryClass() {
        SharedSgdWorker.ensure(null);
        final HttpResponse<String> res = Rest.get(SharedSgdWorker.worker().baseUrl()
                                                  + "/v1/chimera/sgd/request-data-sample", SharedSgdWorker.secret());
        assertThat(res.statusCode()).isEqualTo(200);
        final JsonNode body = Rest.json(res.body());
        assertThat(body.fieldNames()).toIterable().containsExactly(
                "X_train_sample_columns", "X_train_sample_rows", "y_train_sample_columns", "y_train_sample_rows");
        assertThat(body.get("X_train_sample_columns")).hasSize(30);
        assertThat(body.get("y_train_sample_columns").get(0).asText()).isEqualTo("target");
    }

    /** One SGD worker (regression default loss) on breast-cancer, shared by the bad-input cases. */
    static final class SharedSgdWorker {
        private static ChimeraRun run;

        static synchronized void ensure(Path ignored) {
            if (run == null) {
                final Path dir;
                try {
                    dir = java.nio.file.Files.createTempDirectory("chimera-sgd-worker");
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                final TestProject project = new TestProject(dir).sameData("sgd", 1, SGD, "breast-cancer");
                run = Chimera.builder(ParameterServerMaster.builder().build()).port(0).config(project.config())
                             .projectDirectory(dir).start();
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    run.close();
                    try (java.util.stream.Stream<Path> files = java.nio.file.Files.walk(dir)) {
                        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                    } catch (java.io.IOException e) {
                        // best effort: it is a temporary directory
                    }
                }));
            }
        }

        static WorkerEndpoint worker() {
            return run.workers().get(0);
        }

        static String secret() {
            return run.workerSecret().orElseThrow();
        }
    }
}
