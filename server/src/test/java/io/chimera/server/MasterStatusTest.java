package io.chimera.server;

import static io.chimera.server.ModelExportTest.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.linecorp.armeria.client.grpc.GrpcClients;

import io.chimera.core.data.CsvDatasetLoader;
import io.chimera.core.data.Dataset;
import io.chimera.models.ModelMaster;
import io.chimera.proto.v1.MasterStatus;
import io.chimera.proto.v1.StatusRequest;
import io.chimera.proto.v1.StatusServiceGrpc.StatusServiceBlockingStub;
import io.chimera.proto.v1.WorkerStatus;
import io.chimera.strategy.aggregation.AggregationMaster;

/**
 * A master's status, latencies, metrics and dashboard routes, on an {@link AggregationMaster} with three
 * bagged-tree worker processes on iris that has fitted and predicted once; and the status of a master whose
 * worker was killed, and of one serving an imported model.
 */
class MasterStatusTest {

    @TempDir
    static Path dir;
    static ChimeraRun run;
    static Dataset test;

    @BeforeAll
    static void fitAndPredict() {
        final TestProject project = new TestProject(dir).sameData("tree", 3, BaggingScenariosTest.CLASSIFIER, "iris");
        final Path d = TestProject.dataset("iris");
        test = CsvDatasetLoader.load(d.resolve("X_test.csv"), d.resolve("y_test.csv"));
        run = Chimera.builder(new AggregationMaster()).port(0).config(project.config()).projectDirectory(dir)
                     .start();
        assertThat(Rest.post(run.baseUrl() + "/v1/chimera/aggregation/fit", null).statusCode()).isEqualTo(200);
        final HttpResponse<String> predict = Rest.post(run.baseUrl() + "/v1/chimera/aggregation/predict",
                                                       Rest.predictBody(test));
        assertThat(predict.statusCode()).as(predict.body()).isEqualTo(200);
    }

    @AfterAll
    static void stop() {
        if (run != null) {
            run.close();
        }
    }

    static JsonNode status(ChimeraRun run) {
        final HttpResponse<String> res = Rest.get(run.baseUrl() + "/v1/chimera/status");
        assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
        return Rest.json(res.body());
    }

