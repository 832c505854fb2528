package io.chimera.server;

import static io.chimera.server.InProcessNodes.COLUMNS;
import static io.chimera.server.InProcessNodes.Node.AGGREGATION_MASTER;
import static io.chimera.server.InProcessNodes.Node.MODEL_WORKER;
import static io.chimera.server.InProcessNodes.Node.PARAMETER_SERVER_MASTER;
import static io.chimera.server.InProcessNodes.Node.SGD_WORKER;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.google.protobuf.ListValue;
import com.google.protobuf.NullValue;
import com.google.protobuf.Value;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.client.grpc.GrpcClients;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaders;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.RequestHeaders;

import io.chimera.common.ChimeraException;
import io.chimera.common.ErrorBody;
import io.chimera.proto.v1.AggregationMasterServiceGrpc.AggregationMasterServiceBlockingStub;
import io.chimera.proto.v1.FitStepRequest;
import io.chimera.proto.v1.Matrix;
import io.chimera.proto.v1.ModelWorkerServiceGrpc.ModelWorkerServiceBlockingStub;
import io.chimera.proto.v1.ParameterServerMasterServiceGrpc.ParameterServerMasterServiceBlockingStub;
import io.chimera.proto.v1.PredictRequest;
import io.chimera.proto.v1.SgdOptions;
import io.chimera.proto.v1.SgdWorkerServiceGrpc.SgdWorkerServiceBlockingStub;
import io.chimera.server.InProcessNodes.Node;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/**
 * The bad-input catalogue over gRPC: what a gRPC caller can get wrong, with the generated stubs (protobuf)
 * or with hand-made payloads (bytes that are no message, gRPC-JSON). Each call must fail with the gRPC code
 * that matches the documented HTTP status, chimera's trailers ({@code chimera-error-code},
 * {@code chimera-error-message}) and a description naming the problem; the node must go on serving.
 */
class BadInputGrpcCatalogueTest {

    /** What the catalogue showed, printed when it ends (the figures in docs/errors.md). */
    static final BadInputFigures FIGURES = new BadInputFigures("gRPC");

    @org.junit.jupiter.api.AfterAll
    static void printFigures() {
        FIGURES.print();
    }

    static final String VALIDATION = ChimeraException.VALIDATION_ERROR;
    static final String PROTO = "application/grpc";
    static final String GRPC_JSON = "application/grpc+json";

    @RegisterExtension
    static final InProcessNodes nodes = new InProcessNodes();

    /** A cell of {@code X_pred_rows}: a number, a string, a boolean, null, or a list. */
    static Value cell(Object v) {
        if (v == null) {
            return Value.newBuilder().setNullValue(NullValue.NULL_VALUE).build();
        }
        if (v instanceof Number) {
            return Value.newBuilder().setNumberValue(((Number) v).doubleValue()).build();
        }
        if (v instanceof List) {
            final ListValue.Builder list = ListValue.newBuilder();
            ((List<?>) v).forEach(e -> list.addValues(cell(e)));
            return Value.newBuilder().setListValue(list).build();
        }
        return Value.newBuilder().setStringValue(v.toString()).build();
    }

    /** A predict request with {@code columns} and one {@code X_pred_rows} row per array. */
    static PredictRequest rows(List<String> columns, Object[]... rows) {
        final PredictRequest.Builder b = PredictRequest.newBuilder().addAllXPredColumns(columns);
        for (Object[] row : rows) {
            final ListValue.Builder r = ListValue.newBuilder();
            Arrays.stream(row).forEach(v -> r.addValues(cell(v)));
            b.addXPredRows(r);
        }
        return b.build();
    }

    static PredictRequest rows(Object[]... rows) {
        return rows(COLUMNS, rows);
    }

    /** A predict request with the iris columns and {@code X_pred_matrix}. */
    static PredictRequest matrix(int rows, int cols, double... values) {
        return PredictRequest.newBuilder().addAllXPredColumns(COLUMNS).setXPredMatrix(
                Matrix.newBuilder().setRows(rows).setCols(cols)
                      .addAllValues(Arrays.stream(values).boxed().toList())).build();
    }

