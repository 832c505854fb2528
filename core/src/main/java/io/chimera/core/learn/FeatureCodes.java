package io.chimera.core.learn;

import java.util.Arrays;
import java.util.Map;
import java.util.WeakHashMap;

import io.chimera.core.data.Dataset;

/**
 * Every feature of a dataset recoded as ranks: {@code code(f)[row]} is the position of the row's value among
 * the sorted distinct values of feature {@code f}. Split search then works on small integers (histograms
 * over codes, or sorts of packed codes) and stays exact, since a code boundary is a boundary between two
 * consecutive distinct values.
 */
final class FeatureCodes {

    /** Integer-valued features spanning fewer values than this are coded by offset, without sorting. */
    private static final long DENSE_RANGE = 1 << 16;

    /** The codes of datasets still in use, by identity: a worker refits the same data on every fit. */
    private static final Map<Dataset, FeatureCodes> CACHE = new WeakHashMap<>();

    /**
     * The codes of {@code data}, computed once per dataset while it is in use ({@link Dataset} is immutable).
     *
     * @throws IllegalArgumentException as {@link #of(Dataset)}
     */
    static FeatureCodes cached(Dataset data) {
        synchronized (CACHE) {
            final FeatureCodes known = CACHE.get(data);
            if (known != null) {
                return known;
            }
        }
        final FeatureCodes codes = of(data);
        synchronized (CACHE) {
            CACHE.put(data, codes);
        }
        return codes;
    }

    /**
     * Codes every feature of {@code data}.
     *
     * @throws IllegalArgumentException if {@code data} has no rows or a feature value is NaN or infinite
     */
    static FeatureCodes of(Dataset data) {
        final int rows = data.rows();
        if (rows == 0) {
            throw new IllegalArgumentException("data: no rows (expected: > 0)");
        }
        final int cols = data.cols();
        final double[] x = data.features();
        final double[] min = new double[cols];
        final double[] max = new double[cols];
        final boolean[] integral = new boolean[cols];
        Arrays.fill(min, Double.POSITIVE_INFINITY);
        Arrays.fill(max, Double.NEGATIVE_INFINITY);
        Arrays.fill(integral, true);
        for (int row = 0, i = 0; row < rows; row++) {
            for (int col = 0; col < cols; col++, i++) {
                final double v = x[i];
                if (!Double.isFinite(v)) {
                    throw new IllegalArgumentException("features: " + v + " at row " + row + ", column '" +
                                                       data.featureNames().get(col) + "' (expected: finite)");
                }
                if (v < min[col]) {
                    min[col] = v;
                }
                if (v > max[col]) {
                    max[col] = v;
                }
                integral[col] &= v == (long) v;
            }
        }

        // One row-major pass fills every column: dense columns get offsets, the others a copy to sort.
        final boolean[] dense = new boolean[cols];
        final int[] offset = new int[cols];
        final int[][] codes = new int[cols][rows];
        final double[][] columns = new double[cols][];
        for (int col = 0; col < cols; col++) {
            dense[col] = integral[col] && min[col] >= Integer.MIN_VALUE && max[col] <= Integer.MAX_VALUE &&
                         max[col] - min[col] < DENSE_RANGE;
            if (dense[col]) {
                offset[col] = (int) min[col];
            } else {
                columns[col] = new double[rows];
            }
        }
        for (int row = 0, i = 0; row < rows; row++) {
            for (int col = 0; col < cols; col++, i++) {
                if (dense[col]) {
                    codes[col][row] = (int) x[i] - offset[col];
                } else {
                    columns[col][row] = x[i] + 0.0; // -0.0 becomes 0.0, one value as for "<=".
                }
            }
        }

        final double[][] values = new double[cols][];
        for (int col = 0; col < cols; col++) {
            values[col] = dense[col] ? rankDense(codes[col], offset[col], (int) (max[col] - min[col]) + 1)
                                     : rankSorted(codes[col], columns[col]);
        }
        return new FeatureCodes(codes, values);
    }

    /** Turns offsets in {@code [0, range)} into ranks in place; returns the distinct values. */
    private static double[] rankDense(int[] codes, int offset, int range) {
        final boolean[] present = new boolean[range];
        for (int code : codes) {
            present[code] = true;
        }
        final int[] rank = new int[range];
        final double[] distinct = new double[range];
        int count = 0;
        for (int v = 0; v < range; v++) {
            if (present[v]) {
                rank[v] = count;
                distinct[count++] = (double) offset + v;
            }
        }
        if (count < range) {
            for (int i = 0; i < codes.length; i++) {
                codes[i] = rank[codes[i]];
            }
        }
        return Arrays.copyOf(distinct, count);
    }

    /** Writes the rank of each value of {@code column} into {@code codes}; returns the distinct values. */
    private static double[] rankSorted(int[] codes, double[] column) {
        final double[] sorted = column.clone();
        Arrays.sort(sorted);
        int count = 0;
        for (int i = 0; i < sorted.length; i++) {
            if (count == 0 || sorted[i] != sorted[count - 1]) {
                sorted[count++] = sorted[i];
            }
        }
        final double[] distinct = Arrays.copyOf(sorted, count);
        for (int i = 0; i < column.length; i++) {
            codes[i] = Arrays.binarySearch(distinct, column[i]);
        }
        return distinct;
    }

    private final int[][] codes;
    private final double[][] values;
    private final int maxBins;

    private FeatureCodes(int[][] codes, double[][] values) {
        this.codes = codes;
        this.values = values;
        int maxBins = 0;
        for (double[] v : values) {
            maxBins = Math.max(maxBins, v.length);
        }
        this.maxBins = maxBins;
    }

    /** Returns the number of features. */
    int cols() {
        return codes.length;
    }

    /** Returns the code of every row for {@code feature}; callers must not modify it. */
    int[] codes(int feature) {
        return codes[feature];
    }

    /** Returns the number of distinct values of {@code feature}, so its codes lie in {@code [0, bins)}. */
    int bins(int feature) {
        return values[feature].length;
    }

    /** Returns the largest {@link #bins(int)} over all features. */
    int maxBins() {
        return maxBins;
    }

    /**
     * Returns the threshold between codes {@code low < high} of {@code feature}: the midpoint of their values,
     * or the lower value where the midpoint rounds up to the higher one, so that exactly the values coded
     * {@code <= low} satisfy {@code value <= threshold}.
     */
    double threshold(int feature, int low, int high) {
        final double a = values[feature][low];
        final double b = values[feature][high];
        final double mid = a * 0.5 + b * 0.5;
        return mid < b ? mid : a;
    }
}
