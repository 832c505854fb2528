package io.chimera.node.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.chimera.common.Table;
import io.chimera.core.internal.DecimalText;
import io.chimera.proto.v1.PredictRequest;

/**
 * Reads chimera's predict body in its plain form, {@code {"X_pred_columns": [names], "X_pred_rows": [[numbers],
 * ...]}}, in one pass over the bytes straight into the compact matrix form of a {@link PredictRequest}. The
 * transcoder reads the same body three times (a check, a JSON tree, protobuf's JSON reader) and makes a
 * protobuf {@code Value} per cell; for the 50,736 rows of diabetes-like's holdout that was most of a predict.
 *
 * <p>It never judges a body: anything else (numeric strings or booleans in cells, another key, a key twice,
 * escapes or non-ASCII letters in a name, ragged rows, no rows, a number outside JSON's grammar or too large for a
 * double, content
 * after the object) makes {@link #parse} answer null, and the body takes the usual way, whose errors say what is
 * wrong. For a plain body the request it returns is the one the transcoder's would become once
 * {@link io.chimera.common.Table} has read it: the same columns and the same doubles.
 */
public final class PredictJson {

    private static final String COLUMNS = "X_pred_columns";
    private static final String ROWS = "X_pred_rows";

    /** The request in the matrix form when {@code body} is a plain predict body; null otherwise. */
    public static PredictRequest parse(byte[] body) {
        try {
            return new PredictJson(body).request();
        } catch (NotPlain | ArrayIndexOutOfBoundsException e) {
            return null;
        }
    }

    /** Thrown, without a stack trace, where the body leaves the plain form. */
    private static final class NotPlain extends Exception {
        private static final NotPlain INSTANCE = new NotPlain();

        private NotPlain() {
            super(null, null, false, false);
        }
    }

    private final byte[] bytes;
    private int at;
    /** Sized for the most numbers the body can hold (each takes two bytes or more), so it never grows. */
    private final double[] values;
    private int size;

    private PredictJson(byte[] bytes) {
        this.bytes = bytes;
        values = new double[bytes.length / 2 + 1];
    }

    private PredictRequest request() throws NotPlain {
        List<String> columns = null;
        int rows = -1;
        int width = -1;
        expect('{');
        do {
            final String key = string();
            expect(':');
            if (COLUMNS.equals(key) && columns == null) {
                columns = columns();
            } else if (ROWS.equals(key) && rows < 0) {
                final long shape = rows();
                rows = (int) (shape >>> 32);
                width = (int) shape;
            } else {
                throw NotPlain.INSTANCE;
            }
        } while (next() == ',');
        if (bytes[at - 1] != '}' || skipSpace() != bytes.length || columns == null || rows < 0
            || width != columns.size()) {
            throw NotPlain.INSTANCE;
        }
        return PredictRequest.newBuilder().addAllXPredColumns(columns)
                             .setXPredMatrix(Table.packedMatrix(values, size, rows, width)).build();
    }

    /** An array of strings. */
    private List<String> columns() throws NotPlain {
        expect('[');
        final List<String> columns = new ArrayList<>();
        if (peek() == ']') {
            at++;
            return columns;
        }
        do {
            columns.add(string());
        } while (next() == ',');
        if (bytes[at - 1] != ']') {
            throw NotPlain.INSTANCE;
        }
        return columns;
    }

    /** At least one row, all of the same non-zero width, numbers only; returns {@code rows << 32 | width}. */
    private long rows() throws NotPlain {
        expect('[');
        int rows = 0;
        int width = -1;
        do {
            expect('[');
            final int rowStart = size;
            do {
                number();
            } while (next() == ',');
            if (bytes[at - 1] != ']') {
                throw NotPlain.INSTANCE;
            }
            final int rowWidth = size - rowStart;
            if (width >= 0 && rowWidth != width) {
                throw NotPlain.INSTANCE;
            }
            width = rowWidth;
            rows++;
        } while (next() == ',');
        if (bytes[at - 1] != ']') {
            throw NotPlain.INSTANCE;
        }
        return (long) rows << 32 | width;
    }

    /** A JSON number, appended to the values. */
    private void number() throws NotPlain {
        final int from = skipSpace();
        int i = from;
        if (bytes[i] == '-') {
            i++;
        }
        // JSON's grammar, stricter than a CSV cell: no '+', no leading zero, digits around the point.
        if (bytes[i] == '0') {
            i++;
        } else if (DecimalText.isDigit(bytes[i])) {
            while (DecimalText.isDigit(bytes[i])) {
                i++;
            }
        } else {
            throw NotPlain.INSTANCE;
        }
        if (bytes[i] == '.') {
            i++;
            if (!DecimalText.isDigit(bytes[i])) {
                throw NotPlain.INSTANCE;
            }
            while (DecimalText.isDigit(bytes[i])) {
                i++;
            }
        }
        if (bytes[i] == 'e' || bytes[i] == 'E') {
            i++;
            if (bytes[i] == '-' || bytes[i] == '+') {
                i++;
            }
            if (!DecimalText.isDigit(bytes[i])) {
                throw NotPlain.INSTANCE;
            }
            while (DecimalText.isDigit(bytes[i])) {
                i++;
            }
        }
        final double v = DecimalText.parse(bytes, from, i);
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            throw NotPlain.INSTANCE;
        }
        values[size++] = v + 0.0; // protobuf's JSON reader has no -0.0 (it reads through BigDecimal)
        at = i;
    }

    /** A string of printable ASCII without escapes (other names go the general way, which decodes them). */
    private String string() throws NotPlain {
        expect('"');
        final int from = at;
        byte b;
        while ((b = bytes[at]) != '"') {
            if (b == '\\' || b < 0x20) {
                throw NotPlain.INSTANCE;
            }
            at++;
        }
        return new String(bytes, from, at++ - from, StandardCharsets.US_ASCII);
    }

    private void expect(char c) throws NotPlain {
        if (bytes[skipSpace()] != c) {
            throw NotPlain.INSTANCE;
        }
        at++;
    }

    /** The next byte that is not white space, without consuming it. */
    private byte peek() {
        return bytes[skipSpace()];
    }

    /** The next byte that is not white space, consumed. */
    private byte next() {
        skipSpace();
        return bytes[at++];
    }

    /** Moves past JSON white space; returns the new position. */
    private int skipSpace() {
        while (at < bytes.length) {
            final byte b = bytes[at];
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                break;
            }
            at++;
        }
        return at;
    }
}
