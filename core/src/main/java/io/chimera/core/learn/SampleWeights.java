package io.chimera.core.learn;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;

import io.chimera.core.data.Dataset;

/** How many times each row of a dataset is in the sample a tree is fitted on. */
final class SampleWeights {

    /** Every row once: a fit on all of the data. */
    static int[] all(Dataset data) {
        final int[] weights = new int[data.rows()];
        Arrays.fill(weights, 1);
        return weights;
    }

    /**
     * The rows listed in {@code rows}, each as many times as listed.
     *
     * @throws IndexOutOfBoundsException as {@link Dataset#select(int[])} for an index out of range
     */
    static int[] of(Dataset data, int[] rows) {
        requireNonNull(rows, "rows");
        final int[] weights = new int[data.rows()];
        for (int i = 0; i < rows.length; i++) {
            final int row = rows[i];
            if (row < 0 || row >= weights.length) {
                throw new IndexOutOfBoundsException("rowIndices[" + i + "]: " + row + " (expected: 0 <= row < " +
                                                    weights.length + ')');
            }
            weights[row]++;
        }
        return weights;
    }

    private SampleWeights() {}
}
