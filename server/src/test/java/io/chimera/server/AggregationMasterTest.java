package io.chimera.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.linecorp.armeria.client.grpc.GrpcClients;

import io.chimera.common.ChimeraException;
import io.chimera.common.ErrorBody;
import io.chimera.common.Table;
import io.chimera.core.data.CsvDatasetLoader;
import io.chimera.core.data.Dataset;
import io.chimera.proto.v1.AggregationMasterServiceGrpc;
import io.chimera.proto.v1.FitRequest;
import io.chimera.proto.v1.PredictResponse;
import io.chimera.runtime.WorkerEndpoint;
import io.chimera.strategy.aggregation.AggregationMaster;

/** Bagging with three bootstrapped trees on the same breast-cancer data (model parallelism), end to end. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AggregationMasterTest {

    @TempDir
    static Path dir;
    static ChimeraRun run;
    static Dataset test;

    @BeforeAll
    static void start() {
        final TestProject project = new TestProject(dir).sameData(
                "tree", 3, "new ClassificationWorker(DecisionTreeClassifier.builder().maxDepth(5).build(), true)"
                           + ".serve();", "breast-cancer");
        run = Chimera.builder(new AggregationMaster()).port(0).config(project.config())
                     .projectDirectory(dir).start();
        final Path d = TestProject.dataset("breast-cancer");
        test = CsvDatasetLoader.load(d.resolve("X_test.csv"), d.resolve("y_test.csv"));
    }

    @AfterAll
    static void stop() {
        if (run != null) {
            run.close();
        }
    }

    static String url(String path) {
        return run.baseUrl() + path;
    }

    static void assertError(HttpResponse<String> res, int status, String type) {
        assertThat(res.statusCode()).as(res.body()).isEqualTo(status);
        assertThat(res.headers().firstValue("content-type")).hasValueSatisfying(
                ct -> assertThat(ct).startsWith("application/json"));
        final ChimeraException e = ErrorBody.parse(res.statusCode(), res.body());
        assertThat(e).as(res.body()).isNotNull();
        assertThat(e.httpStatus()).isEqualTo(status);
        assertThat(e.errorType()).isEqualTo(type);
        assertThat(e.getMessage()).isNotBlank();
        assertThat(Rest.get(url("/v1/chimera/health")).statusCode()).isEqualTo(200);
    }

    @Test
    @Order(1)
    void predict_beforeFit_returns409WithChimeraErrorBody() {
        final HttpResponse<String> res = Rest.post(url("/v1/chimera/aggregation/predict"), Rest.predictBody(test));
        assertError(res, 409, "NotFittedError");
        assertThat(res.body()).startsWith("{\"message\":").contains("\"details\":{\"errorCode\":409,"
                                                                    + "\"errorMessage\":\"NotFittedError\"}");
    }

    @Test
    @Order(2)
    void fitThenPredict_answersChimeraJsonAndAccurateProbabilities() {
        final HttpResponse<String> fit = Rest.post(url("/v1/chimera/aggregation/fit"), null);
        assertThat(fit.statusCode()).isEqualTo(200);
        assertThat(fit.body()).isEqualTo("{\"fit\":\"ok\"}");

        final HttpResponse<String> predict = Rest.post(url("/v1/chimera/aggregation/predict"),
                                                       Rest.predictBody(test));
        assertThat(predict.statusCode()).isEqualTo(200);
        assertThat(predict.body()).startsWith("{\"y_pred_rows\":[");
        final JsonNode body = Rest.json(predict.body());
        assertThat(body.size()).isEqualTo(1);
        final double[] p = Rest.doubles(body.get("y_pred_rows"));
        assertThat(p).hasSize(test.rows());
        int correct = 0;
        for (int i = 0; i < p.length; i++) {
            assertThat(p[i]).isBetween(0.0, 1.0);
            correct += (p[i] >= 0.5 ? 1 : 0) == test.label(i) ? 1 : 0;
        }
        assertThat((double) correct / p.length).isGreaterThanOrEqualTo(0.89);
    }

    @Test
    @Order(3)
    void grpc_fitAndPredict_matchRest() {
        final AggregationMasterServiceGrpc.AggregationMasterServiceBlockingStub stub =
                GrpcClients.newClient(run.baseUrl(),
                                      AggregationMasterServiceGrpc.AggregationMasterServiceBlockingStub.class);
        assertThat(stub.fit(FitRequest.getDefaultInstance()).getFit()).isEqualTo("ok");
        final PredictResponse grpc = stub.predict(
                Table.of(test.featureNames(), test.features(), test.rows()).toPredictRequest());
        final double[] rest = Rest.doubles(Rest.json(Rest.post(url("/v1/chimera/aggregation/predict"),
                                                               Rest.predictBody(test)).body()).get("y_pred_rows"));
        assertThat(grpc.getYPredRowsList().stream().mapToDouble(Double::doubleValue).toArray())
                .containsExactly(rest);
    }

    @Test
    @Order(4)
    void bootstrap_growsDifferentTreesOnIdenticalData() {
        final List<double[]> perWorker = new ArrayList<>();
        for (WorkerEndpoint w : run.workers()) {
            final HttpResponse<String> res = Rest.post(w.baseUrl() + "/v1/chimera/model/predict",
                                                       Rest.predictBody(test), run.workerSecret().orElseThrow());
            assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
            perWorker.add(Rest.doubles(Rest.json(res.body()).get("y_pred_rows")));
        }
        assertThat(perWorker.get(0)).isNotEqualTo(perWorker.get(1));
        assertThat(perWorker.get(1)).isNotEqualTo(perWorker.get(2));
        assertThat(perWorker.get(0)).isNotEqualTo(perWorker.get(2));
    }

    @ParameterizedTest(name = "{0}")
    @Order(5)
    @CsvSource(delimiter = '|', value = {
            "malformed JSON|{\"X_pred_columns\": [\"mean_radius\"], \"X_pred_rows\": [[1]|400|ValidationError",
            "misspelt field|{\"X_pred_column\": [\"mean_radius\"], \"X_pred_rows\": [[1]]}|400|ValidationError",
            "camelCase field|{\"xPredColumns\": [\"mean_radius\"], \"X_pred_rows\": [[1]]}|400|ValidationError",
            "wrong row width|{\"X_pred_columns\": [\"mean_radius\", \"mean_texture\"], \"X_pred_rows\": [[1]]}|400|ValidationError",
            "unknown column|{\"X_pred_columns\": [\"no_such_column\"], \"X_pred_rows\": [[1]]}|400|ValidationError",
            "non-numeric string|{\"X_pred_columns\": [\"mean_radius\"], \"X_pred_rows\": [[\"abc\"]]}|400|ValidationError",
            "wrong value type|{\"X_pred_columns\": [\"mean_radius\"], \"X_pred_rows\": 5}|400|ValidationError",
    })
    void predict_badInput_returns400WithErrorBody_andMasterStaysUp(String name, String body, int status,
                                                                   String type) {
        assertError(Rest.post(url("/v1/chimera/aggregation/predict"), body), status, type);
    }

    @Test
    @Order(6)
    void predict_unknownColumn_namesIt() {
        final HttpResponse<String> res = Rest.post(
                url("/v1/chimera/aggregation/predict"),
                Rest.predictBody(test).replace("\"mean_radius\"", "\"mean_radiuz\""));
        assertError(res, 400, "ValidationError");
        assertThat(ErrorBody.parse(400, res.body()).getMessage()).contains("mean_radius").contains("mean_radiuz");
    }

    @Test
    @Order(7)
    void predict_columnsInAnyOrderAndCase_sameAnswer() {
        final String body = Rest.predictBody(test);
        final double[] expected = Rest.doubles(Rest.json(Rest.post(url("/v1/chimera/aggregation/predict"), body)
                                                             .body()).get("y_pred_rows"));
        // Reverse the column order and upper-case the names.
        final List<String> cols = new ArrayList<>(test.featureNames());
        final StringBuilder sb = new StringBuilder("{\"X_pred_columns\": [");
        for (int c = cols.size() - 1; c >= 0; c--) {
            sb.append('"').append(" ").append(cols.get(c).toUpperCase()).append('"').append(c > 0 ? "," : "");
        }
        sb.append("], \"X_pred_rows\": [");
        for (int r = 0; r < test.rows(); r++) {
            sb.append(r > 0 ? ",[" : "[");
            for (int c = cols.size() - 1; c >= 0; c--) {
                sb.append('"').append(test.feature(r, c)).append('"').append(c > 0 ? "," : "");
            }
            sb.append(']');
        }
        sb.append("]}");
        final HttpResponse<String> res = Rest.post(url("/v1/chimera/aggregation/predict"), sb.toString());
        assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
        assertThat(Rest.doubles(Rest.json(res.body()).get("y_pred_rows"))).containsExactly(expected);
    }

    @Test
    @Order(8)
    void unknownPathAndMethod_answerErrorBody() {
        assertError(Rest.post(url("/v1/chimera/aggregation/nope"), "{}"), 404, "NotFoundError");
        assertError(Rest.get(url("/v1/chimera/aggregation/fit")), 405, "MethodNotAllowedError");
    }

    @Test
    @Order(9)
    void docsAndHealth_areServed() {
        assertThat(Rest.get(url("/docs/")).statusCode()).isEqualTo(200);
        assertThat(Rest.get(url("/v1/chimera/health")).body()).isEqualTo("{\"status\":\"ok\"}");
    }

    /** The bytes python-requests sends for chimera's example client: requests.post(url) then json= / data=. */
    @Test
    @Order(9)
    void chimerasPythonClientExchange_byteForByte() throws Exception {
        final String host = "127.0.0.1:" + run.port();
        final String fit = "POST /v1/chimera/aggregation/fit HTTP/1.1\r\n"
                           + "Host: " + host + "\r\n"
                           + "User-Agent: python-requests/2.31.0\r\n"
                           + "Accept-Encoding: gzip, deflate\r\n"
                           + "Accept: */*\r\n"
                           + "Connection: keep-alive\r\n"
                           + "Content-Length: 0\r\n\r\n";
        // json.dumps() separators: ", " and ": "; Python prints floats with repr().
        final StringBuilder json = new StringBuilder("{\"X_pred_columns\": [");
        for (int c = 0; c < test.cols(); c++) {
            json.append(c > 0 ? ", " : "").append('"').append(test.featureNames().get(c)).append('"');
        }
        json.append("], \"X_pred_rows\": [");
        for (int r = 0; r < 2; r++) {
            json.append(r > 0 ? ", [" : "[");
            for (int c = 0; c < test.cols(); c++) {
                json.append(c > 0 ? ", " : "").append(test.feature(r, c));
            }
            json.append(']');
        }
        json.append("]}");
        final byte[] body = json.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        final String predict = "POST /v1/chimera/aggregation/predict HTTP/1.1\r\n"
                               + "Host: " + host + "\r\n"
                               + "User-Agent: python-requests/2.31.0\r\n"
                               + "Accept-Encoding: gzip, deflate\r\n"
                               + "Accept: */*\r\n"
                               + "Connection: keep-alive\r\n"
                               + "Content-type: application/json\r\n"
                               + "Content-Length: " + body.length + "\r\n\r\n";
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", run.port())) {
            socket.setSoTimeout(30_000);
            final java.io.OutputStream out = socket.getOutputStream();
            final java.io.BufferedInputStream in = new java.io.BufferedInputStream(socket.getInputStream());
            out.write(fit.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            out.flush();
            final RawHttp.Response fitAnswer = RawHttp.read(in);
            assertThat(fitAnswer.statusLine).startsWith("HTTP/1.1 200");
            assertThat(fitAnswer.body).isEqualTo("{\"fit\":\"ok\"}");

            out.write(predict.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            final RawHttp.Response predictAnswer = RawHttp.read(in);
            assertThat(predictAnswer.statusLine).startsWith("HTTP/1.1 200");
            final JsonNode y = Rest.json(predictAnswer.body).get("y_pred_rows");
            assertThat(y).hasSize(2);
            assertThat(y.get(0).asDouble()).isBetween(0.0, 1.0);
        }
    }

    @Test
    @Order(10)
    void logs_writeChimeraLineFormats() throws Exception {
        final List<String> time = Files.readAllLines(dir.resolve("chimera_time.log"));
        // chimera's time handler writes the message alone, with no timestamp prefix.
        assertThat(time).allMatch(l -> l.matches("\\S+ (master|worker) endpoint latency = \\d+(\\.\\d+)? s"));
        assertThat(time).anyMatch(l -> l.matches("http://127\\.0\\.0\\.1:\\d+/v1/chimera/aggregation/fit "
                                                 + "master endpoint latency = \\d+(\\.\\d{1,4})? s"));
        assertThat(time).anyMatch(l -> l.matches("http://127\\.0\\.0\\.1:\\d+/v1/chimera/model/predict "
                                                 + "worker endpoint latency = \\d+(\\.\\d{1,4})? s"));
        final long workerFits = time.stream().filter(l -> l.contains("/v1/chimera/model/fit worker")).count();
        assertThat(workerFits).isGreaterThanOrEqualTo(3);
        final String status = Files.readString(dir.resolve("chimera_status.log"));
        assertThat(status).contains(" - chimera_status - INFO - Serving AggregationMaster at port ");
    }
}
