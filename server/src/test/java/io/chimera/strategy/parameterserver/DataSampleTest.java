package io.chimera.strategy.parameterserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

import io.chimera.strategy.sgd.TestData;

class DataSampleTest {

    @Test
    void sampleRows_forClassification_containsEveryClass() {
        // One row of class 7 among 10,000.
        final double[] labels = new double[10_000];
        for (int r = 0; r < labels.length; r++) {
            labels[r] = r % 2;
        }
        labels[4321] = 7;
        for (long seed = 0; seed < 20; seed++) {
            final int[] rows = DataSample.sampleRows(labels, true, seed);
            assertThat(rows).hasSize(DataSample.DEFAULT_SIZE).doesNotHaveDuplicates().isSorted();
            assertThat(Arrays.stream(rows).mapToDouble(r -> labels[r]).distinct().sorted().toArray())
                    .containsExactly(0, 1, 7);
        }
    }

    @Test
    void sampleRows_withMoreClassesThanSize_takesOneRowPerClass() {
        final TestData iris = TestData.train("iris");
        final int[] rows = DataSample.sampleRows(iris.labels, 2, true, 3);
        assertThat(rows).hasSize(3);
        assertThat(Arrays.stream(rows).mapToDouble(r -> iris.labels[r]).sorted().toArray())
                .containsExactly(0, 1, 2);
    }

    @Test
    void sampleRows_isDeterministicForASeed() {
        final double[] labels = TestData.train("wine-like").labels;
        final int[] rows = DataSample.sampleRows(labels, 10, false, 42);
        assertThat(DataSample.sampleRows(labels, 10, false, 42)).containsExactly(rows);
        assertThat(DataSample.sampleRows(labels, 10, false, 43)).isNotEqualTo(rows);
        assertThat(rows).hasSize(10).doesNotHaveDuplicates().isSorted();
    }

    @Test
    void sampleRows_ofSmallShard_isEveryRow() {
        assertThat(DataSample.sampleRows(new double[] { 3, 1, 2 }, 10, true, 1)).containsExactly(0, 1, 2);
        assertThat(DataSample.sampleRows(new double[12], 10, false, 1)).hasSize(10).doesNotHaveDuplicates();
    }

    @Test
    void sampleRows_withNonPositiveSize_fails() {
        assertThatThrownBy(() -> DataSample.sampleRows(new double[3], 0, false, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("size: 0 (expected: > 0)");
    }
}
