package io.chimera.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;

import io.chimera.common.Metrics;
import io.chimera.server.sgd.SyncMode;
import io.chimera.workers.data.CsvDatasetLoader;
import io.chimera.workers.data.Dataset;

/** Distributed SGD through the parameter server, from raw CSVs, in each synchronisation mode. */
class SgdScenariosTest {

    static final String SGD_WORKER = "new SGDWorker().serve();";

    static java.util.stream.Stream<Arguments> modes() {
        return java.util.stream.Stream.of(Arguments.of(SyncMode.synchronous()),
                                          Arguments.of(SyncMode.asynchronous()),
                                          Arguments.of(SyncMode.boundedStaleness(1)));
    }

    static Dataset holdout(String dataset) {
        final Path d = TestProject.dataset(dataset);
        return CsvDatasetLoader.load(d.resolve("X_test.csv"), d.resolve("y_test.csv"));
    }

    static double[] fitAndPredict(TestProject project, ParameterServerMaster master, Dataset test) {
        try (ChimeraRun run = Chimera.builder(master).port(0).config(project.config())
                                     .projectDirectory(project.dir()).start()) {
            final long t0 = System.nanoTime();
            final HttpResponse<String> fit = Rest.post(run.baseUrl() + "/v1/chimera/parameter-server/fit", null);
            System.out.printf("%s fit %.3f s%n", master.options(), (System.nanoTime() - t0) / 1e9);
            assertThat(fit.statusCode()).as(fit.body()).isEqualTo(200);
            assertThat(fit.body()).isEqualTo("{\"fit\":\"ok\"}");
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

    @ParameterizedTest
    @MethodSource("modes")
    void logistic_diabetesLike_partitionedOver4(SyncMode mode, @TempDir Path dir) {
        final Dataset test = holdout("diabetes-like");
        final double[] p = fitAndPredict(new TestProject(dir).partitioned("sgd", 4, SGD_WORKER, "diabetes-like"),
                                          ParameterServerMaster.builder().loss("log_loss").mode(mode).build(),
                                          test);
        final double auc = Metrics.rocAuc(p, test.labels());
        final double acc = Metrics.binaryAccuracy(p, test.labels());
        System.out.printf("diabetes-like %s: AUC %.4f, accuracy %.4f%n", mode, auc, acc);
        assertThat(auc).isGreaterThanOrEqualTo(0.795);
        assertThat(acc).isGreaterThanOrEqualTo(0.862);
    }

    @ParameterizedTest
    @MethodSource("modes")
    void linear_wineLike_partitionedOver3_fromRawCsv(SyncMode mode, @TempDir Path dir) {
        final Dataset test = holdout("wine-like");
        final double[] y = fitAndPredict(new TestProject(dir).partitioned("sgd", 3, SGD_WORKER, "wine-like"),
                                          ParameterServerMaster.builder().loss("squared_error").mode(mode).build(),
                                          test);
        final double r2 = Metrics.r2(y, test.labels());
        System.out.printf("wine-like %s: R2 %.4f%n", mode, r2);
        assertThat(r2).isGreaterThanOrEqualTo(0.27);
    }

    @ParameterizedTest
    @MethodSource("modes")
    void multinomial_iris(SyncMode mode, @TempDir Path dir) {
        final Dataset test = holdout("iris");
        final double[] labels = fitAndPredict(new TestProject(dir).partitioned("sgd", 2, SGD_WORKER, "iris"),
                                               ParameterServerMaster.builder().loss("log_loss").mode(mode).build(),
                                               test);
        final double acc = Metrics.accuracy(labels, test.labels());
        System.out.printf("iris %s: accuracy %.4f%n", mode, acc);
        assertThat(acc).isGreaterThanOrEqualTo(0.9);
    }

    @ParameterizedTest
    @MethodSource("modes")
    void logistic_breastCancer(SyncMode mode, @TempDir Path dir) {
        final Dataset test = holdout("breast-cancer");
        final double[] p = fitAndPredict(new TestProject(dir).partitioned("sgd", 2, SGD_WORKER, "breast-cancer"),
                                          ParameterServerMaster.builder().loss("log_loss").mode(mode).build(),
                                          test);
        final double acc = Metrics.binaryAccuracy(p, test.labels());
        System.out.printf("breast-cancer %s: accuracy %.4f%n", mode, acc);
        assertThat(acc).isGreaterThanOrEqualTo(0.95);
    }
}
