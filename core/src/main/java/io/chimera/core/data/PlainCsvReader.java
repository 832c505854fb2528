package io.chimera.core.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;

import io.chimera.core.internal.DecimalText;

/**
 * Reads the plain form of a numeric CSV straight from bytes into a {@code double[]}: a header of unquoted
 * names, then rows of plain decimal numbers ({@code -1.5e-3}) separated by commas, one per line ({@code \n} or
 * {@code \r\n}), with no quotes, blanks, empty lines or other text. That is what pandas, NumPy and chimera's
 * examples write, and it loads several times faster than a general CSV parser, which makes a string per cell.
 *
 * <p>It never judges a file: anything outside the plain form makes {@link #read} answer null, and the caller
 * reads the file again with the general parser, whose messages name the row and the problem. The numbers are
 * those {@link Double#parseDouble} gives for the same text ({@link DecimalText}).
 *
 * <p>It reads the file twice, streaming: once to count the lines, so that the values go into one array of
 * exactly the right size (no growing copies, which would double the peak heap of a large file), and once to
 * parse them.
 */
final class PlainCsvReader {

    private static final int BUFFER_BYTES = 1 << 20;

    /** Column names (as written, not yet normalised), row-major values and the row count, or null. */
    record Plain(List<String> names, double[] values, int rows) {}

    /**
     * Reads {@code file} if it is in the plain form; returns null when it is not or cannot be read, for the
     * general parser to read (and explain).
     */
    static Plain read(Path file) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            final long lines = countLines(channel);
            channel.position(0);
            return new PlainCsvReader(channel).parse(lines);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Lines in the file: line feeds, plus one for a last line with none. */
    private static long countLines(FileChannel channel) throws IOException {
        final ByteBuffer buffer = ByteBuffer.allocate(BUFFER_BYTES);
        final byte[] bytes = buffer.array();
        long lines = 0;
        byte last = '\n';
        int n;
        while ((n = channel.read(buffer.clear())) >= 0) {
            for (int i = 0; i < n; i++) {
                if (bytes[i] == '\n') {
                    lines++;
                }
            }
            if (n > 0) {
                last = bytes[n - 1];
            }
        }
        return last == '\n' ? lines : lines + 1;
    }

    private final FileChannel channel;
    private byte[] bytes = new byte[BUFFER_BYTES];
    /** Valid bytes are {@code bytes[position, limit)}. */
    private int position;
    private int limit;
    /** The last line feed read so far; every line before it is whole in the buffer. */
    private int lastLineFeed = -1;
    private boolean endOfFile;

    private PlainCsvReader(FileChannel channel) {
        this.channel = channel;
    }

    private Plain parse(long lines) throws IOException {
        final List<String> names = header();
        if (names == null || lines < 2 || (lines - 1) * names.size() > Integer.MAX_VALUE - 8) {
            return null;
        }
        final int rows = (int) (lines - 1);
        final int cols = names.size();
        final double[] values = new double[rows * cols];
        int i = 0;
        for (int row = 0; row < rows; row++) {
            if (!ensureLine()) {
                return null;
            }
            for (int col = 0; col < cols; col++) {
                final int end = cellEnd();
                if (end < 0 || end == position) {
                    return null;
                }
                final double v = DecimalText.parse(bytes, position, end);
                if (Double.isNaN(v) || Double.isInfinite(v)) {
                    return null; // not plain (or not finite): the general parser says which
                }
                values[i++] = v;
                final byte separator = bytes[end];
                position = end + 1;
                if (col < cols - 1 ? separator != ',' : !endOfLine(separator, end)) {
                    return null;
                }
            }
        }
        return ensureMore() ? null : new Plain(names, values, rows);
    }

    /** The header's names, or null when it is not plain: quoted, empty, or after a byte order mark. */
    private List<String> header() throws IOException {
        if (!ensureLine()) {
            return null;
        }
        int end = position;
        while (bytes[end] != '\n') {
            end++;
        }
        final int lineEnd = end > position && bytes[end - 1] == '\r' ? end - 1 : end;
        for (int i = position; i < lineEnd; i++) {
            if (bytes[i] == '"' || bytes[i] == '\r' || (bytes[i] & 0x80) != 0) {
                return null;
            }
        }
        final String text = new String(bytes, position, lineEnd - position, StandardCharsets.US_ASCII);
        position = end + 1;
        final List<String> names = Arrays.asList(text.split(",", -1));
        for (String name : names) {
            if (name.isBlank()) {
                return null;
            }
        }
        return names;
    }

    /**
     * Makes sure a whole line (up to and including its line feed) is in the buffer from {@code position}, reading
     * and growing as needed; a last line with no line feed gets one. Returns false at the end of the file.
     */
    private boolean ensureLine() throws IOException {
        while (position > lastLineFeed) {
            if (endOfFile) {
                if (position == limit) {
                    return false;
                }
                append((byte) '\n');
                lastLineFeed = limit - 1;
                return true;
            }
            fill();
        }
        return true;
    }

    /** Whether anything but the end of the file follows. */
    private boolean ensureMore() throws IOException {
        while (position == limit && !endOfFile) {
            fill();
        }
        return position < limit;
    }

    private void fill() throws IOException {
        if (position > 0) {
            System.arraycopy(bytes, position, bytes, 0, limit - position);
            limit -= position;
            lastLineFeed -= position;
            position = 0;
        }
        if (limit == bytes.length) {
            bytes = Arrays.copyOf(bytes, bytes.length * 2);
        }
        final int n = channel.read(ByteBuffer.wrap(bytes, limit, bytes.length - limit));
        if (n < 0) {
            endOfFile = true;
            return;
        }
        final int from = limit;
        limit += n;
        for (int i = limit - 1; i >= from; i--) {
            if (bytes[i] == '\n') {
                lastLineFeed = i;
                break;
            }
        }
    }

    private void append(byte b) {
        if (limit == bytes.length) {
            bytes = Arrays.copyOf(bytes, bytes.length * 2);
        }
        bytes[limit++] = b;
    }

    /** The index of the byte ending the cell at {@code position} (a comma or line end); the line is buffered. */
    private int cellEnd() {
        int i = position;
        byte b;
        while ((b = bytes[i]) != ',' && b != '\n' && b != '\r') {
            i++;
        }
        return i;
    }

    /** Whether the cell ended by {@code bytes[end]} is the last of its line; moves past a {@code \r\n}. */
    private boolean endOfLine(byte separator, int end) {
        if (separator == '\n') {
            return true;
        }
        if (separator == '\r' && bytes[end + 1] == '\n') {
            position = end + 2;
            return true;
        }
        return false;
    }
}
