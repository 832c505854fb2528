package io.chimera.core.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PlainCsvReaderTest {

    @TempDir
    Path dir;

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