    @Test
    void status_showsRuntimeWorkersAndTheFittedModel() {
        final JsonNode s = status(run);

        assertThat(s.get("master").asText()).isEqualTo("AggregationMaster");
        assertThat(s.get("runtime").asText()).isEqualTo("process");
        assertThat(s.get("uptime_seconds").asDouble()).isPositive();
        assertThat(s.get("workers")).hasSize(3);
        for (int i = 0; i < 3; i++) {
            final JsonNode w = s.get("workers").get(i);
            assertThat(w.get("name").asText()).isEqualTo("tree" + (i + 1));
            assertThat(w.get("address").asText()).isEqualTo(run.workers().get(i).baseUrl());
            assertThat(w.has("container_id")).as("a process has no container").isFalse();
            assertThat(w.get("health").asText()).isEqualTo("healthy");
            assertThat(w.get("calls").asLong()).isGreaterThanOrEqualTo(2);
            assertThat(w.get("last_endpoint").asText()).isEqualTo("/v1/chimera/model/predict");
            assertThat(w.get("last_latency_seconds").asDouble()).isPositive();
        }
        final JsonNode model = s.get("model");
        assertThat(model.get("state").asText()).isEqualTo("fitted");
        assertThat(model.get("strategy").asText()).isEqualTo("aggregation");
        assertThat(model.get("fits").asLong()).isEqualTo(1);
        assertThat(model.get("fitted_time").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
        assertThat(model.get("fit_seconds").asDouble()).isPositive();
        assertThat(model.get("progress").get("workers_done").asInt()).isEqualTo(3);
        assertThat(model.get("progress").get("workers_total").asInt()).isEqualTo(3);
    }

    @Test
    void status_overGrpc_isTheSameMessage() {
        final MasterStatus s = GrpcClients.newClient(run.baseUrl(), StatusServiceBlockingStub.class)
                                          .status(StatusRequest.getDefaultInstance());

        assertThat(s.getWorkersList()).extracting(WorkerStatus::getName).containsExactly("tree1", "tree2", "tree3");
        assertThat(s.getWorkersList()).extracting(WorkerStatus::getHealth).containsOnly("healthy");
        assertThat(s.getModel().getState()).isEqualTo("fitted");
    }

    @Test
    void latencies_summariseEachEndpointTheMasterServedAndCalled() {
        final HttpResponse<String> res = Rest.get(run.baseUrl() + "/v1/chimera/latencies");
        assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
        final JsonNode endpoints = Rest.json(res.body()).get("endpoints");

        assertThat(endpoints).anySatisfy(e -> {
            assertThat(e.get("role").asText()).isEqualTo("master");
            assertThat(e.get("url").asText()).isEqualTo(run.baseUrl() + "/v1/chimera/aggregation/predict");
            assertThat(e.get("count").asLong()).isGreaterThanOrEqualTo(1);
            assertThat(e.get("mean_seconds").asDouble()).isPositive();
            assertThat(e.get("bin_edges")).hasSize(21);
            assertThat(e.get("bin_counts")).hasSize(20);
        });
        assertThat(endpoints).anySatisfy(e -> {
            assertThat(e.get("role").asText()).isEqualTo("worker");
            assertThat(e.get("url").asText()).isEqualTo(run.workers().get(0).baseUrl() + "/v1/chimera/model/fit");
        });
        assertThat(endpoints).as("polling the status leaves no latency line")
                             .noneSatisfy(e -> assertThat(e.get("url").asText()).contains("/status"));
    }

    @Test
    void metrics_holdThePerEndpointLatencySeriesAfterAPredict() {
        final HttpResponse<String> res = Rest.get(run.baseUrl() + "/v1/chimera/metrics");
        assertThat(res.statusCode()).isEqualTo(200);

        assertThat(res.body())
                .containsPattern("chimera_server_total_duration_seconds_bucket\\{[^}]*"
                                 + "path=\"/v1/chimera/aggregation/predict\"[^}]*\\} [1-9]")
                .containsPattern("chimera_server_requests_total\\{[^}]*"
                                 + "path=\"/v1/chimera/aggregation/predict\"[^}]*result=\"success\"[^}]*\\} [1-9]")
                .containsPattern("chimera_worker_call_duration_seconds_count\\{path=\"/v1/chimera/model/predict\","
                                 + "result=\"success\",worker=\"tree2\"\\} [1-9]")
                .containsPattern("chimera_worker_healthy\\{worker=\"tree3\"\\} 1")
                .containsPattern("chimera_fits_total\\{result=\"ok\"\\} 1");
        // The master calls its workers over gRPC: their series carry the gRPC method's path.
        final HttpResponse<String> worker = Rest.get(run.workers().get(0).baseUrl() + "/v1/chimera/metrics");
        assertThat(worker.body()).containsPattern("chimera_server_total_duration_seconds_count\\{[^}]*"
                                                  + "path=\"/chimera.v1.ModelWorkerService/Predict\"[^}]*\\} [1-9]");
    }

    @Test
    void dashboard_isServedFromTheJar_andTheRootRedirectsToIt() {
        final HttpResponse<String> page = Rest.get(run.baseUrl() + "/dashboard");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("content-type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/html"));
        assertThat(page.body()).contains("<svg id=\"loss-chart\"", "/dashboard/dashboard.js")
                               .doesNotContain("https://", "http://");
        assertThat(Rest.get(run.baseUrl() + "/dashboard/dashboard.js").body()).contains("/v1/chimera/status");
        assertThat(Rest.get(run.baseUrl() + "/dashboard/dashboard.css").statusCode()).isEqualTo(200);
        final HttpResponse<String> root = Rest.get(run.baseUrl() + "/");
        assertThat(root.statusCode()).isEqualTo(307);
        assertThat(root.headers().firstValue("location")).hasValue("/dashboard");
    }

    @Test
    void badRequests_toTheNewRoutes_getChimerasErrorBody() {
        assertError(Rest.post(run.baseUrl() + "/v1/chimera/status", null), 405, "MethodNotAllowedError");
        assertError(Rest.post(run.baseUrl() + "/v1/chimera/latencies", "{}"), 405, "MethodNotAllowedError");
        assertError(Rest.post(run.baseUrl() + "/v1/chimera/metrics", null), 405, "MethodNotAllowedError");
        assertError(Rest.post(run.baseUrl() + "/dashboard", "{}"), 405, "MethodNotAllowedError");
        assertError(Rest.get(run.baseUrl() + "/dashboard/nothing.js"), 404, "NotFoundError");
        assertError(Rest.get(run.baseUrl() + "/v1/chimera/status/"), 404, "NotFoundError");
        assertThat(Rest.get(run.baseUrl() + "/v1/chimera/status?verbose=1").statusCode()).isEqualTo(200);
    }

