package io.chimera.server;

import static io.chimera.server.InProcessNodes.COLUMNS_JSON;
import static io.chimera.server.InProcessNodes.Node.AGGREGATION_MASTER;
import static io.chimera.server.InProcessNodes.Node.MODEL_WORKER;
import static io.chimera.server.InProcessNodes.Node.PARAMETER_SERVER_MASTER;
import static io.chimera.server.InProcessNodes.Node.SGD_WORKER;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedInputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.chimera.common.ChimeraException;
import io.chimera.common.ChimeraPaths;
import io.chimera.common.ErrorBody;
import io.chimera.server.InProcessNodes.Node;

/**
 * The bad-input catalogue over REST: what a caller can get wrong, sent to every kind of node. Each request must
 * get its documented 4xx with chimera's error body naming the problem (the table in docs/errors.md), and the
 * node must go on serving.
 */
class BadInputRestCatalogueTest {

    /** What the catalogue showed, printed when it ends (the figures in docs/errors.md). */
    static final BadInputFigures FIGURES = new BadInputFigures("REST");

    @org.junit.jupiter.api.AfterAll
    static void printFigures() {
        FIGURES.print();
    }

    static final String JSON = "application/json";
    static final String ROW = "[5.1, 3.5, 1.4, 0.2]";
    static final String VALIDATION = ChimeraException.VALIDATION_ERROR;
    /** The largest body every node of this JVM accepts: 256 MiB, or less on a small heap. */
    static final long LIMIT = io.chimera.node.NodeServerBuilder.defaultMaxRequestBytes();
    /** One byte over it. */
    static final long OVER_THE_LIMIT = LIMIT + 1;

    @RegisterExtension
    static final InProcessNodes nodes = new InProcessNodes();

    /** A predict body with the four iris columns and {@code rows} as {@code X_pred_rows}. */
    static String rows(String rows) {
        return "{" + COLUMNS_JSON + ", \"X_pred_rows\": " + rows + "}";
    }

    /** A predict body with {@code columns} (JSON strings) and {@code rows}. */
    static String columns(String columns, String rows) {
        return "{\"X_pred_columns\": [" + columns + "], \"X_pred_rows\": " + rows + "}";
    }

    /** A fit-step body with {@code weights} and one bias. */
    static String weights(String weights) {
        return "{\"weights\": [" + weights + "], \"bias\": [0]}";
    }

    static BadRequest bad(Node node, String name) {
        return new BadRequest(node, name);
    }

    /** Every case: the first catalogue, then those of issue 17's trials. */
    static List<BadRequest> catalogue() {
        final List<BadRequest> all = new java.util.ArrayList<>(firstCatalogue());
        all.addAll(numbersNamesAndPaths());
        return all;
    }

