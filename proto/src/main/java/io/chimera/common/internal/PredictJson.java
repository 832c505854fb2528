package io.chimera.common.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;

import io.chimera.common.Table;
import io.chimera.proto.v1.Matrix;
import io.chimera.proto.v1.PredictRequest;

/**
 * Reads chimera's predict body in its plain form, {@code {"X_pred_columns": [names], "X_pred_rows": [[numbers],
 * ...]}}, in one streaming pass straight into the compact matrix form of a {@link PredictRequest}. The
 * transcoder reads the same body three times (a check, a JSON tree, protobuf's JSON reader) and makes a
 * protobuf {@code Value} per cell; for the 50,736 rows of diabetes-like's holdout that is most of a predict.
 *
 * <p>It never judges a body: anything else (numeric strings or booleans in cells, another key, a key twice,
 * ragged rows, no rows, a number too large for a double, malformed JSON, content after the object) makes
 * {@link #parse} answer null, and the body takes the usual way, whose errors say what is wrong. For a plain
 * body the request it returns is the one the transcoder's would become once {@link io.chimera.common.Table}
 * has read it: the same columns and the same doubles.
 */
public final class PredictJson {

    private static final JsonFactory JSON =
            JsonFactory.builder().enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER).build();
    private static final String COLUMNS = "X_pred_columns";
    private static final String ROWS = "X_pred_rows";

    /** The request in the matrix form when {@code body} is a plain predict body; null otherwise. */
    public static PredictRequest parse(byte[] body) {
        try (JsonParser parser = JSON.createParser(body)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            List<String> columns = null;
            Matrix matrix = null;
            JsonToken token;
            while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
                final String name = parser.currentName();
                parser.nextToken();
                if (COLUMNS.equals(name) && columns == null) {
                    columns = columns(parser);
                    if (columns == null) {
                        return null;
                    }
                } else if (ROWS.equals(name) && matrix == null) {
                    matrix = rows(parser);
                    if (matrix == null) {
                        return null;
                    }
                } else {
                    return null;
                }
            }
            if (token != JsonToken.END_OBJECT || columns == null || matrix == null || parser.nextToken() != null
                || matrix.getCols() != columns.size()) {
                return null;
            }
            return PredictRequest.newBuilder().addAllXPredColumns(columns).setXPredMatrix(matrix).build();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** An array of strings, or null. */
    private static List<String> columns(JsonParser parser) throws IOException {
        if (parser.currentToken() != JsonToken.START_ARRAY) {
            return null;
        }
        final List<String> columns = new ArrayList<>();
        JsonToken token;
        while ((token = parser.nextToken()) == JsonToken.VALUE_STRING) {
            columns.add(parser.getText());
        }
        return token == JsonToken.END_ARRAY ? columns : null;
    }

    /** At least one row, all of the same non-zero width and numbers only, as a matrix; or null. */
    private static Matrix rows(JsonParser parser) throws IOException {
        if (parser.currentToken() != JsonToken.START_ARRAY) {
            return null;
        }
        double[] values = new double[1024];
        int size = 0;
        int rows = 0;
        int width = -1;
        JsonToken token;
        while ((token = parser.nextToken()) == JsonToken.START_ARRAY) {
            final int rowStart = size;
            while ((token = parser.nextToken()) == JsonToken.VALUE_NUMBER_FLOAT
                   || token == JsonToken.VALUE_NUMBER_INT) {
                if (token == JsonToken.VALUE_NUMBER_INT
                    && parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                    return null;
                }
                final double v = parser.getDoubleValue();
                if (!Double.isFinite(v)) {
                    return null;
                }
                if (size == values.length) {
                    values = Arrays.copyOf(values, size * 2);
                }
                values[size++] = v + 0.0; // protobuf's JSON reader has no -0.0 (it reads through BigDecimal)
            }
            if (token != JsonToken.END_ARRAY) {
                return null;
            }
            final int rowWidth = size - rowStart;
            if (rowWidth == 0 || (width >= 0 && rowWidth != width)) {
                return null;
            }
            width = rowWidth;
            rows++;
        }
        if (token != JsonToken.END_ARRAY || rows == 0) {
            return null;
        }
        return Table.packedMatrix(size == values.length ? values : Arrays.copyOf(values, size), rows, width);
    }

    private PredictJson() {}
}
