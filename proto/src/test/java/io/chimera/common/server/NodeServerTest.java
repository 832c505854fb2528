package io.chimera.common.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.linecorp.armeria.client.grpc.GrpcClients;

import io.chimera.common.ChimeraException;
import io.chimera.common.ErrorBody;
import io.chimera.common.Table;
import io.chimera.proto.v1.FitRequest;
import io.chimera.proto.v1.FitResponse;
import io.chimera.proto.v1.ModelWorkerServiceGrpc;
import io.chimera.proto.v1.PredictRequest;
import io.chimera.proto.v1.PredictResponse;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;

class NodeServerTest {

    /** Echoes the first column of each row; predict with a column named "boom" fails like a bug would. */
    static final class EchoService extends ModelWorkerServiceGrpc.ModelWorkerServiceImplBase {
        @Override
        public void fit(FitRequest request, StreamObserver<FitResponse> out) {
            out.onNext(FitResponse.newBuilder().setFit("ok").build());
            out.onCompleted();
        }

        @Override
        public void predict(PredictRequest request, StreamObserver<PredictResponse> out) {
            final Table t = Table.fromPredictRequest(request);
            if (t.columns().contains("notfitted")) {
                throw ChimeraException.notFitted("the model is not fitted yet: call fit first");
            }
            if (t.columns().contains("boom")) {
                throw new IllegalStateException("boom");
            }
            final PredictResponse.Builder b = PredictResponse.newBuilder();
            for (int r = 0; r < t.rows(); r++) {
                b.addYPredRows(t.get(r, 0));
            }
            out.onNext(b.build());
            out.onCompleted();
        }
    }

    static NodeServer server;
    static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void start() {
        server = NodeServer.builder().name("test").service(new EchoService()).maxRequestBytes(1 << 20)
                           .build().start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static HttpResponse<String> post(String path, String contentType, String body) throws Exception {
        final HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        b.POST(body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void fit_withoutBody_answersOk() throws Exception {
        final HttpResponse<String> res = post("/v1/chimera/model/fit", null, null);
        assertThat(res.statusCode()).isEqualTo(200);
        assertThat(res.body()).isEqualTo("{\"fit\":\"ok\"}");
    }

    @Test
    void predict_rows_answersWithChimeraNames() throws Exception {
        final HttpResponse<String> res = post("/v1/chimera/model/predict", "application/json",
                "{\"X_pred_columns\": [\" A \", \"b\"], \"X_pred_rows\": [[1, \"2\"], [\"3.5\", true]]}");
        assertThat(res.statusCode()).isEqualTo(200);
        assertThat(res.body()).isEqualTo("{\"y_pred_rows\":[1.0,3.5]}");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"X_pred_columns\": [\"a\"], \"X_pred_rows\": [[1]|400|ValidationError",
            "{\"XPredColumns\": [\"a\"], \"X_pred_rows\": [[1]]}|400|ValidationError",
            "{\"X_pred_columns\": [\"a\"], \"X_pred_rowz\": [[1]]}|400|ValidationError",
            "{\"X_pred_columns\": \"a\", \"X_pred_rows\": [[1]]}|400|ValidationError",
            "{\"X_pred_columns\": [\"a\"], \"X_pred_rows\": [[1, 2]]}|400|ValidationError",
            "{\"X_pred_columns\": [\"a\"], \"X_pred_rows\": [[\"x\"]]}|400|ValidationError",
            "{\"X_pred_columns\": [\"a\"], \"X_pred_rows\": []}|400|ValidationError",
            "{\"X_pred_columns\": [\"notfitted\"], \"X_pred_rows\": [[1]]}|409|NotFittedError",
            "{\"X_pred_columns\": [\"boom\"], \"X_pred_rows\": [[1]]}|500|InternalError",
            "[1, 2]|400|ValidationError",
    })
    void predict_badInput_answersErrorBody(String body, int status, String type) throws Exception {
        final HttpResponse<String> res = post("/v1/chimera/model/predict", "application/json", body);
        assertThat(res.statusCode()).isEqualTo(status);
        final ChimeraException e = ErrorBody.parse(res.statusCode(), res.body());
        assertThat(e).isNotNull();
        assertThat(e.errorType()).isEqualTo(type);
        assertThat(e.httpStatus()).isEqualTo(status);
        assertThat(post("/v1/chimera/model/fit", null, null).statusCode()).isEqualTo(200);
    }

    @Test
    void unknownPath_and_wrongMethod_answerErrorBody() throws Exception {
        HttpResponse<String> res = post("/v1/chimera/nope", "application/json", "{}");
        assertThat(res.statusCode()).isEqualTo(404);
        assertThat(ErrorBody.parse(404, res.body())).isNotNull();
        res = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                                                          + "/v1/chimera/model/fit")).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(res.statusCode()).isEqualTo(405);
        assertThat(ErrorBody.parse(405, res.body())).isNotNull();
        res = post("/v1/chimera/model/predict", "text/plain", "hello");
        assertThat(res.statusCode()).isEqualTo(415);
        res = post("/v1/chimera/model/predict", "application/json", "{\"X_pred_columns\":[\"a\"],\"X_pred_rows\":[["
                                                                  + "1,".repeat(600_000) + "1]]}");
        assertThat(res.statusCode()).isEqualTo(413);
        assertThat(ErrorBody.parse(413, res.body()).getMessage())
                .isEqualTo("request body too large (expected: at most 1048576 bytes)");
    }

    @Test
    void grpc_errorCarriesChimeraTrailers() {
        final ModelWorkerServiceGrpc.ModelWorkerServiceBlockingStub stub =
                GrpcClients.newClient("http://127.0.0.1:" + server.port(),
                                      ModelWorkerServiceGrpc.ModelWorkerServiceBlockingStub.class);
        try {
            stub.predict(PredictRequest.newBuilder().addXPredColumns("notfitted")
                                       .addXPredRows(com.google.protobuf.ListValue.newBuilder().addValues(
                                               com.google.protobuf.Value.newBuilder().setNumberValue(1)))
                                       .build());
            throw new AssertionError("expected an error");
        } catch (StatusRuntimeException e) {
            final ChimeraException c = ErrorBody.fromGrpc(e.getStatus(), e.getTrailers());
            assertThat(c.httpStatus()).isEqualTo(409);
            assertThat(c.errorType()).isEqualTo("NotFittedError");
        }
    }
}
