package io.chimera.common;

import static java.util.Objects.requireNonNull;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.google.protobuf.ByteString;
import com.google.protobuf.ListValue;
import com.google.protobuf.UnsafeByteOperations;
import com.google.protobuf.Value;

import io.chimera.proto.v1.Matrix;
import io.chimera.proto.v1.PredictRequest;

/**
 * Named numeric columns and row-major rows: what a prediction request carries.
 *
 * <p>Column names are normalised as chimera does (trimmed, lower-cased). Values are finite doubles; a
 * {@link PredictRequest} may hold them as numbers, numeric strings or booleans (true is 1), as chimera
 * accepts, and anything else is a {@link ChimeraException#badRequest(String) 400} naming the row and column.
 */
public final class Table {

    /**
     * A number in decimal notation, as JSON and CSV write one: {@code -1}, {@code 2.5}, {@code .5}, {@code 1e-3};
     * and NaN and Infinity, which are then refused as not finite, with that message.
     */
    private static final java.util.regex.Pattern NUMERIC_TEXT = java.util.regex.Pattern.compile(
            "[+-]?(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][+-]?\\d+)?|[+-]?(?:NaN|Infinity)");

    /** Normalises a column name as chimera does: trimmed and lower-cased. */
    public static String normalize(String column) {
        return column.trim().toLowerCase(Locale.ROOT);
    }

    /** Creates a table; {@code values} is row-major, {@code rows x columns.size()}, and is not copied. */
    public static Table of(List<String> columns, double[] values, int rows) {
        return new Table(normalizeColumns(columns), requireNonNull(values, "values"), rows);
    }

