package io.chimera.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.linecorp.armeria.client.grpc.GrpcClients;

import io.chimera.common.ChimeraException;
import io.chimera.common.ErrorBody;
import io.chimera.common.Table;
import io.chimera.core.data.Dataset;
import io.chimera.proto.v1.AggregationMasterServiceGrpc;
import io.chimera.proto.v1.PredictRequest;
import io.chimera.proto.v1.PredictResponse;
import io.chimera.strategy.aggregation.AggregationMaster;
import io.chimera.strategy.parameterserver.ParameterServerMaster;

/**
 * Concurrent calls on a master: one fit at a time, predict during a fit never answers from a half-updated
 * model, and many concurrent predicts all get the right answer.
 */
class ConcurrencyTest {

    private static final String SLOW_TREE = "io.chimera.server.SlowProxyWorker.main(new String[] {\"classification\", \"1500\", \"/fit\"});";

    @Test
    void aggregation_oneFitAtATime_andPredictDuringAFitIs409(@TempDir Path dir) throws Exception {
        final TestProject project = new TestProject(dir).sameData("tree", 2, BaggingScenariosTest.CLASSIFIER,
                                                                  "breast-cancer");
        project.worker("slow", SLOW_TREE, TestProject.train("breast-cancer").resolve("X_train.csv"),
                       TestProject.train("breast-cancer").resolve("y_train.csv"));
        final Dataset test = BaggingScenariosTest.holdout("breast-cancer");
        final String predict = Rest.predictBody(test);
        try (ChimeraRun run = Chimera.builder(new AggregationMaster()).port(0).config(project.config())
                                     .projectDirectory(dir).start()) {
            final String url = run.baseUrl() + "/v1/chimera/aggregation/";
            assertError(Rest.post(url + "predict", predict), 409, "NotFittedError");

            for (int round = 0; round < 2; round++) {
                final CompletableFuture<HttpResponse<String>> fit =
                        CompletableFuture.supplyAsync(() -> Rest.post(url + "fit", null));
                awaitError(url + "predict", predict, "FitInProgressError");
                // A predict during the fit is refused: some workers would answer with the new model and some
                // with the old, a mix that no fit ever produced (docs/reliability.md).
                assertError(Rest.post(url + "predict", predict), 409, "FitInProgressError");
                assertError(Rest.post(url + "fit", null), 409, "FitInProgressError");
                final HttpResponse<String> done = fit.get(60, TimeUnit.SECONDS);
                assertThat(done.statusCode()).as(done.body()).isEqualTo(200);
                assertThat(Rest.json(done.body()).path("failed_workers")).isEmpty();
                assertThat(Rest.post(url + "predict", predict).statusCode()).isEqualTo(200);
            }
        }
    }

    @Test
    void parameterServer_predictDuringAFit_answersThePreviousModelExactly(@TempDir Path dir) throws Exception {
        final TestProject project = new TestProject(dir).partitioned("sgd", 2, SgdScenariosTest.SGD_WORKER,
                                                                     "breast-cancer");
        final String predict = Rest.predictBody(BaggingScenariosTest.holdout("breast-cancer"));
        // Long enough to be caught in the middle: every fit starts again from zero weights.
        final ParameterServerMaster master = ParameterServerMaster.builder().loss("log_loss").maxIter(3000)
                                                                  .epsilon(0).build();
        try (ChimeraRun run = Chimera.builder(master).port(0).config(project.config()).projectDirectory(dir)
                                     .start()) {
            final String url = run.baseUrl() + "/v1/chimera/parameter-server/";
            assertThat(Rest.post(url + "fit", null).statusCode()).isEqualTo(200);
            final HttpResponse<String> before = Rest.post(url + "predict", predict);
            assertThat(before.statusCode()).isEqualTo(200);

            final CompletableFuture<HttpResponse<String>> fit =
                    CompletableFuture.supplyAsync(() -> Rest.post(url + "fit", null));
            int during = 0;
            int refused = 0;
            while (!fit.isDone()) {
                final JsonNode history = Rest.json(Rest.get(url + "history").body());
                if ("fitting".equals(history.path("state").asText())) {
                    if (history.path("iterations").size() < 1500) {
                        // Far from the end, so that the fit cannot finish in between.
                        assertError(Rest.post(url + "fit", null), 409, "FitInProgressError");
                        refused++;
                    }
                    final HttpResponse<String> res = Rest.post(url + "predict", predict);
                    assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
                    assertThat(res.body()).as("a predict during the fit").isEqualTo(before.body());
                    during++;
                }
            }
            assertThat(fit.get().statusCode()).isEqualTo(200);
            assertThat(during).as("predicts answered while the fit ran").isGreaterThan(0);
            assertThat(refused).as("fits refused while the fit ran").isGreaterThan(0);
        }
    }

    @Test
    void predict_16ConcurrentClients_noErrorAndEveryAnswerRight(@TempDir Path dir) {
        final TestProject project = new TestProject(dir).sameData("tree", 3, BaggingScenariosTest.CLASSIFIER,
                                                                  "breast-cancer");
        final Dataset test = BaggingScenariosTest.holdout("breast-cancer");
        final Table rows = Table.of(test.featureNames(), Arrays.copyOf(test.features(), 10 * test.cols()), 10);
        try (ChimeraRun run = Chimera.builder(new AggregationMaster()).port(0).config(project.config())
                                     .projectDirectory(dir).start()) {
            final String url = run.baseUrl() + "/v1/chimera/aggregation/predict";
            assertThat(Rest.post(run.baseUrl() + "/v1/chimera/aggregation/fit", null).statusCode()).isEqualTo(200);
            final String body = PredictLoadBenchmark.body(rows);
            final String expected = Rest.post(url, body).body();
            assertThat(Rest.json(expected).get("y_pred_rows")).hasSize(10);

            final PredictLoad.Result rest = PredictLoad.rest(url, body, expected, 16, 150);
            System.out.println("REST predict load: " + rest);
            assertThat(rest.errors).as("%s", rest.firstErrors).isZero();

            final PredictRequest request = rows.toPredictRequest();
            final PredictResponse reference = GrpcClients.newClient(
                    run.baseUrl(), AggregationMasterServiceGrpc.AggregationMasterServiceBlockingStub.class)
                    .predict(request);
            final PredictLoad.Result grpc = PredictLoad.grpc(run.baseUrl(), request, reference, 16, 150);
            System.out.println("gRPC predict load: " + grpc);
            assertThat(grpc.errors).as("%s", grpc.firstErrors).isZero();
        }
    }

    private static void assertError(HttpResponse<String> res, int status, String type) {
        assertThat(res.statusCode()).as(res.body()).isEqualTo(status);
        final ChimeraException e = ErrorBody.parse(res.statusCode(), res.body());
        assertThat(e).as(res.body()).isNotNull();
        assertThat(e.errorType()).isEqualTo(type);
    }

    /** Polls {@code predict} until it answers 409 {@code type}: the fit has begun. */
    private static void awaitError(String url, String body, String type) throws InterruptedException {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            final HttpResponse<String> res = Rest.post(url, body);
            if (res.statusCode() == 409 && res.body().contains(type)) {
                return;
            }
            Thread.sleep(5);
        }
        throw new AssertionError("the fit never began");
    }
}
