package io.chimera.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TableTest {

    @TempDir
    Path dir;

    Path csv(String content) throws IOException {
        return Files.writeString(dir.resolve("X.csv"), content);
    }

    @Test
    void readCsv_normalisesNamesAndReadsRows() throws IOException {
        final Table t = Table.readCsv(csv("\uFEFF Mean_Radius ,b\n1.5, 2\n\n-3,4e1\n"));
        assertThat(t.columns()).containsExactly("mean_radius", "b");
        assertThat(t.rows()).isEqualTo(2);
        assertThat(t.values()).containsExactly(1.5, 2, -3, 40);
    }

    @Test
    void readCsv_bundledHoldout_roundTripsThroughPredictRequest() {
        final Path x = Path.of("../data/breast-cancer/X_test.csv");
        final Table t = Table.readCsv(x);
        assertThat(t.rows()).isEqualTo(114);
        assertThat(t.cols()).isEqualTo(30);
        assertThat(Table.fromPredictRequest(t.toRowsPredictRequest()).values()).containsExactly(t.values());
        assertThat(Table.fromPredictRequest(t.toPredictRequest()).values()).containsExactly(t.values());
    }

    @Test
    void fromPredictRequest_packedMatrix_readsTheSameDoubles() {
        final double[] values = { 1.5, -0.0, Double.MIN_VALUE, 1e300, 7, 8 };
        final Table t = Table.of(java.util.List.of("a", "b"), values, 3);

        assertThat(t.toPredictRequest().getXPredMatrix().getValuesCount()).isZero();
        assertThat(Table.fromPredictRequest(t.toPredictRequest()).values()).containsExactly(values);
    }

    @Test
    void fromPredictRequest_packedMatrixWithValuesOrOddBytes_is400() {
        final io.chimera.proto.v1.PredictRequest packed = Table.of(java.util.List.of("a"), new double[] { 1 }, 1)
                                                              .toPredictRequest();
        final io.chimera.proto.v1.PredictRequest both = packed.toBuilder().setXPredMatrix(
                packed.getXPredMatrix().toBuilder().addValues(1)).build();
        final io.chimera.proto.v1.PredictRequest odd = packed.toBuilder().setXPredMatrix(
                packed.getXPredMatrix().toBuilder().setLittleEndianValues(
                        com.google.protobuf.ByteString.copyFrom(new byte[7]))).build();

        assertThatThrownBy(() -> Table.fromPredictRequest(both)).isInstanceOf(ChimeraException.class)
                .hasMessage("X_pred_matrix: give either values or little_endian_values, not both");
        assertThatThrownBy(() -> Table.fromPredictRequest(odd)).isInstanceOf(ChimeraException.class)
                .hasMessage("X_pred_matrix: little_endian_values has 7 bytes (expected: 8 per value)");
    }

    /** Numeric strings are numbers in decimal notation; Java's own spellings ("1d", "0x1p3") are not. */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = { "1d", "2F", "0x1p3", "1_000", "Infinity", "NaN",
                                                                "1e", "--1", "1.2.3", "" })
    void fromPredictRequest_numericStringsOnlyInDecimalNotation(String cell) {
        final io.chimera.proto.v1.PredictRequest request = predictRequest(cell);
        assertThatThrownBy(() -> Table.fromPredictRequest(request)).isInstanceOf(ChimeraException.class)
                .hasMessageContaining("row 1, column 'a'");
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = { "1|1", "-2.5|-2.5", "' .5 '|0.5",
                                                                            "+3|3", "1e3|1000", "4.|4", "7E-1|0.7" })
    void fromPredictRequest_decimalStringsAreNumbers(String cell, double expected) {
        assertThat(Table.fromPredictRequest(predictRequest(cell)).values()).containsExactly(expected);
    }

    /** However many or long the caller's columns, the message names the first ones and counts the rest. */
    @Test
    void valuesInOrder_longOrManyColumns_giveAShortMessage() {
        final String longName = "c".repeat(7500);
        final Table one = Table.of(java.util.List.of(longName), new double[] { 1 }, 1);
        assertThatThrownBy(() -> one.valuesInOrder(java.util.List.of("a")))
                .hasMessage("X_pred_columns: missing columns [a]; unknown columns [" + "c".repeat(60)
                            + "...(7500 characters)] (expected: [a])");
        final java.util.List<String> many = new java.util.ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            many.add("x" + i);
        }
        final Table wide = Table.of(many, new double[1000], 1);
        final Throwable e = org.assertj.core.api.Assertions.catchThrowable(
                () -> wide.valuesInOrder(java.util.List.of("a")));
        assertThat(e.getMessage()).contains("unknown columns [x0, x1,").contains(", x49, ... 950 more]")
                                  .hasSizeLessThan(600);
    }

    private static io.chimera.proto.v1.PredictRequest predictRequest(String cell) {
        return io.chimera.proto.v1.PredictRequest.newBuilder().addXPredColumns("a").addXPredRows(
                com.google.protobuf.ListValue.newBuilder().addValues(
                        com.google.protobuf.Value.newBuilder().setStringValue(cell))).build();
    }

    @Test
    void readCsv_nonNumericCell_namesFileLineAndColumn() throws IOException {
        final Path f = csv("a,b\n1,2\n3,abc\n");
        assertThatThrownBy(() -> Table.readCsv(f)).isInstanceOf(IllegalArgumentException.class)
                                                  .hasMessageContaining(f.toString())
                                                  .hasMessageContaining("line 3, column 'b': \"abc\"");
    }

    @Test
    void readCsv_emptyOrNonFiniteCell_isRejected() throws IOException {
        assertThatThrownBy(() -> Table.readCsv(csv("a,b\n1,\n"))).hasMessageContaining("line 2, column 'b'");
        assertThatThrownBy(() -> Table.readCsv(csv("a,b\nNaN,1\n"))).hasMessageContaining("column 'a'");
    }

    @Test
    void readCsv_raggedRow_namesLine() throws IOException {
        assertThatThrownBy(() -> Table.readCsv(csv("a,b\n1,2\n1,2,3\n")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("line 3 has 3 cells (expected: 2");
    }

    @Test
    void readCsv_badHeader_isRejected() throws IOException {
        assertThatThrownBy(() -> Table.readCsv(csv(""))).isInstanceOf(IllegalArgumentException.class)
                                                        .hasMessageContaining("empty");
        assertThatThrownBy(() -> Table.readCsv(csv("a,A\n1,2\n"))).isInstanceOf(IllegalArgumentException.class)
                                                               .hasMessageContaining("duplicate column 'a'");
    }

    @Test
    void predictRowsFollowTheHeap_andAWiderAnswerTakesFewerRows() {
        final long heap = Runtime.getRuntime().maxMemory();
        assertThat(Table.maxPredictRows()).isEqualTo((int) Math.min(Integer.MAX_VALUE, heap / 512));
        // A binary classifier's answer (3 values a row) fits the general limit; eleven classes (12 values) do not.
        assertThat(Table.maxPredictRows(3)).isEqualTo(Table.maxPredictRows());
        assertThat(Table.maxPredictRows(12)).isEqualTo((int) Math.min(Integer.MAX_VALUE, heap / (12 * 128)));
        Table.checkPredictRows(Table.maxPredictRows(12), 12);
        assertThatThrownBy(() -> Table.checkPredictRows(Table.maxPredictRows(12) + 1L, 12))
                .isInstanceOfSatisfying(ChimeraException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(413);
                    assertThat(e.errorType()).isEqualTo(ChimeraException.PAYLOAD_TOO_LARGE_ERROR);
                    assertThat(e.getMessage()).contains(String.format(java.util.Locale.ROOT, "at most %,d rows at once",
                                                                      Table.maxPredictRows(12)))
                                              .contains("-Xmx");
                });
    }
}
