package io.chimera.core.data;

import static java.util.Objects.requireNonNull;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Loads a {@link Dataset} from chimera's CSV layout: {@code X_train.csv} holds a header row of feature names
 * and one numeric row per sample; {@code y_train.csv} holds a header with exactly one label name and one
 * numeric label per sample.
 *
 * <p>Cells are streamed straight into primitive arrays: a file in the plain form that pandas and NumPy write
 * is read from bytes by {@link PlainCsvReader}, anything else by Commons CSV. Column names are trimmed and
 * lower-cased. Cells are
 * trimmed before parsing, so {@code 1}, {@code 1.0}, {@code -2.5e-3} and {@code "  3 "} are all accepted;
 * empty, non-numeric, NaN and infinite cells are not. Every problem is reported as a
 * {@link DataLoadException} whose one-line message names the file, the 1-based data row (the header is not
 * counted) and what is wrong.
 */
public final class CsvDatasetLoader {

    /** The features file that {@link #load(Path)} reads. */
    public static final String X_TRAIN_FILE = "X_train.csv";

    /** The labels file that {@link #load(Path)} reads. */
    public static final String Y_TRAIN_FILE = "y_train.csv";

    private static final CSVFormat FORMAT = CSVFormat.DEFAULT.builder().setIgnoreEmptyLines(true).get();
    private static final int INITIAL_ROW_CAPACITY = 1024;
    private static final List<String> NON_FINITE_WORDS = List.of("nan", "inf", "infinity");

    /** Loads {@value #X_TRAIN_FILE} and {@value #Y_TRAIN_FILE} from {@code dataDir}. */
    public static Dataset load(Path dataDir) {
        requireNonNull(dataDir, "dataDir");
        return load(dataDir.resolve(X_TRAIN_FILE), dataDir.resolve(Y_TRAIN_FILE));
    }

    /**
     * Loads features from {@code xCsv} and labels from {@code yCsv}.
     *
     * @throws DataLoadException if a file is missing or malformed, or the two files disagree
     */
    public static Dataset load(Path xCsv, Path yCsv) {
        requireNonNull(xCsv, "xCsv");
        requireNonNull(yCsv, "yCsv");
        checkReadable(xCsv);
        checkReadable(yCsv);
        final NumericCsv x = read(xCsv);
        final NumericCsv y = read(yCsv);
        if (y.names().size() != 1) {
            throw new DataLoadException(yCsv + ": header: expected exactly one label column, found " +
                                        y.names().size() + ' ' + y.names());
        }
        if (x.rows() != y.rows()) {
            throw new DataLoadException(xCsv + " has " + x.rows() + " data rows but " + yCsv + " has " + y.rows());
        }
        return Dataset.of(x.names(), x.values(), x.rows(), y.names().get(0), y.values());
    }

    private static void checkReadable(Path file) {
        if (!Files.exists(file)) {
            throw new DataLoadException(file + ": file not found");
        }
        if (!Files.isRegularFile(file)) {
            throw new DataLoadException(file + ": not a regular file");
        }
    }