    static Object[] row(Object... cells) {
        return cells;
    }

    static FitStepRequest step(double[] weights, double... bias) {
        return FitStepRequest.newBuilder().addAllWeights(Arrays.stream(weights).boxed().toList())
                             .addAllBias(Arrays.stream(bias).boxed().toList()).build();
    }

    static AggregationMasterServiceBlockingStub aggregation(String url) {
        return GrpcClients.newClient(url, AggregationMasterServiceBlockingStub.class);
    }

    static ParameterServerMasterServiceBlockingStub parameterServer(String url) {
        return GrpcClients.newClient(url, ParameterServerMasterServiceBlockingStub.class);
    }

    static ModelWorkerServiceBlockingStub modelWorker(String url) {
        return GrpcClients.newClient(url, ModelWorkerServiceBlockingStub.class);
    }

    static SgdWorkerServiceBlockingStub sgdWorker(String url) {
        return GrpcClients.newClient(url, SgdWorkerServiceBlockingStub.class);
    }

    static BadCall bad(Node node, String name, StubCall call) {
        return new BadCall(node, name, url -> {
            try {
                call.call(url);
            } catch (StatusRuntimeException e) {
                final Metadata t = e.getTrailers() != null ? e.getTrailers() : new Metadata();
                return new Failure(e.getStatus().getCode(), e.getStatus().getDescription(),
                                   t.get(ErrorBody.STATUS_KEY), t.get(ErrorBody.TYPE_KEY));
            }
            throw new AssertionError("the call succeeded");
        });
    }

    /** A call with a hand-made payload, framed as gRPC's length-prefixed message. */
    static BadCall bad(Node node, String name, String method, String contentType, byte[] payload) {
        return new BadCall(node, name, url -> {
            final byte[] framed = new byte[payload.length + 5];
            for (int i = 0; i < 4; i++) {
                framed[1 + i] = (byte) (payload.length >>> (24 - 8 * i));
            }
            System.arraycopy(payload, 0, framed, 5, payload.length);
            final AggregatedHttpResponse res = WebClient.of(url).execute(
                    RequestHeaders.of(HttpMethod.POST, method, "content-type", contentType, "te", "trailers"),
                    HttpData.wrap(framed)).aggregate().join();
            assertThat(res.status().code()).as(res.toString()).isEqualTo(200);
            // A call failed before any answer is "trailers-only": the status is in the headers.
            final HttpHeaders t = res.trailers().isEmpty() ? res.headers() : res.trailers();
            final String message = t.get("grpc-message");
            return new Failure(Status.fromCodeValue(Integer.parseInt(t.get("grpc-status"))).getCode(),
                               message == null ? null : URLDecoder.decode(message.replace("+", "%2B"),
                                                                          StandardCharsets.UTF_8),
                               t.get(ErrorBody.STATUS_KEY.name()), t.get(ErrorBody.TYPE_KEY.name()));
        });
    }

    static BadCall bad(Node node, String name, String method, String contentType, String payload) {
        return bad(node, name, method, contentType, payload.getBytes(StandardCharsets.UTF_8));
    }

    /** Every case: the first catalogue, then those of issue 17's trials. */
    static List<BadCall> catalogue() {
        final List<BadCall> all = new java.util.ArrayList<>(firstCatalogue());
        all.addAll(numbersAndNames());
        return all;
    }