    @Test
    void killedWorker_isShownUnhealthy_othersStayHealthy(@TempDir Path dir) throws Exception {
        final TestProject project = new TestProject(dir).sameData("tree", 2, BaggingScenariosTest.CLASSIFIER, "iris");
        try (ChimeraRun run = Chimera.builder(new AggregationMaster()).port(0).projectDirectory(dir)
                                     .config(project.config(Map.of("CHIMERA_WORKERS_HEALTH_INTERVAL", "0.2")))
                                     .start()) {
            run.runtime().stop("tree2");

            final JsonNode probed = awaitHealth(run, "tree2", "unhealthy", Duration.ofSeconds(15));
            assertThat(probed.get("last_error").asText()).startsWith("health probe: ");
            assertThat(worker(status(run), "tree1").get("health").asText()).isEqualTo("healthy");

            final HttpResponse<String> fit = Rest.post(run.baseUrl() + "/v1/chimera/aggregation/fit", null);
            assertThat(Rest.json(fit.body()).get("failed_workers").get(0).asText()).isEqualTo("tree2");
            final JsonNode afterFit = worker(status(run), "tree2");
            assertThat(afterFit.get("health").asText()).isEqualTo("unhealthy");
            // The fit call failed; the partial ensemble is saved from the workers that fitted, without tree2
            // (issue 17: a fit that lost a worker is saved, marked partial).
            assertThat(afterFit.get("failures").asLong()).isEqualTo(1);
            assertThat(afterFit.get("last_endpoint").asText()).isEqualTo("/v1/chimera/model/fit");
            assertThat(status(run).get("model").get("partial").asBoolean()).isTrue();
            assertThat(Rest.get(run.baseUrl() + "/v1/chimera/metrics").body())
                    .containsPattern("chimera_worker_healthy\\{worker=\"tree2\"\\} 0")
                    .containsPattern("chimera_worker_healthy\\{worker=\"tree1\"\\} 1");

            run.runtime().restart("tree2");
            awaitHealth(run, "tree2", "healthy", Duration.ofSeconds(15));
        }
        assertThat(Files.readString(dir.resolve("chimera_status.log")))
                .contains("worker tree2 is unhealthy: health probe: ", "worker tree2 is healthy again");
    }

    @Test
    void importedModel_isFitted_withNoWorkersAndRuntimeNone() {
        final HttpResponse<String> export = Rest.get(run.baseUrl() + "/v1/chimera/aggregation/model");
        assertThat(export.statusCode()).as(export.body()).isEqualTo(200);
        final ModelMaster imported = ModelMaster.of(ModelExportTest.grpcExport(run.baseUrl(), "aggregation"));
        try (ChimeraRun served = Chimera.builder(imported).port(0).projectDirectory(dir).start()) {
            final JsonNode s = status(served);

            assertThat(s.get("master").asText()).isEqualTo("ModelMaster");
            assertThat(s.get("runtime").asText()).isEqualTo("none");
            assertThat(s.has("workers")).isFalse();
            assertThat(s.get("model").get("state").asText()).isEqualTo("fitted");
            assertThat(s.get("model").get("imported").asBoolean()).isTrue();
            assertThat(s.get("model").get("options").get("task").asText()).isEqualTo("classification");
            assertThat(s.get("model").get("feature_columns")).hasSize(4);
            assertThat(Rest.get(served.baseUrl() + "/dashboard").statusCode()).isEqualTo(200);
        }
    }

    private static JsonNode awaitHealth(ChimeraRun run, String name, String health, Duration within)
            throws InterruptedException {
        final long deadline = System.nanoTime() + within.toNanos();
        JsonNode w = worker(status(run), name);
        while (!health.equals(w.get("health").asText()) && System.nanoTime() < deadline) {
            Thread.sleep(100);
            w = worker(status(run), name);
        }
        assertThat(w.get("health").asText()).as(w.toString()).isEqualTo(health);
        return w;
    }

    private static JsonNode worker(JsonNode status, String name) {
        for (JsonNode w : status.get("workers")) {
            if (name.equals(w.get("name").asText())) {
                return w;
            }
        }
        throw new AssertionError("no worker " + name + " in " + status);
    }
}
