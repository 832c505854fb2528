package io.chimera.workers.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PlainCsvReaderTest {

    @TempDir
    Path dir;

    private static double parse(String text) {
        final byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        return PlainCsvReader.parseNumber(bytes, 0, bytes.length);
    }

    @ParameterizedTest
    @ValueSource(strings = { "0", "-0", "+4", "1", "1.0", "-2.5e-3", ".5", "5.", "007", "0.000123", "1E5", "1e+5",
                             "123456789012345678", "1234567890123456789012", "0.1", "0.30000000000000004",
                             "9007199254740993", "4.9e-324", "1.7976931348623157e308", "2.2250738585072014E-308",
                             "1e22", "1e23", "1e-22", "1e-23", "3.14159265358979323846" })
    void parseNumber_equalsParseDouble(String text) {
        assertThat(parse(text)).isEqualTo(Double.parseDouble(text));
    }

    @Test
    void parseNumber_randomDecimals_equalParseDouble() {
        final SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 100_000; i++) {
            final String text = i % 2 == 0 ? Double.toString(random.nextDouble(-1e6, 1e6))
                                            : random.nextLong(1_000_000_000_000L) + "." + random.nextInt(1000)
                                              + "e" + (random.nextInt(60) - 30);
            assertThat(parse(text)).as(text).isEqualTo(Double.parseDouble(text));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "-", ".", "e5", "1e", "1e+", "1d", "0x10", " 1", "1 ", "NaN", "Infinity", "1,5", "--1" })
    void parseNumber_notPlain_isNaN(String text) {
        assertThat(parse(text)).isNaN();
    }

    @Test
    void read_plainFile_withCrLfAndNoFinalLineFeed() throws IOException {
        final PlainCsvReader.Plain plain = PlainCsvReader.read(write("A , b\r\n1,2.5\r\n-3,4e2"));

        assertThat(plain).isNotNull();
        assertThat(plain.names()).containsExactly("A ", " b");
        assertThat(plain.rows()).isEqualTo(2);
        assertThat(plain.values()).containsExactly(1, 2.5, -3, 400);
    }

    @Test
    void read_longLines_growTheBuffer() throws IOException {
        final StringBuilder csv = new StringBuilder();
        final int cols = 100_000;
        for (int c = 0; c < cols; c++) {
            csv.append(c == 0 ? "" : ",").append('c').append(c);
        }
        for (int r = 0; r < 3; r++) {
            csv.append('\n');
            for (int c = 0; c < cols; c++) {
                csv.append(c == 0 ? "" : ",").append(r * cols + c);
            }
        }
        final PlainCsvReader.Plain plain = PlainCsvReader.read(write(csv + "\n"));

        assertThat(plain).isNotNull();
        assertThat(plain.rows()).isEqualTo(3);
        assertThat(plain.values()[2 * cols + 5]).isEqualTo(2 * cols + 5);
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "a\n", "\"a\",b\n1,2\n", "\uFEFFa\n1\n", "a,b\n1,2\n\n3,4\n", "a,b\n1, 2\n",
                             "a,b\n1,2,3\n", "a,b,c\n1,2\n", "a\nNaN\n", "a\n1e400\n", ",a\n1,2\n", "a\n1\r2\n" })
    void read_notPlain_isNull(String content) throws IOException {
        assertThat(PlainCsvReader.read(write(content))).isNull();
    }

    private Path write(String content) throws IOException {
        return Files.writeString(dir.resolve("x.csv"), content, StandardCharsets.UTF_8);
    }
}