    static List<BadCall> firstCatalogue() {
        final byte[] notAMessage = { (byte) 0xff, 0x01, 0x02, 0x03 };
        return List.of(
                // AggregationMaster
                bad(AGGREGATION_MASTER, "empty X_pred_rows", url -> aggregation(url).predict(rows()))
                        .fails(400, VALIDATION, "X_pred_rows: empty"),
                bad(AGGREGATION_MASTER, "ragged rows",
                    url -> aggregation(url).predict(rows(row(5.1, 3.5, 1.4, 0.2), row(6.7, 3.0))))
                        .fails(400, VALIDATION, "row 2 has 2 values (expected: 4"),
                bad(AGGREGATION_MASTER, "row wider than the columns",
                    url -> aggregation(url).predict(rows(row(5.1, 3.5, 1.4, 0.2, 7))))
                        .fails(400, VALIDATION, "row 1 has 5 values (expected: 4"),
                bad(AGGREGATION_MASTER, "duplicate column", url -> aggregation(url).predict(
                        rows(List.of("a", "b", "A "), row(1, 2, 3))))
                        .fails(400, VALIDATION, "duplicate column 'a'"),
                bad(AGGREGATION_MASTER, "unknown column", url -> aggregation(url).predict(rows(
                        List.of("sepal_length_cm", "sepal_width_cm", "petal_length_cm", "petal_widht_cm"),
                        row(5.1, 3.5, 1.4, 0.2))))
                        .fails(400, VALIDATION, "unknown columns [petal_widht_cm]"),
                bad(AGGREGATION_MASTER, "empty columns", url -> aggregation(url).predict(rows(List.of(), row())))
                        .fails(400, VALIDATION, "X_pred_columns: empty"),
                bad(AGGREGATION_MASTER, "non-numeric string",
                    url -> aggregation(url).predict(rows(row(5.1, "abc", 1.4, 0.2))))
                        .fails(400, VALIDATION, "column 'sepal_width_cm': \"abc\" is not a number"),
                bad(AGGREGATION_MASTER, "a cell null",
                    url -> aggregation(url).predict(rows(row(5.1, 3.5, null, 0.2))))
                        .fails(400, VALIDATION, "column 'petal_length_cm': null is not a number"),
                bad(AGGREGATION_MASTER, "NaN in the matrix",
                    url -> aggregation(url).predict(matrix(1, 4, 5.1, Double.NaN, 1.4, 0.2)))
                        .fails(400, VALIDATION, "X_pred_matrix: row 1, column 'sepal_width_cm': NaN is not a "
                                                + "finite number"),
                bad(AGGREGATION_MASTER, "Infinity in the matrix",
                    url -> aggregation(url).predict(matrix(1, 4, 5.1, 3.5, 1.4, Double.NEGATIVE_INFINITY)))
                        .fails(400, VALIDATION, "-Infinity is not a finite number"),
                bad(AGGREGATION_MASTER, "matrix with too few values",
                    url -> aggregation(url).predict(matrix(2, 4, 5.1, 3.5, 1.4, 0.2)))
                        .fails(400, VALIDATION, "X_pred_matrix: 2 x 4 with 4 values"),
                bad(AGGREGATION_MASTER, "rows and matrix both", url -> aggregation(url).predict(
                        matrix(1, 4, 5.1, 3.5, 1.4, 0.2).toBuilder()
                                .addXPredRows(rows(row(5.1, 3.5, 1.4, 0.2)).getXPredRows(0)).build()))
                        .fails(400, VALIDATION, "give either X_pred_rows or X_pred_matrix, not both"),
                bad(AGGREGATION_MASTER, "bytes that are not a message",
                    "/chimera.v1.AggregationMasterService/Predict", PROTO, notAMessage)
                        .fails(400, VALIDATION, "invalid gRPC request: Protocol message tag had invalid wire type"),
                bad(AGGREGATION_MASTER, "malformed gRPC-JSON", "/chimera.v1.AggregationMasterService/Predict",
                    GRPC_JSON, "{\"X_pred_columns\": [")
                        .fails(400, VALIDATION, "invalid JSON for this request: Unexpected end-of-input: expected "
                                                + "close marker for Array"),
                bad(AGGREGATION_MASTER, "misspelt gRPC-JSON field", "/chimera.v1.AggregationMasterService/Predict",
                    GRPC_JSON, "{\"X_pred_column\": [\"a\"]}")
                        .fails(400, VALIDATION, "unknown field 'X_pred_column' (expected: X_pred_columns"),
                bad(AGGREGATION_MASTER, "fit with a gRPC-JSON field", "/chimera.v1.AggregationMasterService/Fit",
                    GRPC_JSON, "{\"foo\": 1}")
                        .fails(400, VALIDATION, "unknown field 'foo' (expected: no fields)"),
                bad(AGGREGATION_MASTER, "unknown method", "/chimera.v1.AggregationMasterService/Train", PROTO,
                    new byte[0])
                        .fails(404, "NotFoundError", "Not Found: POST /chimera.v1.AggregationMasterService/Train"),
                bad(AGGREGATION_MASTER, "a worker's method", "/chimera.v1.SgdWorkerService/FitStep", PROTO,
                    new byte[0])
                        .fails(404, "NotFoundError", "/chimera.v1.SgdWorkerService/FitStep"),

                // ParameterServerMaster
                bad(PARAMETER_SERVER_MASTER, "row narrower than the columns",
                    url -> parameterServer(url).predict(rows(row(5.1, 3.5))))
                        .fails(400, VALIDATION, "row 1 has 2 values (expected: 4"),
                bad(PARAMETER_SERVER_MASTER, "unknown column", url -> parameterServer(url).predict(rows(
                        List.of("sepal_length_cm", "sepal_width_cm", "petal_length_cm", "petal_width"),
                        row(5.1, 3.5, 1.4, 0.2))))
                        .fails(400, VALIDATION, "missing columns [petal_width_cm]", "unknown columns [petal_width]"),
                bad(PARAMETER_SERVER_MASTER, "NaN in the matrix",
                    url -> parameterServer(url).predict(matrix(1, 4, Double.NaN, 3.5, 1.4, 0.2)))
                        .fails(400, VALIDATION, "column 'sepal_length_cm': NaN is not a finite number"),
                bad(PARAMETER_SERVER_MASTER, "huge number 1e400 in gRPC-JSON",
                    "/chimera.v1.ParameterServerMasterService/Predict", GRPC_JSON,
                    "{\"X_pred_columns\": [\"a\"], \"X_pred_matrix\": {\"rows\": 1, \"cols\": 1, \"values\": [1e400]}}")
                        .fails(400, VALIDATION, "1e400"),

                // ModelWorker
                bad(MODEL_WORKER, "missing column", url -> modelWorker(url).predict(rows(
                        List.of("sepal_length_cm", "sepal_width_cm", "petal_length_cm"), row(5.1, 3.5, 1.4))))
                        .fails(400, VALIDATION, "missing columns [petal_width_cm]"),
                bad(MODEL_WORKER, "matrix wider than the columns",
                    url -> modelWorker(url).predict(matrix(1, 5, 5.1, 3.5, 1.4, 0.2, 9)))
                        .fails(400, VALIDATION, "X_pred_matrix: 1 x 5 with 5 values (expected: rows > 0, cols = 4"),
                bad(MODEL_WORKER, "a list in a cell",
                    url -> modelWorker(url).predict(rows(row(5.1, 3.5, List.of(1.4), 0.2))))
                        .fails(400, VALIDATION, "a nested list or object is not a number"),
                bad(MODEL_WORKER, "a blank column name", url -> modelWorker(url).predict(rows(List.of(" "), row(1))))
                        .fails(400, VALIDATION, "X_pred_columns: a column name is empty"),
                bad(MODEL_WORKER, "bytes that are not a message", "/chimera.v1.ModelWorkerService/Predict", PROTO,
                    notAMessage)
                        .fails(400, VALIDATION, "invalid gRPC request"),
                bad(MODEL_WORKER, "unknown method", "/chimera.v1.ModelWorkerService/Score", PROTO, new byte[0])
                        .fails(404, "NotFoundError", "/chimera.v1.ModelWorkerService/Score"),

                // SGDWorker
                bad(SGD_WORKER, "weights vector too short",
                    url -> sgdWorker(url).fitStep(step(new double[] { 0, 0 }, 0)))
                        .fails(400, VALIDATION, "weights.length: 2 (expected: 4 = 1 output(s) x 4 columns)"),
                bad(SGD_WORKER, "weights vector too long",
                    url -> sgdWorker(url).fitStep(step(new double[8], 0)))
                        .fails(400, VALIDATION, "weights.length: 8 (expected: 4"),
                bad(SGD_WORKER, "no bias", url -> sgdWorker(url).fitStep(step(new double[4])))
                        .fails(400, VALIDATION, "bias.length: 0 (expected: 1, one per output)"),
                bad(SGD_WORKER, "NaN weight",
                    url -> sgdWorker(url).fitStep(step(new double[] { 0, Double.NaN, 0, 0 }, 0)))
                        .fails(400, VALIDATION, "weights[1]: NaN"),
                bad(SGD_WORKER, "Infinity bias",
                    url -> sgdWorker(url).fitStep(step(new double[4], Double.POSITIVE_INFINITY)))
                        .fails(400, VALIDATION, "bias[0]: Infinity"),
                bad(SGD_WORKER, "unknown loss", url -> sgdWorker(url).fitStep(
                        step(new double[4], 0).toBuilder().setOptions(SgdOptions.newBuilder().setLoss("cubic"))
                                              .build()))
                        .fails(400, VALIDATION, "options.loss: cubic (expected: one of"),
                bad(SGD_WORKER, "negative batch size", url -> sgdWorker(url).fitStep(
                        step(new double[4], 0).toBuilder().setOptions(SgdOptions.newBuilder().setBatchSize(-1))
                                              .build()))
                        .fails(400, VALIDATION, "options.batch_size: -1"),
                bad(SGD_WORKER, "bytes that are not a message", "/chimera.v1.SgdWorkerService/FitStep", PROTO,
                    notAMessage)
                        .fails(400, VALIDATION, "invalid gRPC request"),
                bad(SGD_WORKER, "step not a number in gRPC-JSON", "/chimera.v1.SgdWorkerService/FitStep", GRPC_JSON,
                    "{\"weights\": [0, 0, 0, 0], \"bias\": [0], \"step\": \"x\"}")
                        .fails(400, VALIDATION, "a number field holds a value that is not a number"),
                bad(SGD_WORKER, "non-numeric weight in gRPC-JSON", "/chimera.v1.SgdWorkerService/FitStep",
                    GRPC_JSON, "{\"weights\": [0, 0, \"abc\", 0], \"bias\": [0]}")
                        .fails(400, VALIDATION, "abc"),
                bad(SGD_WORKER, "request-data-sample with a gRPC-JSON field",
                    "/chimera.v1.SgdWorkerService/RequestDataSample", GRPC_JSON, "{\"rows\": 10}")
                        .fails(400, VALIDATION, "unknown field 'rows' (expected: no fields)"),
                bad(SGD_WORKER, "a model worker's method", "/chimera.v1.ModelWorkerService/Predict", PROTO,
                    new byte[0])
                        .fails(404, "NotFoundError", "/chimera.v1.ModelWorkerService/Predict"));
    }