    static List<BadRequest> firstCatalogue() {
        return List.of(
                // AggregationMaster
                bad(AGGREGATION_MASTER, "malformed JSON").body("{" + COLUMNS_JSON + ", \"X_pred_rows\": [" + ROW)
                        .answers(400, VALIDATION, "malformed JSON: Unexpected end-of-input"),
                bad(AGGREGATION_MASTER, "empty body").body("")
                        .answers(400, VALIDATION, "X_pred_columns: empty"),
                bad(AGGREGATION_MASTER, "misspelt field").body("{\"X_pred_column\": [\"a\"], \"X_pred_rows\": [[1]]}")
                        .answers(400, VALIDATION, "unknown field 'X_pred_column' (expected: X_pred_columns, "
                                                  + "X_pred_rows, X_pred_matrix)"),
                bad(AGGREGATION_MASTER, "camelCase field").body("{" + COLUMNS_JSON + ", \"xPredRows\": [" + ROW + "]}")
                        .answers(400, VALIDATION, "unknown field 'xPredRows'"),
                bad(AGGREGATION_MASTER, "columns not a list")
                        .body("{\"X_pred_columns\": \"a\", \"X_pred_rows\": [[1]]}")
                        .answers(400, VALIDATION, "invalid JSON for this request", "array"),
                bad(AGGREGATION_MASTER, "rows not a list").body(rows("5"))
                        .answers(400, VALIDATION, "invalid JSON for this request", "array"),
                bad(AGGREGATION_MASTER, "rows null").body(rows("null"))
                        .answers(400, VALIDATION, "X_pred_rows: empty"),
                bad(AGGREGATION_MASTER, "a row null").body(rows("[null]"))
                        .answers(400, VALIDATION, "cannot be null"),
                bad(AGGREGATION_MASTER, "a cell null").body(rows("[[5.1, 3.5, 1.4, null]]"))
                        .answers(400, VALIDATION, "row 1, column 'petal_width_cm': null is not a number"),
                bad(AGGREGATION_MASTER, "empty X_pred_rows").body(rows("[]"))
                        .answers(400, VALIDATION, "X_pred_rows: empty (expected: at least one row)"),
                bad(AGGREGATION_MASTER, "ragged rows").body(rows("[" + ROW + ", [6.7, 3.0]]"))
                        .answers(400, VALIDATION, "row 2 has 2 values (expected: 4, one per column"),
                bad(AGGREGATION_MASTER, "row wider than the columns").body(rows("[[5.1, 3.5, 1.4, 0.2, 9]]"))
                        .answers(400, VALIDATION, "row 1 has 5 values (expected: 4"),
                bad(AGGREGATION_MASTER, "row narrower than the columns").body(rows("[[5.1, 3.5, 1.4]]"))
                        .answers(400, VALIDATION, "row 1 has 3 values (expected: 4"),
                bad(AGGREGATION_MASTER, "duplicate column").body(columns(
                        "\"sepal_length_cm\", \"sepal_width_cm\", \"petal_length_cm\", \" Petal_Length_CM\"",
                        "[" + ROW + "]"))
                        .answers(400, VALIDATION, "X_pred_columns: duplicate column 'petal_length_cm'"),
                bad(AGGREGATION_MASTER, "unknown column").body(rows("[" + ROW + "]").replace("petal_width_cm",
                                                                                          "petal_widht_cm"))
                        .answers(400, VALIDATION, "missing columns [petal_width_cm]",
                                 "unknown columns [petal_widht_cm]"),
                bad(AGGREGATION_MASTER, "empty column name").body(columns("\"\"", "[[1]]"))
                        .answers(400, VALIDATION, "X_pred_columns: a column name is empty"),
                bad(AGGREGATION_MASTER, "non-numeric string").body(rows("[[5.1, \"abc\", 1.4, 0.2]]"))
                        .answers(400, VALIDATION, "row 1, column 'sepal_width_cm': \"abc\" is not a number"),
                bad(AGGREGATION_MASTER, "NaN string").body(rows("[[5.1, 3.5, \"NaN\", 0.2]]"))
                        .answers(400, VALIDATION, "column 'petal_length_cm': NaN is not a finite number"),
                bad(AGGREGATION_MASTER, "NaN token").body(rows("[[5.1, 3.5, NaN, 0.2]]"))
                        .answers(400, VALIDATION, "malformed JSON: Non-standard token 'NaN'"),
                bad(AGGREGATION_MASTER, "Infinity string").body(rows("[[5.1, 3.5, 1.4, \"-Infinity\"]]"))
                        .answers(400, VALIDATION, "column 'petal_width_cm': -Infinity is not a finite number"),
                bad(AGGREGATION_MASTER, "huge number 1e400").body(rows("[[1e400, 3.5, 1.4, 0.2]]"))
                        .answers(400, VALIDATION, "column 'sepal_length_cm': Infinity is not a finite number"),
                bad(AGGREGATION_MASTER, "rows and matrix both").body("{" + COLUMNS_JSON + ", \"X_pred_rows\": ["
                        + ROW + "], \"X_pred_matrix\": {\"rows\": 1, \"cols\": 4, \"values\": [1, 2, 3, 4]}}")
                        .answers(400, VALIDATION, "give either X_pred_rows or X_pred_matrix, not both"),
                bad(AGGREGATION_MASTER, "matrix with too few values").body("{" + COLUMNS_JSON
                        + ", \"X_pred_matrix\": {\"rows\": 1, \"cols\": 4, \"values\": [1, 2, 3]}}")
                        .answers(400, VALIDATION, "X_pred_matrix: 1 x 4 with 3 values"),
                bad(AGGREGATION_MASTER, "content after the JSON object").body(rows("[" + ROW + "]") + " x")
                        .answers(400, VALIDATION, "malformed JSON: unexpected content after the JSON object"),
                bad(AGGREGATION_MASTER, "key given twice").body("{" + COLUMNS_JSON + ", \"X_pred_rows\": [" + ROW
                                                                + "], \"X_pred_rows\": [" + ROW + "]}")
                        .answers(400, VALIDATION, "malformed JSON: Duplicate field 'X_pred_rows'"),
                bad(AGGREGATION_MASTER, "array for a body").body("[" + ROW + "]")
                        .answers(400, VALIDATION, "the body must be a JSON object ({...}), not an array"),
                bad(AGGREGATION_MASTER, "body over the size limit").declaredLength(OVER_THE_LIMIT)
                        .answers(413, "PayloadTooLargeError",
                                 "request body too large (expected: at most " + LIMIT + " bytes)"),
                bad(AGGREGATION_MASTER, "text content type").contentType("text/plain").body(rows("[" + ROW + "]"))
                        .answers(415, "UnsupportedMediaTypeError", "Content-Type: text/plain"),
                bad(AGGREGATION_MASTER, "curl's default content type")
                        .contentType("application/x-www-form-urlencoded").body(rows("[" + ROW + "]"))
                        .answers(415, "UnsupportedMediaTypeError", "Content-Type: application/x-www-form-urlencoded"),
                bad(AGGREGATION_MASTER, "no content type").contentType(null).body(rows("[" + ROW + "]"))
                        .answers(415, "UnsupportedMediaTypeError", "Content-Type: none"),
                bad(AGGREGATION_MASTER, "unknown path").path("/v1/chimera/aggregation/predicts").body("{}")
                        .answers(404, "NotFoundError", "POST /v1/chimera/aggregation/predicts"),
                bad(AGGREGATION_MASTER, "GET predict").method("GET").body(null)
                        .answers(405, "MethodNotAllowedError", "GET /v1/chimera/aggregation/predict"),
                bad(AGGREGATION_MASTER, "JSON to the gRPC path").path("/chimera.v1.AggregationMasterService/Predict")
                        .body(rows("[" + ROW + "]"))
                        .answers(415, "UnsupportedMediaTypeError", "Content-Type: application/json",
                                 "POST /v1/chimera/aggregation/predict"),
                bad(AGGREGATION_MASTER, "fit with a field").path(ChimeraPaths.AGGREGATION_FIT).body("{\"foo\": 1}")
                        .answers(400, VALIDATION, "unknown field 'foo' (expected: no fields)"),
                bad(AGGREGATION_MASTER, "fit with malformed JSON").path(ChimeraPaths.AGGREGATION_FIT).body("{")
                        .answers(400, VALIDATION, "malformed JSON"),

                // ParameterServerMaster
                bad(PARAMETER_SERVER_MASTER, "mismatched brackets").body(rows("[" + ROW))
                        .answers(400, VALIDATION, "malformed JSON: Unexpected close marker '}': expected ']'"),
                bad(PARAMETER_SERVER_MASTER, "misspelt field").body("{" + COLUMNS_JSON + ", \"X_pred_rowz\": []}")
                        .answers(400, VALIDATION, "unknown field 'X_pred_rowz'"),
                bad(PARAMETER_SERVER_MASTER, "row narrower than the columns").body(rows("[[5.1]]"))
                        .answers(400, VALIDATION, "row 1 has 1 value (expected: 4"),
                bad(PARAMETER_SERVER_MASTER, "unknown column").body(rows("[" + ROW + "]").replace("sepal_length_cm",
                                                                                                  "sepal_len"))
                        .answers(400, VALIDATION, "missing columns [sepal_length_cm]", "unknown columns [sepal_len]"),
                bad(PARAMETER_SERVER_MASTER, "non-numeric string").body(rows("[[\"5,1\", 3.5, 1.4, 0.2]]"))
                        .answers(400, VALIDATION, "column 'sepal_length_cm': \"5,1\" is not a number"),
                bad(PARAMETER_SERVER_MASTER, "NaN string").body(rows("[[\"nan\", 3.5, 1.4, 0.2]]"))
                        .answers(400, VALIDATION, "column 'sepal_length_cm': \"nan\" is not a number"),
                bad(PARAMETER_SERVER_MASTER, "huge number 1e400").body(rows("[[5.1, 3.5, 1.4, -1e400]]"))
                        .answers(400, VALIDATION, "column 'petal_width_cm': -Infinity is not a finite number"),
                bad(PARAMETER_SERVER_MASTER, "empty X_pred_rows").body(rows("[]"))
                        .answers(400, VALIDATION, "X_pred_rows: empty"),
                bad(PARAMETER_SERVER_MASTER, "fit with a text body").path(ChimeraPaths.PARAMETER_SERVER_FIT)
                        .contentType("text/plain").body("go")
                        .answers(415, "UnsupportedMediaTypeError", "Content-Type: text/plain"),
                bad(PARAMETER_SERVER_MASTER, "POST history").path(ChimeraPaths.PARAMETER_SERVER_HISTORY).body("{}")
                        .answers(405, "MethodNotAllowedError", "POST /v1/chimera/parameter-server/history"),
                bad(PARAMETER_SERVER_MASTER, "JSON to the gRPC path")
                        .path("/chimera.v1.ParameterServerMasterService/Predict").body(rows("[" + ROW + "]"))
                        .answers(415, "UnsupportedMediaTypeError", "POST /v1/chimera/parameter-server/predict"),

                // ModelWorker
                bad(MODEL_WORKER, "malformed JSON").body("{\"X_pred_columns\": [\"a\",")
                        .answers(400, VALIDATION, "malformed JSON"),
                bad(MODEL_WORKER, "empty body").body("")
                        .answers(400, VALIDATION, "X_pred_columns: empty"),
                bad(MODEL_WORKER, "camelCase field").body("{\"xPredColumns\": [\"a\"], \"X_pred_rows\": [[1]]}")
                        .answers(400, VALIDATION, "unknown field 'xPredColumns'"),
                bad(MODEL_WORKER, "a cell null").body(rows("[[null, 3.5, 1.4, 0.2]]"))
                        .answers(400, VALIDATION, "column 'sepal_length_cm': null is not a number"),
                bad(MODEL_WORKER, "ragged rows").body(rows("[" + ROW + ", [1, 2, 3, 4, 5]]"))
                        .answers(400, VALIDATION, "row 2 has 5 values (expected: 4"),
                bad(MODEL_WORKER, "duplicate column").body(columns("\"a\", \"A\"", "[[1, 2]]"))
                        .answers(400, VALIDATION, "duplicate column 'a'"),
                bad(MODEL_WORKER, "missing column").body(columns(
                        "\"sepal_length_cm\", \"sepal_width_cm\", \"petal_length_cm\"", "[[5.1, 3.5, 1.4]]"))
                        .answers(400, VALIDATION, "missing columns [petal_width_cm] (expected: [sepal_length_cm"),
                bad(MODEL_WORKER, "unknown column").body(columns(
                        "\"sepal_length_cm\", \"sepal_width_cm\", \"petal_length_cm\", \"petal_width_cm\", \"x\"",
                        "[[5.1, 3.5, 1.4, 0.2, 1]]"))
                        .answers(400, VALIDATION, "unknown columns [x]"),
                bad(MODEL_WORKER, "a list in a cell").body(rows("[[5.1, 3.5, [1.4], 0.2]]"))
                        .answers(400, VALIDATION, "column 'petal_length_cm': a nested list or object is not a number"),
                bad(MODEL_WORKER, "Infinity string").body(rows("[[5.1, 3.5, 1.4, \"Infinity\"]]"))
                        .answers(400, VALIDATION, "Infinity is not a finite number"),
                bad(MODEL_WORKER, "huge number 1e400").body(rows("[[5.1, 3.5, 1e400, 0.2]]"))
                        .answers(400, VALIDATION, "column 'petal_length_cm': Infinity is not a finite number"),
                bad(MODEL_WORKER, "NaN in the matrix").body("{" + COLUMNS_JSON
                        + ", \"X_pred_matrix\": {\"rows\": 1, \"cols\": 4, \"values\": [1, 2, \"NaN\", 4]}}")
                        .answers(400, VALIDATION, "X_pred_matrix: row 1, column 'petal_length_cm': NaN is not a "
                                                  + "finite number"),
                bad(MODEL_WORKER, "body over the size limit").declaredLength(OVER_THE_LIMIT)
                        .answers(413, "PayloadTooLargeError", "request body too large"),
                bad(MODEL_WORKER, "XML content type").contentType("application/xml").body("<rows/>")
                        .answers(415, "UnsupportedMediaTypeError", "Content-Type: application/xml"),
                bad(MODEL_WORKER, "unknown path").path("/v1/chimera/model/predict/").body("{}")
                        .answers(404, "NotFoundError", "POST /v1/chimera/model/predict/"),
                bad(MODEL_WORKER, "PUT predict").method("PUT").body(rows("[" + ROW + "]"))
                        .answers(405, "MethodNotAllowedError", "PUT /v1/chimera/model/predict"),
                bad(MODEL_WORKER, "JSON to the gRPC path").path("/chimera.v1.ModelWorkerService/Predict")
                        .body(rows("[" + ROW + "]"))
                        .answers(415, "UnsupportedMediaTypeError", "POST /v1/chimera/model/predict"),
                bad(MODEL_WORKER, "GET on the gRPC path").path("/chimera.v1.ModelWorkerService/Fit").method("GET")
                        .body(null)
                        .answers(405, "MethodNotAllowedError", "GET /chimera.v1.ModelWorkerService/Fit",
                                 "POST /v1/chimera/model/fit"),
                bad(MODEL_WORKER, "content after the JSON object").body(rows("[" + ROW + "]") + "}")
                        .answers(400, VALIDATION, "unexpected content after the JSON object"),

                // SGDWorker
                bad(SGD_WORKER, "malformed JSON").body("{\"weights\": [0.1, ")
                        .answers(400, VALIDATION, "malformed JSON"),
                bad(SGD_WORKER, "empty body").body("")
                        .answers(400, VALIDATION, "weights.length: 0 (expected: 4 = 1 output(s) x 4 columns)"),
                bad(SGD_WORKER, "weights vector too short").body(weights("0, 0"))
                        .answers(400, VALIDATION, "weights.length: 2 (expected: 4"),
                bad(SGD_WORKER, "weights vector too long").body(weights("0, 0, 0, 0, 0"))
                        .answers(400, VALIDATION, "weights.length: 5 (expected: 4"),
                bad(SGD_WORKER, "bias vector too long").body("{\"weights\": [0, 0, 0, 0], \"bias\": [0, 0]}")
                        .answers(400, VALIDATION, "bias.length: 2 (expected: 1, one per output)"),
                bad(SGD_WORKER, "misspelt field").body("{\"weight\": [0, 0, 0, 0], \"bias\": [0]}")
                        .answers(400, VALIDATION,
                                 "unknown field 'weight' (expected: weights, bias, step, options, parameters)"),
                bad(SGD_WORKER, "camelCase option").body("{\"weights\": [0, 0, 0, 0], \"bias\": [0], "
                                                         + "\"options\": {\"batchSize\": 8}}")
                        .answers(400, VALIDATION, "unknown field 'batchSize'"),
                bad(SGD_WORKER, "non-numeric weight").body(weights("0, 0, 0, \"abc\""))
                        .answers(400, VALIDATION, "invalid JSON for this request", "abc"),
                bad(SGD_WORKER, "a weight null").body(weights("0, null, 0, 0"))
                        .answers(400, VALIDATION, "cannot be null"),
                bad(SGD_WORKER, "weights null").body("{\"weights\": null, \"bias\": [0]}")
                        .answers(400, VALIDATION, "weights.length: 0"),
                bad(SGD_WORKER, "weights not a list").body("{\"weights\": \"0\", \"bias\": [0]}")
                        .answers(400, VALIDATION, "invalid JSON for this request", "array"),
                bad(SGD_WORKER, "NaN string").body(weights("0, 0, 0, \"NaN\""))
                        .answers(400, VALIDATION, "weights[3]: NaN (expected: finite, within float32 range)"),
                bad(SGD_WORKER, "Infinity string").body(weights("\"-Infinity\", 0, 0, 0"))
                        .answers(400, VALIDATION, "weights[0]: -Infinity (expected: finite"),
                bad(SGD_WORKER, "huge number 1e400").body(weights("0, 1e400, 0, 0"))
                        .answers(400, VALIDATION, "weights[1]: Infinity (expected: finite"),
                bad(SGD_WORKER, "number beyond float32").body(weights("0, 0, 1e300, 0"))
                        .answers(400, VALIDATION, "weights[2]: 1.0E300 (expected: finite, within float32 range)"),
                bad(SGD_WORKER, "step not a number").body("{\"weights\": [0, 0, 0, 0], \"bias\": [0], \"step\": \"x\"}")
                        .answers(400, VALIDATION, "a number field holds a value that is not a number"),
                bad(SGD_WORKER, "unknown loss").body("{\"weights\": [0, 0, 0, 0], \"bias\": [0], "
                                                     + "\"options\": {\"loss\": \"cubic\"}}")
                        .answers(400, VALIDATION,
                                 "options.loss: cubic (expected: one of squared_error, log_loss, hinge)"),
                bad(SGD_WORKER, "negative batch size").body("{\"weights\": [0, 0, 0, 0], \"bias\": [0], "
                                                            + "\"options\": {\"batch_size\": -3}}")
                        .answers(400, VALIDATION, "options.batch_size: -3 (expected: >= 0"),
                bad(SGD_WORKER, "content after the JSON object").body(weights("0, 0, 0, 0") + " []")
                        .answers(400, VALIDATION, "unexpected content after the JSON object"),
                bad(SGD_WORKER, "body over the size limit").declaredLength(OVER_THE_LIMIT)
                        .answers(413, "PayloadTooLargeError", "request body too large"),
                bad(SGD_WORKER, "text content type").contentType("text/plain").body(weights("0, 0, 0, 0"))
                        .answers(415, "UnsupportedMediaTypeError", "Content-Type: text/plain"),
                bad(SGD_WORKER, "GET fit-step").method("GET").body(null)
                        .answers(405, "MethodNotAllowedError", "GET /v1/chimera/sgd/fit-step"),
                bad(SGD_WORKER, "JSON to the gRPC path").path("/chimera.v1.SgdWorkerService/FitStep")
                        .body(weights("0, 0, 0, 0"))
                        .answers(415, "UnsupportedMediaTypeError", "POST /v1/chimera/sgd/fit-step"),
                bad(SGD_WORKER, "POST request-data-sample").path(ChimeraPaths.SGD_REQUEST_DATA_SAMPLE).body("{}")
                        .answers(405, "MethodNotAllowedError", "POST /v1/chimera/sgd/request-data-sample"),
                bad(SGD_WORKER, "misspelt request-data-sample").path("/v1/chimera/sgd/request-data-samples")
                        .method("GET").body(null)
                        .answers(404, "NotFoundError", "GET /v1/chimera/sgd/request-data-samples"),
                bad(SGD_WORKER, "GET on the request-data-sample gRPC path")
                        .path("/chimera.v1.SgdWorkerService/RequestDataSample").method("GET").body(null)
                        .answers(405, "MethodNotAllowedError", "GET /v1/chimera/sgd/request-data-sample"));
    }

