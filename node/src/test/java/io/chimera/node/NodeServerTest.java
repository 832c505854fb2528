package io.chimera.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.client.grpc.GrpcClients;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaders;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.RequestHeaders;

import io.chimera.common.ChimeraException;
import io.chimera.common.ErrorBody;
import io.chimera.common.Table;
import io.chimera.proto.v1.FitRequest;
import io.chimera.proto.v1.FitResponse;
import io.chimera.proto.v1.FitStepRequest;
import io.chimera.proto.v1.FitStepResponse;
import io.chimera.proto.v1.Matrix;
import io.chimera.proto.v1.ModelWorkerServiceGrpc;
import io.chimera.proto.v1.PredictRequest;
import io.chimera.proto.v1.PredictResponse;
import io.chimera.proto.v1.SgdWorkerServiceGrpc;
import io.grpc.Status;
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

    /** Answers every fit-step with an empty gradient; served on the event loop, as SGD workers do. */
    static final class StepService extends SgdWorkerServiceGrpc.SgdWorkerServiceImplBase {
        @Override
        public void fitStep(FitStepRequest request, StreamObserver<FitStepResponse> out) {
            out.onNext(FitStepResponse.getDefaultInstance());
            out.onCompleted();
        }
    }

    static NodeServer server;
    static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void start() {
        server = NodeServer.builder().name("test").service(new EchoService()).quickService(new StepService())
                           .maxRequestBytes(1 << 20).build().start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static HttpResponse<String> post(String path, String contentType, String body) throws Exception {
        return send("POST", path, contentType, body);
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
    void metrics_countAndTimeEachEndpointByPath_inPrometheusFormat() throws Exception {
        assertThat(post("/v1/chimera/model/fit", null, null).statusCode()).isEqualTo(200);
        assertThat(post("/v1/chimera/model/predict", "application/json",
                        "{\"X_pred_columns\": [\"a\"], \"X_pred_rows\": [[1]]}").statusCode()).isEqualTo(200);
        final HttpResponse<String> res = send("GET", "/v1/chimera/metrics", null, null);
        assertThat(res.statusCode()).isEqualTo(200);
        assertThat(res.headers().firstValue("content-type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/plain"));
        assertThat(res.body())
                .contains("# TYPE chimera_server_total_duration_seconds histogram")
                .containsPattern("chimera_server_total_duration_seconds_bucket\\{[^}]*"
                                 + "path=\"/v1/chimera/model/predict\"[^}]*le=\"0\\.005\"")
                .containsPattern("chimera_server_requests_total\\{[^}]*path=\"/v1/chimera/model/fit\"[^}]*\\} [1-9]")
                .contains("jvm_memory_used_bytes");
    }

    @Test
    void metrics_withAnotherMethod_answers405ErrorBody() throws Exception {
        assertErrorBody(send("POST", "/v1/chimera/metrics", null, null), 405, "MethodNotAllowedError",
                        "/v1/chimera/metrics");
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

    static void assertErrorBody(HttpResponse<String> res, int status, String type, String... mentions) {
        assertThat(res.statusCode()).as(res.body()).isEqualTo(status);
        assertThat(res.headers().firstValue("content-type")).hasValue("application/json; charset=utf-8");
        final ChimeraException e = ErrorBody.parse(res.statusCode(), res.body());
        assertThat(e).as(res.body()).isNotNull();
        assertThat(e.httpStatus()).isEqualTo(status);
        assertThat(e.errorType()).isEqualTo(type);
        assertThat(e.getMessage()).contains(mentions);
    }

    static HttpResponse<String> send(String method, String path, String contentType, String body)
            throws Exception {
        final HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                                      : HttpRequest.BodyPublishers.ofString(body));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** One gRPC call with a hand-made payload: {@code payload} framed as gRPC's length-prefixed message. */
    static AggregatedHttpResponse grpcCall(String path, String contentType, byte[] payload) {
        final byte[] framed = new byte[payload.length + 5];
        for (int i = 0; i < 4; i++) {
            framed[1 + i] = (byte) (payload.length >>> (24 - 8 * i));
        }
        System.arraycopy(payload, 0, framed, 5, payload.length);
        return WebClient.of("http://127.0.0.1:" + server.port())
                        .execute(RequestHeaders.of(HttpMethod.POST, path, "content-type", contentType,
                                                   "te", "trailers"),
                                 HttpData.wrap(framed))
                        .aggregate().join();
    }

    /** Asserts a gRPC answer failed with {@code code}, chimera's trailers and a description naming the problem. */
    static void assertGrpcError(AggregatedHttpResponse res, Status.Code code, int status, String type,
                                String... mentions) {
        // A failure before any message is a "trailers-only" answer: everything is in the headers.
        final HttpHeaders t = res.trailers().isEmpty() ? res.headers() : res.trailers();
        assertThat(res.status().code()).isEqualTo(200);
        assertThat(t.get("grpc-status")).as(t.toString()).isEqualTo(Integer.toString(code.value()));
        assertThat(t.get(ErrorBody.STATUS_KEY.name())).isEqualTo(Integer.toString(status));
        assertThat(t.get(ErrorBody.TYPE_KEY.name())).isEqualTo(type);
        // grpc-message is percent-encoded UTF-8.
        assertThat(URLDecoder.decode(t.get("grpc-message").replace("+", "%2B"), StandardCharsets.UTF_8))
                .contains(mentions);
    }

    @Test
    void jsonOnGrpcPath_answers415ErrorBodyNamingTheRestRoute() throws Exception {
        assertErrorBody(send("POST", "/chimera.v1.ModelWorkerService/Predict", "application/json", "{}"),
                        415, "UnsupportedMediaTypeError", "Content-Type: application/json",
                        "POST /v1/chimera/model/predict");
        assertErrorBody(send("POST", "/chimera.v1.ModelWorkerService/Fit", null, null),
                        415, "UnsupportedMediaTypeError", "Content-Type: none", "POST /v1/chimera/model/fit");
        assertThat(post("/v1/chimera/model/fit", null, null).statusCode()).isEqualTo(200);
    }

    @Test
    void getOnGrpcPath_answers405ErrorBody() throws Exception {
        assertErrorBody(send("GET", "/chimera.v1.ModelWorkerService/Predict", null, null),
                        405, "MethodNotAllowedError", "GET /chimera.v1.ModelWorkerService/Predict",
                        "POST /v1/chimera/model/predict");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"X_pred_columns\": [\"a\"], \"X_pred_rows\": [[1]]} trailing|malformed JSON: unexpected content after the JSON object",
            "{\"X_pred_columns\": [\"a\"], \"X_pred_rows\": [[1]]}}|malformed JSON: unexpected content after the JSON object",
            "{\"X_pred_columns\": [\"a\"], \"X_pred_rows\": [[1]], \"X_pred_rows\": [[2]]}|malformed JSON: Duplicate field 'X_pred_rows'",
            "[1, 2]|the body must be a JSON object ({...}), not an array",
            "null|the body must be a JSON object ({...}), not null",
            "\"text\"|the body must be a JSON object ({...}), not a string",
            "'  '|the body is blank (expected: a JSON object, or no body)",
            "{\"X_pred_columns\": [\"a\"], \"X_pred_matrix\": {\"rows\": \"x\", \"cols\": 1, \"values\": [1]}}|Not an int32 value: x",
    })
    void predict_badJson_answers400NamingTheProblem(String body, String message) throws Exception {
        assertErrorBody(post("/v1/chimera/model/predict", "application/json", body), 400, "ValidationError",
                        message);
        assertThat(post("/v1/chimera/model/fit", null, null).statusCode()).isEqualTo(200);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"step\": \"x\"}|a number field holds a value that is not a number (Character x is neither",
            "{\"step\": \"1.5\"}|Not an int64 value: 1.5",
            "{\"step\": 1e30}|Not an int64 value: 1.0E30",
    })
    void fitStep_integerFieldThatIsNotAnInteger_answers400NotInternalError(String body, String message)
            throws Exception {
        assertErrorBody(post("/v1/chimera/sgd/fit-step", "application/json", body), 400, "ValidationError",
                        message);
        assertThat(post("/v1/chimera/sgd/fit-step", "application/json", "{\"step\": 3}").statusCode())
                .isEqualTo(200);
    }

    @Test
    void chunkedBodyOverLimit_answers413ErrorBody() throws Exception {
        final byte[] body = ("{\"X_pred_columns\":[\"a\"],\"X_pred_rows\":[[" + "1,".repeat(600_000) + "1]]}")
                .getBytes(StandardCharsets.US_ASCII);
        final HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                                                                  + "/v1/chimera/model/predict"))
                                           .header("Content-Type", "application/json")
                                           .POST(HttpRequest.BodyPublishers.ofInputStream(
                                                   () -> new java.io.ByteArrayInputStream(body)))
                                           .build();
        assertErrorBody(http.send(req, HttpResponse.BodyHandlers.ofString()), 413, "PayloadTooLargeError",
                        "request body too large (expected: at most 1048576 bytes)");
    }

    @Test
    void grpc_unknownMethod_failsWithNotFoundAndChimeraTrailers() {
        assertGrpcError(grpcCall("/chimera.v1.ModelWorkerService/Nope", "application/grpc", new byte[0]),
                        Status.Code.NOT_FOUND, 404, "NotFoundError", "/chimera.v1.ModelWorkerService/Nope");
    }

    @Test
    void grpc_bytesThatAreNotAMessage_areAValidationError() {
        assertGrpcError(grpcCall("/chimera.v1.ModelWorkerService/Predict", "application/grpc",
                                 new byte[] { (byte) 0xff, 1, 2, 3 }),
                        Status.Code.INVALID_ARGUMENT, 400, "ValidationError", "invalid gRPC request");
    }

    @Test
    void grpc_malformedFrame_isAValidationError() {
        // The first byte of a gRPC frame is a flag whose upper bits must be zero.
        final AggregatedHttpResponse res = WebClient.of("http://127.0.0.1:" + server.port()).execute(
                RequestHeaders.of(HttpMethod.POST, "/chimera.v1.ModelWorkerService/Predict",
                                  "content-type", "application/grpc", "te", "trailers"),
                HttpData.ofUtf8("xx")).aggregate().join();
        assertGrpcError(res, Status.Code.INVALID_ARGUMENT, 400, "ValidationError",
                        "invalid gRPC request", "Frame header malformed");
    }

    @Test
    void grpcJson_badJson_isAValidationError() {
        assertGrpcError(grpcCall("/chimera.v1.ModelWorkerService/Predict", "application/grpc+json",
                                 "{\"X_pred_columns\": [\"a\"], \"X_pred_matrix\": {\"rows\": \"x\"}}"
                                         .getBytes(StandardCharsets.UTF_8)),
                        Status.Code.INVALID_ARGUMENT, 400, "ValidationError", "Not an int32 value: x");
        assertGrpcError(grpcCall("/chimera.v1.ModelWorkerService/Predict", "application/grpc+json",
                                 "{\"X_pred".getBytes(StandardCharsets.UTF_8)),
                        Status.Code.INVALID_ARGUMENT, 400, "ValidationError", "Unexpected end-of-input");
    }

    @Test
    void grpc_messageOverLimit_failsWithPayloadTooLarge() {
        final ModelWorkerServiceGrpc.ModelWorkerServiceBlockingStub stub =
                GrpcClients.newClient("http://127.0.0.1:" + server.port(),
                                      ModelWorkerServiceGrpc.ModelWorkerServiceBlockingStub.class);
        final Matrix.Builder m = Matrix.newBuilder().setRows(200_000).setCols(1);
        for (int i = 0; i < 200_000; i++) {
            m.addValues(i);
        }
        assertThatThrownBy(() -> stub.predict(PredictRequest.newBuilder().addXPredColumns("a").setXPredMatrix(m)
                                                            .build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    final ChimeraException c = ErrorBody.fromGrpc(e.getStatus(), e.getTrailers());
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(c.httpStatus()).isEqualTo(413);
                    assertThat(c.errorType()).isEqualTo("PayloadTooLargeError");
                    assertThat(c.getMessage()).contains("1048576");
                });
        assertThat(stub.fit(FitRequest.getDefaultInstance()).getFit()).isEqualTo("ok");
    }
}
