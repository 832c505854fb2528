package io.chimera.workers;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.chimera.common.ChimeraException;
import io.chimera.common.ErrorBody;
import io.chimera.core.data.TestDatasets;
import io.chimera.core.learn.DecisionTreeClassifier;
import io.chimera.node.NodeServer;
import io.chimera.server.config.WorkerInjection;
import io.chimera.strategy.aggregation.ClassificationWorker;

/**
 * Conditions injected into a bagging worker served in this JVM: its fit (its one step) waits the step delay, each
 * answer the latency, and at its exit step it stops serving; health is never delayed.
 */
class WorkerInjectionTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static NodeServer start(WorkerInjection injection) {
        final Path data = TestDatasets.require("iris").resolve("chimera_train_data").resolve("w1");
        return new ClassificationWorker(DecisionTreeClassifier.builder().maxDepth(3).build())
                .start(new WorkerEnvironment("w1", 0, "127.0.0.1", 0, data, 7).withInjection(injection));
    }

    private static HttpResponse<String> post(NodeServer server, String path, String body) throws Exception {
        final HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path));
        b.header("Content-Type", "application/json");
        b.POST(body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    @Test
    void stepDelayAndLatency_slowTheFitAndThePredict_notTheHealthCheck() throws Exception {
        try (NodeServer server = start(new WorkerInjection(400, 200))) {
            long t0 = System.nanoTime();
            final HttpResponse<String> fit = post(server, "/v1/chimera/model/fit", null);
            assertThat(fit.statusCode()).as(fit.body()).isEqualTo(200);
            assertThat(seconds(t0)).as("fit: the step delay and the latency").isGreaterThanOrEqualTo(0.6);

            t0 = System.nanoTime();
            final HttpResponse<String> predict = post(server, "/v1/chimera/model/predict",
                                                      "{\"X_pred_columns\": [\"sepal_length_cm\", "
                                                      + "\"sepal_width_cm\", \"petal_length_cm\", "
                                                      + "\"petal_width_cm\"], \"X_pred_rows\": [[5.1, 3.5, 1.4, 0.2]]}");
            assertThat(predict.statusCode()).as(predict.body()).isEqualTo(200);
            final double predictSeconds = seconds(t0);
            assertThat(predictSeconds).as("predict: the latency").isGreaterThanOrEqualTo(0.2);

            t0 = System.nanoTime();
            final HttpResponse<String> health = HTTP.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/v1/chimera/health"))
                               .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(seconds(t0)).as("health is not delayed").isLessThan(0.2);
        }
    }

    @Test
    void exitAtStep_failsThatStep_andTheWorkerStopsServing() throws Exception {
        final NodeServer server = start(WorkerInjection.exitAtStep(1));
        final int port = server.port();
        try {
            final HttpResponse<String> fit = post(server, "/v1/chimera/model/fit", null);
            assertThat(fit.statusCode()).as(fit.body()).isEqualTo(503);
            final ChimeraException e = ErrorBody.parse(fit.statusCode(), fit.body());
            assertThat(e.errorType()).isEqualTo(ChimeraException.WORKERS_UNAVAILABLE_ERROR);
            assertThat(e.getMessage()).isEqualTo("worker w1 exits at step 1 (injected)");
            // Then it stops serving: health gets no answer.
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            boolean stopped = false;
            while (!stopped && System.nanoTime() < deadline) {
                try {
                    HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                                                                + "/v1/chimera/health")).build(),
                              HttpResponse.BodyHandlers.ofString());
                    Thread.sleep(100);
                } catch (java.io.IOException refused) {
                    stopped = true;
                }
            }
            assertThat(stopped).as("the worker stopped serving").isTrue();
        } finally {
            server.close();
        }
    }
}
