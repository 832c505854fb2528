package io.chimera.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.linecorp.armeria.client.grpc.GrpcClients;

import io.chimera.common.ChimeraException;
import io.chimera.common.ErrorBody;
import io.chimera.core.data.Dataset;
import io.chimera.models.ModelMaster;
import io.chimera.proto.v1.AggregationMasterServiceGrpc.AggregationMasterServiceBlockingStub;
import io.chimera.proto.v1.ExportModelRequest;
import io.chimera.proto.v1.ModelArtifact;
import io.chimera.proto.v1.ParameterServerMasterServiceGrpc.ParameterServerMasterServiceBlockingStub;
import io.chimera.strategy.Master;
import io.chimera.strategy.aggregation.AggregationMaster;
import io.chimera.strategy.parameterserver.ParameterServerMaster;

/**
 * Export a fitted model from a master with workers, start a {@link ModelMaster} from the artifact with none, and
 * get the very same answers: bagged trees (classification with two and three classes, regression) and
 * parameter-server SGD (logistic binary and multinomial, linear).
 */
class ModelExportTest {

    static final String CUSTOM_UNPORTABLE =
            "new RegressionWorker(data -> new FittedModel() {\n"
            + "            public double[] classes() { return new double[0]; }\n"
            + "            public int featureCount() { return data.cols(); }\n"
            + "            public double[] predict(double[] x, int rows) { return new double[rows]; }\n"
            + "        }).serve();";

    static ChimeraException assertError(HttpResponse<String> res, int status, String type) {
        assertThat(res.statusCode()).as(res.body()).isEqualTo(status);
        assertThat(res.headers().firstValue("content-type")).hasValueSatisfying(
                ct -> assertThat(ct).startsWith("application/json"));
        final ChimeraException e = ErrorBody.parse(res.statusCode(), res.body());
        assertThat(e).as(res.body()).isNotNull();
        assertThat(e.errorType()).isEqualTo(type);
        return e;
    }

    static ModelArtifact grpcExport(String baseUrl, String kind) {
        final ExportModelRequest req = ExportModelRequest.getDefaultInstance();
        return "aggregation".equals(kind)
               ? GrpcClients.newClient(baseUrl, AggregationMasterServiceBlockingStub.class).export(req)
               : GrpcClients.newClient(baseUrl, ParameterServerMasterServiceBlockingStub.class).export(req);
    }

    /** A predict body whose first column is misspelt. */
    static String misspelt(Dataset test) {
        final String body = Rest.predictBody(test);
        return body.replaceFirst("\"" + test.featureNames().get(0) + "\"", "\"misspelt\"");
    }

    static Stream<Arguments> scenarios() {
        final Factory bagging = AggregationMaster::new;
        final Factory logistic = () -> ParameterServerMaster.builder().loss("log_loss").maxIter(50).build();
        final Factory linear = () -> ParameterServerMaster.builder().loss("squared_error").maxIter(50).build();
        final String classifier = BaggingScenariosTest.CLASSIFIER;
        final String sgd = SgdScenariosTest.SGD_WORKER;
        return Stream.of(
                Arguments.of("bagged trees, 3 classes", "iris",
                             (Project) dir -> new TestProject(dir).sameData("tree", 3, classifier, "iris"),
                             bagging, Map.of()),
                Arguments.of("bagged trees, 2 classes, different data per worker", "breast-cancer",
                             (Project) dir -> new TestProject(dir).partitioned("tree", 2, classifier, "breast-cancer"),
                             bagging, Map.of()),
                // The workers' models travel as JSON (base64 bytes) when the master speaks REST to them.
                Arguments.of("bagged trees, regression, workers over REST", "wine-like",
                             (Project) dir -> new TestProject(dir).sameData(
                                     "reg", 2, BaggingScenariosTest.REGRESSOR, "wine-like"),
                             bagging, Map.of("CHIMERA_WORKERS_TRANSPORT", "rest")),
                Arguments.of("SGD, binary log loss, standardised", "breast-cancer",
                             (Project) dir -> new TestProject(dir).partitioned("sgd", 2, sgd, "breast-cancer"),
                             logistic, Map.of()),
                Arguments.of("SGD, multinomial log loss", "iris",
                             (Project) dir -> new TestProject(dir).partitioned("sgd", 2, sgd, "iris"),
                             logistic, Map.of()),
                Arguments.of("SGD, squared error", "wine-like",
                             (Project) dir -> new TestProject(dir).partitioned("sgd", 2, sgd, "wine-like"),
                             linear, Map.of()));
    }

    interface Project {
        TestProject in(Path dir);
    }

