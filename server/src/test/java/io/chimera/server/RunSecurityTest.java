package io.chimera.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.linecorp.armeria.client.grpc.GrpcClients;
import com.linecorp.armeria.common.HttpHeaderNames;

import io.chimera.common.ChimeraException;
import io.chimera.common.ErrorBody;
import io.chimera.core.data.CsvDatasetLoader;
import io.chimera.core.data.Dataset;
import io.chimera.node.client.WorkerClient;
import io.chimera.node.client.WorkerTransport;
import io.chimera.proto.v1.AggregationMasterServiceGrpc;
import io.chimera.proto.v1.FitRequest;
import io.chimera.server.config.ChimeraConfig;
import io.chimera.server.config.ChimeraConfigException;
import io.chimera.strategy.aggregation.AggregationMaster;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/**
 * A secret per run between the master and its workers, and the client's API token: calls without them are refused
 * with 401 and chimera's error body (gRPC: {@code UNAUTHENTICATED}), the health route and the dashboard page stay
 * open, and the master's own calls carry the secret (its fit works).
 */
class RunSecurityTest {

    private static final String TOKEN = "test-token-0123456789abcdef";

    @TempDir
    static Path dir;

    private static ChimeraRun run;
    private static Dataset test;

    @BeforeAll
    static void start() {
        final TestProject project = new TestProject(dir).sameData("tree", 2, BaggingScenariosTest.CLASSIFIER,
                                                                  "breast-cancer");
        run = Chimera.builder(new AggregationMaster()).port(0).projectDirectory(dir)
                     .config(project.config(Map.of(ChimeraConfig.API_TOKEN, TOKEN))).start();
        test = CsvDatasetLoader.load(TestProject.dataset("breast-cancer").resolve("X_test.csv"),
                                     TestProject.dataset("breast-cancer").resolve("y_test.csv"));
    }

    @AfterAll
    static void stop() {
        if (run != null) {
            run.close();
        }
    }

    @Test
    void aWorkerRefusesCallsWithoutTheRunsSecret_overRestAndGrpc_andKeepsItsHealthOpen() {
        final String worker = run.workers().get(0).baseUrl();

        final HttpResponse<String> none = Rest.post(worker + "/v1/chimera/model/fit", null);
        assertThat(none.statusCode()).isEqualTo(401);
        final ChimeraException refused = ErrorBody.parse(401, none.body());
        assertThat(refused.errorType()).isEqualTo("UnauthenticatedError");
        assertThat(refused.getMessage()).isEqualTo("no Authorization header: worker tree1 takes calls from its "
                                                   + "master only (the run's secret)");
        final HttpResponse<String> wrong = Rest.post(worker + "/v1/chimera/model/predict", Rest.predictBody(test),
                                                     "not-the-secret");
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(ErrorBody.parse(401, wrong.body()).getMessage()).startsWith("a wrong token: ");
        assertThat(Rest.get(worker + "/v1/chimera/sgd/request-data-sample").statusCode()).isEqualTo(401);
        assertThat(Rest.get(worker + "/v1/chimera/health").statusCode()).isEqualTo(200);
        assertThat(Rest.get(worker + "/v1/chimera/metrics").statusCode()).isEqualTo(200);
        assertThat(Rest.get(worker + "/docs/").statusCode()).isEqualTo(401);

        final WorkerClient noSecret = new WorkerClient("tree1", worker, Duration.ofSeconds(10), 0,
                                                       WorkerTransport.GRPC, (w, path, seconds, error) -> {});
        assertThatThrownBy(() -> noSecret.modelFit().join())
                .hasCauseInstanceOf(ChimeraException.class)
                .satisfies(t -> {
                    final ChimeraException e = (ChimeraException) t.getCause();
                    assertThat(e.httpStatus()).isEqualTo(401);
                    assertThat(e.errorType()).isEqualTo("UnauthenticatedError");
                });
        final WorkerClient withSecret = new WorkerClient("tree1", worker, Duration.ofSeconds(30), 0,
                                                         WorkerTransport.GRPC, (w, path, seconds, error) -> {},
                                                         run.workerSecret().orElseThrow());
        assertThat(withSecret.modelFit().join().getFit()).isEqualTo("ok");
    }