    /** Predict bodies of issue 17's trials: numbers that are not, names and lists too long for a gRPC trailer. */
    static List<BadRequest> numbersNamesAndPaths() {
        final List<BadRequest> cases = new java.util.ArrayList<>();
        final String longName = "c".repeat(7500);
        final StringBuilder wideColumns = new StringBuilder(COLUMNS_JSON.substring(COLUMNS_JSON.indexOf('[') + 1,
                                                                                   COLUMNS_JSON.length() - 1));
        final StringBuilder wideRow = new StringBuilder("[5.1, 3.5, 1.4, 0.2");
        for (int i = 0; i < 1000; i++) {
            wideColumns.append(", \"extra_").append(i).append('"');
            wideRow.append(", 0");
        }
        wideRow.append(']');
        for (Node node : new Node[] { AGGREGATION_MASTER, PARAMETER_SERVER_MASTER, MODEL_WORKER }) {
            cases.add(bad(node, "Java double suffix 1d").body(rows("[[\"1d\", 3.5, 1.4, 0.2]]"))
                              .answers(400, VALIDATION, "column 'sepal_length_cm': \"1d\" is not a number"));
            cases.add(bad(node, "Java float suffix 2f").body(rows("[[5.1, \"2f\", 1.4, 0.2]]"))
                              .answers(400, VALIDATION, "column 'sepal_width_cm': \"2f\" is not a number"));
            cases.add(bad(node, "hexadecimal float").body(rows("[[5.1, 3.5, \"0x1p3\", 0.2]]"))
                              .answers(400, VALIDATION, "column 'petal_length_cm': \"0x1p3\" is not a number"));
            cases.add(bad(node, "digit separators").body(rows("[[5.1, 3.5, 1.4, \"1_000\"]]"))
                              .answers(400, VALIDATION, "column 'petal_width_cm': \"1_000\" is not a number"));
            cases.add(bad(node, "two signs").body(rows("[[\"--1\", 3.5, 1.4, 0.2]]"))
                              .answers(400, VALIDATION, "\"--1\" is not a number"));
            cases.add(bad(node, "empty string cell").body(rows("[[5.1, \"\", 1.4, 0.2]]"))
                              .answers(400, VALIDATION, "column 'sepal_width_cm': \"\" is not a number"));
            cases.add(bad(node, "a 7,500-character column name").body(columns(
                    "\"sepal_length_cm\", \"sepal_width_cm\", \"petal_length_cm\", \"" + longName + '"',
                    "[[5.1, 3.5, 1.4, 0.2]]"))
                              .answers(400, VALIDATION, "unknown columns [" + "c".repeat(60)
                                                        + "...(7500 characters)]"));
            cases.add(bad(node, "1,000 unknown columns").body(columns(wideColumns.toString(),
                                                                      "[" + wideRow + "]"))
                              .answers(400, VALIDATION, "unknown columns [extra_0, extra_1,",
                                       ", extra_49, ... 950 more]"));
            cases.add(bad(node, "a column name in Unicode").body(columns(
                    "\"sepal_length_cm\", \"sepal_width_cm\", \"petal_length_cm\", \"pétale_λ\"",
                    "[[5.1, 3.5, 1.4, 0.2]]"))
                              .answers(400, VALIDATION, "unknown columns [pétale_λ]"));
            cases.add(bad(node, "PATCH predict").method("PATCH").body(rows("[" + ROW + "]"))
                              .answers(405, "MethodNotAllowedError", "PATCH " + node.path));
            cases.add(bad(node, "DELETE fit").path(node.fitPath).method("DELETE").body(null)
                              .answers(405, "MethodNotAllowedError", "DELETE " + node.fitPath));
            cases.add(bad(node, "GET fit").path(node.fitPath).method("GET").body(null)
                              .answers(405, "MethodNotAllowedError", "GET " + node.fitPath));
        }
        for (Node node : Node.values()) {
            cases.add(bad(node, "a UTF-16 body").contentType("application/json; charset=utf-16")
                              .body(node.validBody)
                              .answers(415, "UnsupportedMediaTypeError", "charset=utf-16",
                                       "(expected: application/json in UTF-8, the charset JSON uses)"));
            cases.add(bad(node, "docs page that does not exist").path("/docs/no-such-page.js").method("GET")
                              .body(null)
                              .answers(404, "NotFoundError", "Not Found: GET /docs/no-such-page.js"));
            cases.add(bad(node, "unknown path under /v1/chimera").path("/v1/chimera/nothing").method("GET").body(null)
                              .answers(404, "NotFoundError", "GET /v1/chimera/nothing"));
        }
        for (Node node : new Node[] { AGGREGATION_MASTER, SGD_WORKER }) {
            // A body that stops short of its Content-Length: 408 once the 10 s body timeout has passed.
            cases.add(bad(node, "body that stops short of its Content-Length").declaredLength(100)
                              .answers(408, "RequestTimeoutError", "the request did not arrive within 10 s"));
        }
        cases.add(bad(AGGREGATION_MASTER, "fit with an array body").path(ChimeraPaths.AGGREGATION_FIT).body("[]")
                          .answers(400, VALIDATION, "the body must be a JSON object ({...}), not an array"));
        cases.add(bad(PARAMETER_SERVER_MASTER, "fit with an array body").path(ChimeraPaths.PARAMETER_SERVER_FIT)
                          .body("[]").answers(400, VALIDATION, "the body must be a JSON object ({...}), not an array"));
        cases.add(bad(AGGREGATION_MASTER, "POST model").path(ChimeraPaths.AGGREGATION_MODEL).body("{}")
                          .answers(405, "MethodNotAllowedError", "POST /v1/chimera/aggregation/model"));
        cases.add(bad(PARAMETER_SERVER_MASTER, "POST model").path(ChimeraPaths.PARAMETER_SERVER_MODEL).body("{}")
                          .answers(405, "MethodNotAllowedError", "POST /v1/chimera/parameter-server/model"));
        return cases;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("catalogue")
    void badRequest_answersDocumentedErrorBody_andNodeKeepsServing(BadRequest bad) throws Exception {
        final long start = System.nanoTime();
        final Answer answer = bad.send(nodes.url(bad.node));

        assertThat(answer.status).as(answer.body).isEqualTo(bad.status);
        assertThat(answer.contentType).isEqualTo("application/json; charset=utf-8");
        final ChimeraException e = ErrorBody.parse(answer.status, answer.body);
        assertThat(e).as(answer.body).isNotNull();
        assertThat(e.httpStatus()).isEqualTo(bad.status);
        assertThat(e.errorType()).isEqualTo(bad.type);
        assertThat(e.getMessage()).contains(bad.mentions).doesNotContain("\n").doesNotContain("[Source:");
        nodes.assertServes(bad.node);
        FIGURES.passed(bad.status, bad.node.toString(), System.nanoTime() - start);
    }

    /** A status line's code, the content type and the body of an answer. */
    static final class Answer {
        final int status;
        final String contentType;
        final String body;

        Answer(int status, String contentType, String body) {
            this.status = status;
            this.contentType = contentType;
            this.body = body;
        }
    }

    /** One bad request to a node (by default a JSON POST to the node's main route) and the error it must get. */
    static final class BadRequest {
        private static final HttpClient HTTP =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

        final Node node;
        final String name;
        String method = "POST";
        String path;
        String contentType = JSON;
        String body;
        long declaredLength = -1;
        int status;
        String type;
        String[] mentions;

        BadRequest(Node node, String name) {
            this.node = node;
            this.name = name;
            path = node.path;
        }

        BadRequest method(String method) {
            this.method = method;
            return this;
        }

        BadRequest path(String path) {
            this.path = path;
            return this;
        }

        BadRequest contentType(String contentType) {
            this.contentType = contentType;
            return this;
        }

        BadRequest body(String body) {
            this.body = body;
            return this;
        }

        /** Sends only the headers, announcing a body of {@code length} bytes (a real one would take seconds). */
        BadRequest declaredLength(long length) {
            declaredLength = length;
            return this;
        }

        BadRequest answers(int status, String type, String... mentions) {
            this.status = status;
            this.type = type;
            this.mentions = mentions;
            return this;
        }

        Answer send(String baseUrl) throws Exception {
            if (declaredLength >= 0) {
                return sendHeadersOnly(baseUrl);
            }
            final HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + path));
            if (contentType != null) {
                b.header("Content-Type", contentType);
            }
            b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                                          : HttpRequest.BodyPublishers.ofString(body));
            final HttpResponse<String> res = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(res.statusCode(), res.headers().firstValue("content-type").orElse(null), res.body());
        }

        private Answer sendHeadersOnly(String baseUrl) throws Exception {
            final URI uri = URI.create(baseUrl);
            try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
                socket.setSoTimeout(30_000);
                final OutputStream out = socket.getOutputStream();
                out.write((method + ' ' + path + " HTTP/1.1\r\nHost: " + uri.getAuthority()
                           + "\r\nContent-Type: " + contentType + "\r\nContent-Length: " + declaredLength
                           + "\r\n\r\n{").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                final RawHttp.Response answer = RawHttp.read(new BufferedInputStream(socket.getInputStream()));
                return new Answer(answer.status(), answer.headers.get("content-type"), answer.body);
            }
        }

        @Override
        public String toString() {
            return node + ": " + name;
        }
    }
}