    /**
     * Reads a CSV file: a header of column names (normalised), then one row of numbers per line, as the
     * bundled {@code data/<name>/X_test.csv}. Cells are split on {@code ','} and trimmed; quoted fields are
     * not supported. Empty lines are skipped.
     *
     * @throws IllegalArgumentException naming the file, line and cell when the file has no header, a row
     *         has the wrong number of cells or a cell is not a finite number
     * @throws UncheckedIOException when the file cannot be read
     */
    public static Table readCsv(Path file) {
        requireNonNull(file, "file");
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return readCsv(in, file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /**
     * Reads CSV text as {@link #readCsv(Path)} does; {@code source} names it in messages.
     *
     * @throws IllegalArgumentException naming the source, line and cell, as {@link #readCsv(Path)}
     * @throws UncheckedIOException when the reader fails
     */
    public static Table readCsv(java.io.Reader reader, String source) {
        requireNonNull(reader, "reader");
        requireNonNull(source, "source");
        final String file = source;
        try {
            final BufferedReader in = reader instanceof BufferedReader b ? b : new BufferedReader(reader);
            String line = in.readLine();
            int lineNo = 1;
            while (line != null && line.isBlank()) {
                line = in.readLine();
                lineNo++;
            }
            if (line == null) {
                throw new IllegalArgumentException(file + ": empty (expected: a header of column names)");
            }
            final List<String> columns;
            try {
                // A UTF-8 byte-order mark, as spreadsheet exports write, is not part of the first name.
                columns = normalizeColumns(Arrays.asList(line.replaceFirst("^\uFEFF", "").split(",", -1)));
            } catch (ChimeraException e) {
                throw new IllegalArgumentException(file + ": line " + lineNo + ": " + e.getMessage());
            }
            final int cols = columns.size();
            double[] values = new double[cols * 64];
            int rows = 0;
            while ((line = in.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                final String[] cells = line.split(",", -1);
                if (cells.length != cols) {
                    throw new IllegalArgumentException(file + ": line " + lineNo + " has " + cells.length
                                                       + " cells (expected: " + cols + ", one per column)");
                }
                if ((rows + 1) * cols > values.length) {
                    values = Arrays.copyOf(values, values.length * 2);
                }
                for (int c = 0; c < cols; c++) {
                    values[rows * cols + c] = parseCell(cells[c].trim(), file, lineNo, columns.get(c));
                }
                rows++;
            }
            return new Table(columns, Arrays.copyOf(values, rows * cols), rows);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static double parseCell(String cell, String file, int lineNo, String column) {
        final String text = cell.trim();
        final double d = NUMERIC_TEXT.matcher(text).matches() ? Double.parseDouble(text) : Double.NaN;
        if (!Double.isFinite(d)) {
            throw new IllegalArgumentException(file + ": line " + lineNo + ", column '" + column + "': \""
                                               + abbreviate(cell) + "\" is not a finite number");
        }
        return d;
    }

    /**
     * The heap one predict row may take on its way through a node, answer included. The answer, not the
     * request, sets it: a row of two one-digit numbers is six bytes of JSON, and its answer (the prediction and a
     * probability per class, as doubles in the response, then as JSON text) about ten times that, held more than
     * once on the way. A body limit alone cannot bound it: a tree worker on a 256 MiB heap answered 450,000 such
     * rows (2.7 MB) in 0.8 s and ran out of heap on 1,000,000 (6 MB). At 512 bytes a row that worker takes
     * 506,880 rows a request, and {@code WorkerBodyLimitTest} has it answer that many.
     */
    static final long HEAP_PER_PREDICT_ROW = 512;

    /**
     * The heap one value of an answer may take on its way out: a double in the response, room for it as the
     * response grows, then its JSON text (up to 24 bytes, buffered before it is sent). A node that knows its
     * answer's width (a worker: the prediction and one probability per class) checks rows against it too.
     */
    static final long HEAP_PER_ANSWER_VALUE = 128;

    /**
     * The most rows a predict request may carry on this JVM: its maximum heap over
     * {@value #HEAP_PER_PREDICT_ROW} bytes (about 500,000 rows on {@code -Xmx256m}, 2,000,000 on {@code -Xmx1g}).
     * More are refused with a 413 {@value ChimeraException#PAYLOAD_TOO_LARGE_ERROR} before any work is done, so
     * that no accepted request runs the node out of memory.
     */
    public static int maxPredictRows() {
        return maxPredictRows(1);
    }

    /**
     * The most rows a predict may carry when each row's answer holds {@code answerValues} numbers (1 for
     * regression; 1 + the number of classes for a classifier that answers probabilities): the fewer of
     * {@link #maxPredictRows()} and the heap over {@value #HEAP_PER_ANSWER_VALUE} bytes a value.
     */
    public static int maxPredictRows(int answerValues) {
        final long perRow = Math.max(HEAP_PER_PREDICT_ROW, HEAP_PER_ANSWER_VALUE * Math.max(1, answerValues));
        return (int) Math.min(Integer.MAX_VALUE, Runtime.getRuntime().maxMemory() / perRow);
    }

    /**
     * Refuses, with a 413 {@value ChimeraException#PAYLOAD_TOO_LARGE_ERROR} that says how many rows to send
     * at once, a predict of more than {@link #maxPredictRows(int) maxPredictRows(answerValues)} rows.
     */
    public static void checkPredictRows(long rows, int answerValues) {
        final int max = maxPredictRows(answerValues);
        if (rows > max) {
            throw ChimeraException.payloadTooLarge(String.format(
                    Locale.ROOT, "the request has %,d rows; this node answers at most %,d rows at once with its "
                                 + "%,d MiB heap: send them in batches of %,d rows or fewer, or give the node a "
                                 + "larger heap (-Xmx)", rows, max, Runtime.getRuntime().maxMemory() >> 20, max));
        }
    }

    /**
     * Reads and validates the rows of a prediction request (either {@code X_pred_rows} or the matrix).
     *
     * @throws ChimeraException 400 when the request is malformed; 413 when it has more than
     *         {@link #maxPredictRows()} rows
     */
    public static Table fromPredictRequest(PredictRequest request) {
        final List<String> columns = normalizeColumns(request.getXPredColumnsList());
        final int cols = columns.size();
        final boolean hasRows = request.getXPredRowsCount() > 0;
        if (hasRows && request.hasXPredMatrix()) {
            throw ChimeraException.badRequest("give either X_pred_rows or X_pred_matrix, not both");
        }
        if (request.hasXPredMatrix()) {
            final Matrix m = request.getXPredMatrix();
            final ByteString packed = m.getLittleEndianValues();
            if (!packed.isEmpty() && m.getValuesCount() > 0) {
                throw ChimeraException.badRequest("X_pred_matrix: give either values or little_endian_values, "
                                                  + "not both");
            }
            if (packed.size() % Double.BYTES != 0) {
                throw ChimeraException.badRequest("X_pred_matrix: little_endian_values has " + packed.size()
                                                  + " bytes (expected: 8 per value)");
            }
            final int count = packed.isEmpty() ? m.getValuesCount() : packed.size() / Double.BYTES;
            if (m.getCols() != cols || m.getRows() <= 0 || (long) m.getRows() * cols != count) {
                throw ChimeraException.badRequest(
                        "X_pred_matrix: " + m.getRows() + " x " + m.getCols() + " with " + count
                        + " values (expected: rows > 0, cols = " + cols + " columns, rows x cols values)");
            }
            checkPredictRows(m.getRows(), 1);
            final double[] values = new double[count];
            if (packed.isEmpty()) {
                for (int i = 0; i < count; i++) {
                    values[i] = m.getValues(i);
                }
            } else {
                packed.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer().get(values);
            }
            for (int i = 0; i < values.length; i++) {
                final double v = values[i];
                if (!Double.isFinite(v)) {
                    throw ChimeraException.badRequest("X_pred_matrix: row " + (i / cols + 1) + ", column '"
                                                      + columns.get(i % cols) + "': " + v
                                                      + " is not a finite number");
                }
            }
            return new Table(columns, values, m.getRows());
        }
        if (!hasRows) {
            throw ChimeraException.badRequest("X_pred_rows: empty (expected: at least one row)");
        }
        final int rows = request.getXPredRowsCount();
        checkPredictRows(rows, 1);
        final double[] values = new double[Math.multiplyExact(rows, cols)];
        for (int r = 0; r < rows; r++) {
            final ListValue row = request.getXPredRows(r);
            if (row.getValuesCount() != cols) {
                throw ChimeraException.badRequest(
                        "X_pred_rows: row " + (r + 1) + " has " + row.getValuesCount()
                        + (row.getValuesCount() == 1 ? " value" : " values") + " (expected: " + cols
                        + ", one per column of X_pred_columns)");
            }
            for (int c = 0; c < cols; c++) {
                values[r * cols + c] = toDouble(row.getValues(c), r, columns.get(c));
            }
        }
        return new Table(columns, values, rows);
    }

    private static double toDouble(Value v, int row, String column) {
        final double d;
        switch (v.getKindCase()) {
            case NUMBER_VALUE:
                d = v.getNumberValue();
                break;
            case BOOL_VALUE:
                return v.getBoolValue() ? 1 : 0;
            case STRING_VALUE:
                final String text = v.getStringValue().trim();
                // Decimal notation only: Double.parseDouble would also take "1d", "2f" and "0x1p3".
                if (!NUMERIC_TEXT.matcher(text).matches()) {
                    throw invalidCell(row, column, '"' + abbreviate(v.getStringValue()) + "\" is not a number");
                }
                d = Double.parseDouble(text);
                break;
            case NULL_VALUE:
                throw invalidCell(row, column, "null is not a number");
            default:
                throw invalidCell(row, column, "a nested list or object is not a number");
        }
        if (!Double.isFinite(d)) {
            throw invalidCell(row, column, d + " is not a finite number");
        }
        return d;
    }

    private static ChimeraException invalidCell(int row, String column, String problem) {
        return ChimeraException.badRequest("X_pred_rows: row " + (row + 1) + ", column '" + column + "': "
                                           + problem);
    }

    /**
     * Up to 50 names, each cut to 60 characters, then how many more: a message stays short enough to travel in a
     * gRPC trailer whatever the request held (1,000,000 unknown columns, a 7,500-character name).
     */
    static String listed(List<String> names) {
        final StringBuilder sb = new StringBuilder("[");
        final int shown = Math.min(names.size(), 50);
        for (int i = 0; i < shown; i++) {
            final String n = names.get(i);
            sb.append(i == 0 ? "" : ", ").append(n.length() <= 60 ? n : n.substring(0, 60) + "...("
                                                                       + n.length() + " characters)");
        }
        if (names.size() > shown) {
            sb.append(", ... ").append(names.size() - shown).append(" more");
        }
        return sb.append(']').toString();
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }

    private static List<String> normalizeColumns(List<String> raw) {
        if (raw.isEmpty()) {
            throw ChimeraException.badRequest("X_pred_columns: empty (expected: the names of the columns)");
        }
        final List<String> columns = new ArrayList<>(raw.size());
        final Map<String, Integer> seen = new HashMap<>();
        for (String name : raw) {
            final String n = normalize(requireNonNull(name, "column"));
            if (n.isEmpty()) {
                throw ChimeraException.badRequest("X_pred_columns: a column name is empty");
            }
            if (seen.putIfAbsent(n, columns.size()) != null) {
                throw ChimeraException.badRequest("X_pred_columns: duplicate column '" + n + "'");
            }
            columns.add(n);
        }
        return Collections.unmodifiableList(columns);
    }

    private final List<String> columns;
    private final double[] values;
    private final int rows;

    private Table(List<String> columns, double[] values, int rows) {
        if (rows < 0 || (long) rows * columns.size() != values.length) {
            throw new IllegalArgumentException("values: " + values.length + " (expected: rows " + rows
                                               + " x " + columns.size() + " columns)");
        }
        this.columns = columns;
        this.values = values;
        this.rows = rows;
    }

    /** The normalised column names. */
    public List<String> columns() {
        return columns;
    }

    /** Number of rows. */
    public int rows() {
        return rows;
    }

    /** Number of columns. */
    public int cols() {
        return columns.size();
    }

    /** The row-major values (the backing array: do not mutate). */
    public double[] values() {
        return values;
    }

    /** The value at a row and column. */
    public double get(int row, int col) {
        return values[row * columns.size() + col];
    }

    /**
     * Returns the values with columns in the order of {@code wanted}, matched by name. Missing columns, and
     * columns the caller sent that are not wanted, are a 400 naming them.
     */
    public double[] valuesInOrder(List<String> wanted) {
        final int[] index = new int[wanted.size()];
        final List<String> missing = new ArrayList<>();
        for (int i = 0; i < index.length; i++) {
            index[i] = columns.indexOf(wanted.get(i));
            if (index[i] < 0) {
                missing.add(wanted.get(i));
            }
        }
        final List<String> unknown = new ArrayList<>();
        for (String c : columns) {
            if (!wanted.contains(c)) {
                unknown.add(c);
            }
        }
        if (!missing.isEmpty() || !unknown.isEmpty()) {
            final StringBuilder msg = new StringBuilder("X_pred_columns:");
            if (!missing.isEmpty()) {
                msg.append(" missing columns ").append(listed(missing));
            }
            if (!unknown.isEmpty()) {
                msg.append(missing.isEmpty() ? "" : ";").append(" unknown columns ").append(listed(unknown));
            }
            msg.append(" (expected: ").append(listed(wanted)).append(')');
            throw ChimeraException.badRequest(msg.toString());
        }
        boolean identity = true;
        for (int i = 0; i < index.length; i++) {
            identity &= index[i] == i;
        }
        if (identity) {
            return values;
        }
        final int cols = columns.size();
        final double[] out = new double[rows * index.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < index.length; c++) {
                out[r * index.length + c] = values[r * cols + index[c]];
            }
        }
        return out;
    }

    /** This table as a compact prediction request: the matrix form, its values packed as little-endian bytes. */
    public PredictRequest toPredictRequest() {
        return PredictRequest.newBuilder().addAllXPredColumns(columns)
                             .setXPredMatrix(packedMatrix(values, rows, columns.size())).build();
    }

    /** A matrix whose values travel as {@code little_endian_values}, copied in bulk. */
    public static Matrix packedMatrix(double[] values, int rows, int cols) {
        return packedMatrix(values, values.length, rows, cols);
    }

    /** A matrix of the first {@code count} of {@code values}, packed as {@link #packedMatrix(double[], int, int)}. */
    public static Matrix packedMatrix(double[] values, int count, int rows, int cols) {
        final ByteBuffer bytes = ByteBuffer.allocate(count * Double.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asDoubleBuffer().put(values, 0, count);
        return Matrix.newBuilder().setRows(rows).setCols(cols)
                     .setLittleEndianValues(UnsafeByteOperations.unsafeWrap(bytes.array())).build();
    }

    /** This table as a prediction request in chimera's form: {@code X_pred_columns} and {@code X_pred_rows}. */
    public PredictRequest toRowsPredictRequest() {
        final PredictRequest.Builder b = PredictRequest.newBuilder().addAllXPredColumns(columns);
        final int cols = columns.size();
        for (int r = 0; r < rows; r++) {
            final ListValue.Builder row = ListValue.newBuilder();
            for (int c = 0; c < cols; c++) {
                row.addValues(Value.newBuilder().setNumberValue(values[r * cols + c]));
            }
            b.addXPredRows(row);
        }
        return b.build();
    }

    @Override
    public String toString() {
        return "Table{" + rows + " rows x " + columns + '}';
    }
}
