package io.chimera.workers;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;

import com.google.protobuf.util.JsonFormat;

import io.chimera.common.ChimeraException;
import io.chimera.common.ErrorBody;
import io.chimera.common.Table;
import io.chimera.core.data.Dataset;
import io.chimera.core.data.TestDatasets;
import io.chimera.core.learn.ConstantModel;
import io.chimera.core.learn.DecisionTreeClassifier;
import io.chimera.core.learn.FittedModel;
import io.chimera.core.learn.ModelFormats;
import io.chimera.node.NodeServer;
import io.chimera.proto.v1.PredictResponse;
import io.chimera.proto.v1.WorkerModel;
import io.chimera.strategy.aggregation.ClassificationWorker;
import io.chimera.strategy.aggregation.ModelWorker;
import io.chimera.strategy.aggregation.RegressionWorker;
import io.chimera.strategy.aggregation.internal.ModelAnswers;

/** {@code GET /v1/chimera/model/export} on a worker served in this JVM. */
class ModelWorkerExportTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static NodeServer start(ModelWorker worker, String dataset) {
        final Path data = TestDatasets.require(dataset).resolve("chimera_train_data").resolve("w1");
        return worker.start(new WorkerEnvironment("w1", 0, "127.0.0.1", 0, data, 7));
    }

    private static HttpResponse<String> call(NodeServer server, String method, String path, String body) {
        final HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                                      : HttpRequest.BodyPublishers.ofString(body));
        try {
            return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static ChimeraException error(HttpResponse<String> res) {
        assertThat(res.headers().firstValue("content-type")).hasValueSatisfying(
                ct -> assertThat(ct).startsWith("application/json"));
        final ChimeraException e = ErrorBody.parse(res.statusCode(), res.body());
        assertThat(e).as(res.body()).isNotNull();
        assertThat(e.httpStatus()).isEqualTo(res.statusCode());
        return e;
    }

    private static <T extends com.google.protobuf.Message.Builder> T parse(String json, Supplier<T> builder) {
        final T b = builder.get();
        try {
            JsonFormat.parser().merge(json, b);
        } catch (Exception e) {
            throw new IllegalStateException(json, e);
        }
        return b;
    }

    @Test
    void export_beforeFit_returns409NotFittedAndKeepsServing() {
        try (NodeServer server = start(new ClassificationWorker(DecisionTreeClassifier.builder().build()), "iris")) {
            final HttpResponse<String> res = call(server, "GET", "/v1/chimera/model/export", null);
            assertThat(res.statusCode()).isEqualTo(409);
            final ChimeraException e = error(res);
            assertThat(e.errorType()).isEqualTo(ChimeraException.NOT_FITTED_ERROR);
            assertThat(e.getMessage()).isEqualTo("worker w1 has no model yet: call POST /v1/chimera/model/fit first");
            assertThat(call(server, "GET", "/v1/chimera/health", null).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void export_afterFit_givesTheTreeThatAnswersExactlyAsTheWorker() {
        final Dataset test = TestDatasets.test("iris");
        final String predictBody;
        try {
            predictBody = JsonFormat.printer().print(Table.of(test.featureNames(), test.features(), test.rows())
                                                          .toRowsPredictRequest());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        try (NodeServer server = start(new ClassificationWorker(DecisionTreeClassifier.builder().maxDepth(3).build(),
                                                                true), "iris")) {
            assertThat(call(server, "POST", "/v1/chimera/model/fit", null).statusCode()).isEqualTo(200);
            final HttpResponse<String> res = call(server, "GET", "/v1/chimera/model/export", null);
            assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
            final WorkerModel exported = parse(res.body(), WorkerModel::newBuilder).build();
            assertThat(exported.getWorker()).isEqualTo("w1");
            assertThat(exported.getTask()).isEqualTo("classification");
            assertThat(exported.getLearner()).isEqualTo("DecisionTreeClassifier");
            assertThat(exported.getFormat()).isEqualTo(ModelFormats.DECISION_TREE);
            assertThat(exported.getFeatureColumnsList()).containsExactlyElementsOf(test.featureNames());
            assertThat(exported.getClassesList()).containsExactly(0.0, 1.0, 2.0);

            final FittedModel tree = ModelFormats.read(exported.getFormat(), exported.getModel().toByteArray());
            final double[] classes = exported.getClassesList().stream().mapToDouble(Double::doubleValue).toArray();
            final PredictResponse imported = ModelAnswers.predict(
                    exported.getLearner(), tree, exported.getFeatureColumnsList(), classes,
                    Table.of(test.featureNames(), test.features(), test.rows()));
            final HttpResponse<String> predicted = call(server, "POST", "/v1/chimera/model/predict", predictBody);
            assertThat(predicted.statusCode()).as(predicted.body()).isEqualTo(200);
            assertThat(imported).isEqualTo(parse(predicted.body(), PredictResponse::newBuilder).build());
        }
    }

    @Test
    void export_ofAModelWithoutPortableForm_returns409NotExportable() {
        final ClassificationWorker worker = new ClassificationWorker(data -> new FittedModel() {
            @Override
            public double[] classes() {
                return data.distinctLabels();
            }

            @Override
            public int featureCount() {
                return data.cols();
            }

            @Override
            public double[] predict(double[] features, int rows) {
                return new double[rows * 3];
            }
        });
        try (NodeServer server = start(worker, "iris")) {
            assertThat(call(server, "POST", "/v1/chimera/model/fit", null).statusCode()).isEqualTo(200);
            final HttpResponse<String> res = call(server, "GET", "/v1/chimera/model/export", null);
            assertThat(res.statusCode()).isEqualTo(409);
            final ChimeraException e = error(res);
            assertThat(e.errorType()).isEqualTo(ChimeraException.MODEL_NOT_EXPORTABLE_ERROR);
            assertThat(e.getMessage()).startsWith("worker w1 cannot export its model: its learner ")
                                      .endsWith(", which does not implement io.chimera.core.learn.PortableModel"
                                                + " (format() and toBytes())");
            assertThat(call(server, "GET", "/v1/chimera/health", null).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void export_ofAPortableModelInAFormatWithNoReader_returns409NotExportable() {
        try (NodeServer server = start(new RegressionWorker(ConstantModel.learner("nowhere")), "wine-like")) {
            assertThat(call(server, "POST", "/v1/chimera/model/fit", null).statusCode()).isEqualTo(200);
            final ChimeraException e = error(call(server, "GET", "/v1/chimera/model/export", null));
            assertThat(e.httpStatus()).isEqualTo(409);
            assertThat(e.errorType()).isEqualTo(ChimeraException.MODEL_NOT_EXPORTABLE_ERROR);
            assertThat(e.getMessage()).isEqualTo(
                    "worker w1 cannot export its model: its model format 'nowhere' has no reader here (expected: one"
                    + " of [decision_tree, tribuo, test_constant]; register a io.chimera.core.learn.ModelFormat in"
                    + " META-INF/services)");
        }
    }

    @Test
    void export_ofACustomPortableModel_carriesItsFormatAndBytes() {
        try (NodeServer server = start(new RegressionWorker(ConstantModel.learner(ConstantModel.FORMAT)),
                                       "wine-like")) {
            assertThat(call(server, "POST", "/v1/chimera/model/fit", null).statusCode()).isEqualTo(200);
            final HttpResponse<String> res = call(server, "GET", "/v1/chimera/model/export", null);
            assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
            final WorkerModel exported = parse(res.body(), WorkerModel::newBuilder).build();
            assertThat(exported.getTask()).isEqualTo("regression");
            assertThat(exported.getClassesCount()).isZero();
            final FittedModel read = ModelFormats.read(exported.getFormat(), exported.getModel().toByteArray());
            assertThat(read.featureCount()).isEqualTo(exported.getFeatureColumnsCount());
            final double mean = Arrays.stream(TestDatasets.train("wine-like").labels()).average().getAsDouble();
            assertThat(read.predict(new double[read.featureCount()], 1)).containsExactly(mean);
        }
    }
}