    @Test
    void theMasterEnforcesItsApiToken_andItsOwnCallsCarryTheSecret() {
        final String master = run.baseUrl();
        final HttpResponse<String> none = Rest.post(master + "/v1/chimera/aggregation/fit", null);
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(ErrorBody.parse(401, none.body()).getMessage())
                .isEqualTo("no Authorization header: this master requires its API token (CHIMERA_API_TOKEN): send "
                           + "Authorization: Bearer <token>");
        assertThat(none.body()).doesNotContain(TOKEN);
        assertThat(Rest.get(master + "/v1/chimera/status").statusCode()).isEqualTo(401);
        assertThat(Rest.get(master + "/v1/chimera/health").statusCode()).isEqualTo(200);
        assertThat(Rest.get(master + "/dashboard").statusCode()).isEqualTo(200);
        assertThat(Rest.get(master + "/dashboard/dashboard.js").statusCode()).isEqualTo(200);

        final HttpResponse<String> fit = Rest.post(master + "/v1/chimera/aggregation/fit", null, TOKEN);
        assertThat(fit.statusCode()).as(fit.body()).isEqualTo(200);
        final HttpResponse<String> predict = Rest.post(master + "/v1/chimera/aggregation/predict",
                                                       Rest.predictBody(test), TOKEN);
        assertThat(predict.statusCode()).as(predict.body()).isEqualTo(200);
        assertThat(Rest.json(predict.body()).get("y_pred_rows")).hasSize(test.rows());
        assertThat(Rest.get(master + "/v1/chimera/status", TOKEN).statusCode()).isEqualTo(200);

        final AggregationMasterServiceGrpc.AggregationMasterServiceBlockingStub anonymous =
                GrpcClients.newClient(master, AggregationMasterServiceGrpc.AggregationMasterServiceBlockingStub.class);
        assertThatThrownBy(() -> anonymous.fit(FitRequest.getDefaultInstance()))
                .isInstanceOf(StatusRuntimeException.class)
                .satisfies(t -> assertThat(((StatusRuntimeException) t).getStatus().getCode())
                        .isEqualTo(Status.Code.UNAUTHENTICATED));
        final AggregationMasterServiceGrpc.AggregationMasterServiceBlockingStub authorised =
                GrpcClients.builder(master).addHeader(HttpHeaderNames.AUTHORIZATION, "Bearer " + TOKEN)
                           .build(AggregationMasterServiceGrpc.AggregationMasterServiceBlockingStub.class);
        assertThat(authorised.fit(FitRequest.getDefaultInstance()).getFit()).isEqualTo("ok");
    }

    @Test
    void aTokenThatIsNoTokenStopsTheStart_withoutEchoingIt() {
        assertThatThrownBy(() -> ChimeraConfig.builder().environment(Map.of(ChimeraConfig.API_TOKEN, "short secret"))
                                              .systemProperties(new Properties()).workerNames("w1").build())
                .isInstanceOf(ChimeraConfigException.class)
                .hasMessageContaining("CHIMERA_API_TOKEN=(not shown): expected a token of at least 16 characters")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("short secret"));
    }

    @Test
    void theSecretNeverReachesTheLogs() throws Exception {
        final String secret = run.workerSecret().orElseThrow();
        assertThat(secret).hasSizeGreaterThanOrEqualTo(43);
        final String status = java.nio.file.Files.readString(dir.resolve("chimera_status.log"));
        assertThat(status).contains("Serving AggregationMaster").doesNotContain(secret).doesNotContain(TOKEN);
        for (Path log : java.nio.file.Files.newDirectoryStream(dir.resolve(".chimera/logs"))) {
            assertThat(java.nio.file.Files.readString(log)).as(log.toString()).doesNotContain(secret);
        }
    }
}