    /** Issue 17's trials over gRPC: numbers that are not, names and lists too long for a trailer, Unicode. */
    static List<BadCall> numbersAndNames() {
        final List<BadCall> cases = new java.util.ArrayList<>();
        final String longName = "c".repeat(7500);
        final List<String> wide = new java.util.ArrayList<>(COLUMNS);
        final Object[] wideRow = new Object[1004];
        Arrays.fill(wideRow, 0.5);
        for (int i = 0; i < 1000; i++) {
            wide.add("extra_" + i);
        }
        final java.util.Map<Node, java.util.function.BiConsumer<String, PredictRequest>> predict = new java.util.LinkedHashMap<>();
        predict.put(AGGREGATION_MASTER, (url, r) -> aggregation(url).predict(r));
        predict.put(PARAMETER_SERVER_MASTER, (url, r) -> parameterServer(url).predict(r));
        predict.put(MODEL_WORKER, (url, r) -> modelWorker(url).predict(r));
        predict.forEach((node, call) -> {
            cases.add(bad(node, "Java double suffix 1d", url -> {
                call.accept(url, rows(row("1d", 3.5, 1.4, 0.2)));
                return null;
            }).fails(400, VALIDATION, "column 'sepal_length_cm': \"1d\" is not a number"));
            cases.add(bad(node, "hexadecimal float", url -> {
                call.accept(url, rows(row(5.1, "0x1p3", 1.4, 0.2)));
                return null;
            }).fails(400, VALIDATION, "column 'sepal_width_cm': \"0x1p3\" is not a number"));
            cases.add(bad(node, "digit separators", url -> {
                call.accept(url, rows(row(5.1, 3.5, "1_000", 0.2)));
                return null;
            }).fails(400, VALIDATION, "column 'petal_length_cm': \"1_000\" is not a number"));
            cases.add(bad(node, "empty string cell", url -> {
                call.accept(url, rows(row(5.1, 3.5, 1.4, "")));
                return null;
            }).fails(400, VALIDATION, "column 'petal_width_cm': \"\" is not a number"));
            cases.add(bad(node, "a 7,500-character column name", url -> {
                call.accept(url, rows(List.of("sepal_length_cm", "sepal_width_cm", "petal_length_cm", longName),
                                      row(5.1, 3.5, 1.4, 0.2)));
                return null;
            }).fails(400, VALIDATION, "unknown columns [" + "c".repeat(60) + "...(7500 characters)]"));
            cases.add(bad(node, "1,000 unknown columns", url -> {
                call.accept(url, rows(wide, wideRow));
                return null;
            }).fails(400, VALIDATION, "unknown columns [extra_0, extra_1,", ", extra_49, ... 950 more]"));
            cases.add(bad(node, "a column name in Unicode", url -> {
                call.accept(url, rows(List.of("sepal_length_cm", "sepal_width_cm", "petal_length_cm", "pétale_λ"),
                                      row(5.1, 3.5, 1.4, 0.2)));
                return null;
            }).fails(400, VALIDATION, "unknown columns [pétale_λ]"));
        });
        return cases;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("catalogue")
    void badCall_failsWithMatchingCodeAndChimeraTrailers_andNodeKeepsServing(BadCall bad) throws Exception {
        final long start = System.nanoTime();
        final Failure f = bad.call.call(nodes.url(bad.node));

        assertThat(f.code).as(f.toString()).isEqualTo(ErrorBody.grpcCode(bad.status));
        assertThat(f.chimeraCode).as(f.toString()).isEqualTo(Integer.toString(bad.status));
        assertThat(f.chimeraType).as(f.toString()).isEqualTo(bad.type);
        assertThat(f.description).contains(bad.mentions).doesNotContain("\n").doesNotContain("[Source:");
        nodes.assertServes(bad.node);
        FIGURES.passed(bad.status, bad.node.toString(), System.nanoTime() - start);
    }

    /** Calls a node at a base URL; throws the gRPC failure. */
    interface StubCall {
        Object call(String url);
    }

    /** Calls a node at a base URL and returns how the call failed. */
    interface FailingCall {
        Failure call(String url) throws Exception;
    }

    /** How a gRPC call failed: its code and description, and chimera's two trailers. */
    static final class Failure {
        final Status.Code code;
        final String description;
        final String chimeraCode;
        final String chimeraType;

        Failure(Status.Code code, String description, String chimeraCode, String chimeraType) {
            this.code = code;
            this.description = description;
            this.chimeraCode = chimeraCode;
            this.chimeraType = chimeraType;
        }

        @Override
        public String toString() {
            return code + " " + description + " [" + chimeraCode + ", " + chimeraType + ']';
        }
    }

    /** One bad gRPC call to a node and the error it must fail with. */
    static final class BadCall {
        final Node node;
        final String name;
        final FailingCall call;
        int status;
        String type;
        String[] mentions;

        BadCall(Node node, String name, FailingCall call) {
            this.node = node;
            this.name = name;
            this.call = call;
        }

        BadCall fails(int status, String type, String... mentions) {
            this.status = status;
            this.type = type;
            this.mentions = mentions;
            return this;
        }

        @Override
        public String toString() {
            return node + ": " + name;
        }
    }
}