    private static NumericCsv read(Path file) {
        final PlainCsvReader.Plain plain = PlainCsvReader.read(file);
        if (plain != null) {
            try {
                return new NumericCsv(Dataset.normalise(plain.names()), plain.values(), plain.rows());
            } catch (IllegalArgumentException e) {
                // Duplicate names: the general parser below says so, in its words.
            }
        }
        // Where a read failed, for the message: nothing yet (opening), the header, or a data row.
        String at = "";
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
             CSVParser parser = FORMAT.parse(skipByteOrderMark(reader))) {
            final Iterator<CSVRecord> records = parser.iterator();
            at = "header: ";
            if (!records.hasNext()) {
                throw new DataLoadException(file + ": empty file (expected a header row)");
            }
            final List<String> names = header(file, records.next());
            final int cols = names.size();
            double[] values = new double[cols * INITIAL_ROW_CAPACITY];
            int size = 0;
            int rows = 0;
            at = "data row 1: ";
            while (records.hasNext()) {
                final CSVRecord record = records.next();
                rows++;
                at = "data row " + (rows + 1) + ": ";
                if (record.size() != cols) {
                    throw new DataLoadException(file + ": data row " + rows + ": expected " + cols +
                                                (cols == 1 ? " cell" : " cells") + ", found " + record.size());
                }
                if (values.length - size < cols) {
                    values = grow(file, values);
                }
                for (int col = 0; col < cols; col++) {
                    values[size++] = parseCell(record.get(col), file, rows, names.get(col));
                }
            }
            if (rows == 0) {
                throw new DataLoadException(file + ": header only, no data rows");
            }
            return new NumericCsv(names, Arrays.copyOf(values, size), rows);
        } catch (IOException e) {
            throw new DataLoadException(file + ": " + at + "cannot read: " + e.getMessage(), e);
        } catch (UncheckedIOException e) {
            // Commons CSV's complaint about the text (an unclosed quote), wrapped by its iterator.
            throw new DataLoadException(file + ": " + at + "cannot read: " + e.getCause().getMessage(), e);
        }
    }

    /** Skips the byte order mark that spreadsheet tools write at the start of a UTF-8 file. */
    private static Reader skipByteOrderMark(BufferedReader reader) throws IOException {
        reader.mark(1);
        if (reader.read() != '\uFEFF') {
            reader.reset();
        }
        return reader;
    }

    private static List<String> header(Path file, CSVRecord record) {
        final List<String> cells = record.toList();
        for (int col = 0; col < cells.size(); col++) {
            if (cells.get(col).isBlank()) {
                throw new DataLoadException(file + ": header: column " + (col + 1) + " has an empty name");
            }
        }
        try {
            return Dataset.normalise(cells);
        } catch (IllegalArgumentException e) {
            throw new DataLoadException(file + ": header: " + e.getMessage());
        }
    }

    private static double[] grow(Path file, double[] values) {
        final long capacity = 2L * values.length;
        if (capacity > Integer.MAX_VALUE - 8) {
            throw new DataLoadException(file + ": too large: more than " + values.length + " cells");
        }
        return Arrays.copyOf(values, (int) capacity);
    }

    private static double parseCell(String cell, Path file, int row, String column) {
        final String text = cell.trim();
        if (text.isEmpty()) {
            throw new DataLoadException(file + ": data row " + row + ": empty cell in column '" + column + '\'');
        }
        final double value;
        try {
            // parseDouble also takes Java's type suffixes ("1d", "2f"), which are not numbers in a CSV.
            final char last = text.charAt(text.length() - 1);
            if (last == 'd' || last == 'D' || last == 'f' || last == 'F') {
                throw new NumberFormatException();
            }
            value = Double.parseDouble(text);
        } catch (NumberFormatException e) {
            if (isNonFiniteWord(text)) {
                throw notFinite(cell, file, row, column);
            }
            throw new DataLoadException(file + ": data row " + row + ": '" + cell + "' in column '" + column +
                                        "' is not a number");
        }
        if (!Double.isFinite(value)) {
            throw notFinite(cell, file, row, column);
        }
        return value;
    }

    private static boolean isNonFiniteWord(String text) {
        final char first = text.charAt(0);
        final String unsigned = first == '-' || first == '+' ? text.substring(1) : text;
        return NON_FINITE_WORDS.contains(unsigned.toLowerCase(Locale.ROOT));
    }

    private static DataLoadException notFinite(String cell, Path file, int row, String column) {
        return new DataLoadException(file + ": data row " + row + ": '" + cell + "' in column '" + column +
                                     "' is not finite (NaN and Infinity are rejected)");
    }

    private CsvDatasetLoader() {}

    /** One parsed CSV file: normalised column names and row-major values. */
    private record NumericCsv(List<String> names, double[] values, int rows) {}
}