    interface Factory {
        Master create();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void exportedModel_servedWithoutWorkers_answersExactlyAsTheMaster(String name, String dataset, Project project,
                                                                     Factory factory, Map<String, String> env,
                                                                     @TempDir Path dir)
            throws Exception {
        final Dataset test = BaggingScenariosTest.holdout(dataset);
        final String body = Rest.predictBody(test);
        final Master master = factory.create();
        final String kind = master.strategy();
        final String prefix = "/v1/chimera/" + kind;
        final HttpResponse<String> before;
        final HttpResponse<String> badBefore;
        final ModelArtifact grpc;
        final TestProject p = project.in(dir);
        try (ChimeraRun run = Chimera.builder(master).port(0).config(p.config(env)).projectDirectory(dir).start()) {
            final ChimeraException notFitted = assertError(Rest.get(run.baseUrl() + prefix + "/model"), 409,
                                                           ChimeraException.NOT_FITTED_ERROR);
            assertThat(notFitted.getMessage()).contains("fit first");
            assertThat(Rest.post(run.baseUrl() + prefix + "/fit", null).statusCode()).isEqualTo(200);
            before = Rest.post(run.baseUrl() + prefix + "/predict", body);
            assertThat(before.statusCode()).as(before.body()).isEqualTo(200);
            badBefore = Rest.post(run.baseUrl() + prefix + "/predict", misspelt(test));

            final HttpResponse<String> rest = Rest.get(run.baseUrl() + prefix + "/model");
            assertThat(rest.statusCode()).as(rest.body()).isEqualTo(200);
            assertThat(rest.headers().firstValue("content-type")).hasValueSatisfying(
                    ct -> assertThat(ct).startsWith("application/json"));
            final JsonNode json = Rest.json(rest.body());
            assertThat(json.get("format_version").asInt()).isEqualTo(1);
            assertThat(json.get("kind").asText()).isEqualTo(kind);
            assertThat(json.get("created_time").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
            assertThat(json.get("feature_columns").toString()).isEqualTo(
                    Rest.JSON.valueToTree(test.featureNames()).toString());
            assertThat(json.has("aggregation".equals(kind) ? "bagging" : "linear")).isTrue();
            if ("aggregation".equals(kind)) {
                assertThat(json.get("bagging").get("members").size()).isEqualTo(p.names().size());
            }
            Files.writeString(dir.resolve("model.json"), rest.body());

            grpc = grpcExport(run.baseUrl(), kind);
            assertThat(grpc.toBuilder().clearCreatedTime().build())
                    .isEqualTo(ModelMaster.read(dir.resolve("model.json")).artifact().toBuilder().clearCreatedTime()
                                          .build());
            Files.write(dir.resolve("model.pb"), grpc.toByteArray());
        }
        // The workers are gone: the imported model needs none.
        for (String file : List.of("model.json", "model.pb")) {
            final ModelMaster fromFile = ModelMaster.read(dir.resolve(file));
            try (ChimeraRun imported = Chimera.builder(fromFile).port(0).projectDirectory(dir).start()) {
                assertThat(imported.workers()).isEmpty();
                final HttpResponse<String> after = Rest.post(imported.baseUrl() + prefix + "/predict", body);
                assertThat(after.statusCode()).as(after.body()).isEqualTo(200);
                assertThat(after.body()).as(file).isEqualTo(before.body());

                final HttpResponse<String> badAfter = Rest.post(imported.baseUrl() + prefix + "/predict",
                                                                misspelt(test));
                assertThat(badAfter.statusCode()).isEqualTo(400).isEqualTo(badBefore.statusCode());
                assertThat(badAfter.body()).isEqualTo(badBefore.body());

                final ChimeraException fit = assertError(Rest.post(imported.baseUrl() + prefix + "/fit", null), 409,
                                                         ChimeraException.IMPORTED_MODEL_ERROR);
                assertThat(fit.getMessage()).startsWith("this master serves an imported " + kind + " model (")
                                            .contains("cannot fit");
                assertThat(grpcExport(imported.baseUrl(), kind)).isEqualTo(fromFile.artifact());
                assertThat(Rest.get(imported.baseUrl() + "/v1/chimera/health").statusCode()).isEqualTo(200);
            }
        }
    }

    @Test
    void importedParameterServer_hasNoHistory(@TempDir Path dir) throws Exception {
        final ModelMaster master = ModelMaster.of(ModelArtifactTest.linearArtifact());
        try (ChimeraRun run = Chimera.builder(master).port(0).projectDirectory(dir).start()) {
            final ChimeraException e = assertError(Rest.get(run.baseUrl() + "/v1/chimera/parameter-server/history"),
                                                   409, ChimeraException.IMPORTED_MODEL_ERROR);
            assertThat(e.getMessage()).contains("cannot show a training history");
            assertThat(Rest.post(run.baseUrl() + "/v1/chimera/aggregation/predict", "{}").statusCode())
                    .isEqualTo(404);
        }
    }

    @Test
    void export_withALearnerThatHasNoPortableForm_returns409NamingTheWorker(@TempDir Path dir) {
        final TestProject project = new TestProject(dir)
                .sameData("tree", 1, BaggingScenariosTest.REGRESSOR, "wine-like")
                .sameData("custom", 1, CUSTOM_UNPORTABLE, "wine-like");
        try (ChimeraRun run = Chimera.builder(new AggregationMaster()).port(0).config(project.config())
                                     .projectDirectory(dir).start()) {
            assertThat(Rest.post(run.baseUrl() + "/v1/chimera/aggregation/fit", null).statusCode()).isEqualTo(200);
            final ChimeraException e = assertError(Rest.get(run.baseUrl() + "/v1/chimera/aggregation/model"), 409,
                                                   ChimeraException.MODEL_NOT_EXPORTABLE_ERROR);
            assertThat(e.getMessage()).startsWith("worker custom1 cannot export its model: its learner ")
                                      .contains("does not implement io.chimera.core.learn.PortableModel");
            assertThat(Rest.get(run.baseUrl() + "/v1/chimera/health").statusCode()).isEqualTo(200);
            // The master still serves: predict answers from both workers.
            assertThat(Rest.post(run.baseUrl() + "/v1/chimera/aggregation/predict",
                                 Rest.predictBody(BaggingScenariosTest.holdout("wine-like"))).statusCode())
                    .isEqualTo(200);
        }
    }
}
