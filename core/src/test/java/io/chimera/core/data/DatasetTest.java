package io.chimera.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

class DatasetTest {

    private static Dataset threeRows() {
        return Dataset.of(List.of(" A ", "b"), new double[] { 1, 2, 3, 4, 5, 6 }, 3, " Target", new double[] { 1, 0, 1 });
    }

    @Test
    void of_normalisesNames() {
        final Dataset data = threeRows();

        assertThat(data.featureNames()).containsExactly("a", "b");
        assertThat(data.labelName()).isEqualTo("target");
        assertThat(data.rows()).isEqualTo(3);
        assertThat(data.cols()).isEqualTo(2);
        assertThat(data.feature(1, 1)).isEqualTo(4);
        assertThat(data.label(2)).isEqualTo(1);
    }

    @Test
    void of_duplicateNamesAfterNormalising_rejected() {
        assertThatThrownBy(() -> Dataset.of(List.of("a", " A"), new double[2], 1, "y", new double[1]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("duplicate column name 'a' (columns 1 and 2)");
    }

    @Test
    void of_wrongFeatureLength_rejected() {
        assertThatThrownBy(() -> Dataset.of(List.of("a", "b"), new double[5], 3, "y", new double[3]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("features.length: 5 (expected: rows * cols = 3 * 2)");
    }

    @Test
    void of_wrongLabelLength_rejected() {
        assertThatThrownBy(() -> Dataset.of(List.of("a"), new double[3], 3, "y", new double[2]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("labels.length: 2 (expected: 3)");
    }

    @Test
    void featureNames_isUnmodifiable() {
        assertThatThrownBy(() -> threeRows().featureNames().add("c"))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void columnIndex_normalisesName_orReturnsMinusOne() {
        final Dataset data = threeRows();

        assertThat(data.columnIndex("  B")).isEqualTo(1);
        assertThat(data.columnIndex("c")).isEqualTo(-1);
    }

    @Test
    void feature_outOfRange_throws() {
        assertThatThrownBy(() -> threeRows().feature(3, 0)).isInstanceOf(IndexOutOfBoundsException.class)
                                                             .hasMessageContaining("row: 3");
        assertThatThrownBy(() -> threeRows().feature(0, 2)).isInstanceOf(IndexOutOfBoundsException.class)
                                                             .hasMessageContaining("col: 2");
    }

    @Test
    void select_repeatedRows_copiesThemInOrder() {
        final Dataset selected = threeRows().select(new int[] { 2, 0, 2 });

        assertThat(selected.rows()).isEqualTo(3);
        assertThat(selected.features()).containsExactly(5, 6, 1, 2, 5, 6);
        assertThat(selected.labels()).containsExactly(1, 1, 1);
        assertThat(selected.featureNames()).containsExactly("a", "b");
    }

    @Test
    void select_indexOutOfRange_throws() {
        assertThatThrownBy(() -> threeRows().select(new int[] { 0, 3 }))
                .isInstanceOf(IndexOutOfBoundsException.class)
                .hasMessageContaining("rowIndices[1]: 3");
    }

    @Test
    void distinctLabels_returnsSortedDistinct() {
        final Dataset data = Dataset.of(List.of(), new double[0], 6, "y", new double[] { 7, -1, 2.5, 7, -1, 0 });

        assertThat(data.distinctLabels()).containsExactly(-1, 0, 2.5, 7);
    }

    @Test
    void distinctLabels_manyValues_returnsSortedDistinct() {
        final double[] labels = new double[5000];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = (i * 7919) % 2000;
        }
        final double[] distinct = Dataset.of(List.of(), new double[0], labels.length, "y", labels).distinctLabels();

        assertThat(distinct).hasSize(2000).isSorted();
        assertThat(distinct[0]).isZero();
        assertThat(distinct[1999]).isEqualTo(1999);
    }
}
