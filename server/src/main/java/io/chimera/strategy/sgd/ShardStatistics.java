package io.chimera.strategy.sgd;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;

/**
 * Sufficient statistics of a shard for global standardisation: row count, per-feature sum and sum of
 * squares, the distinct labels, and the labels' sum and sum of squares. Every worker computes its own with
 * {@link #of(double[], int, int, double[])}; the master rebuilds them from the wire with
 * {@link #ofSums(long, double[], double[], double[], double, double)} and standardises every shard alike
 * with {@link #meanAndScale(List)}. Immutable; accessors return copies.
 */
public final class ShardStatistics {

    /**
     * Relative threshold under which a variance counts as rounding error, i.e. the feature as constant. A
     * variance computed from sums, {@code E[x^2] - E[x]^2}, loses about {@code count * ulp(E[x^2])} to
     * cancellation; this bounds it per row.
     */
    private static final double CANCELLATION_PER_ROW = 2 * Math.ulp(1.0);

    /** Computes the statistics of a shard given as row-major {@code rows x columns} features and labels. */
    public static ShardStatistics of(double[] features, int rows, int columns, double[] labels) {
        requireNonNull(features, "features");
        requireNonNull(labels, "labels");
        if (rows < 0 || columns <= 0 || features.length != (long) rows * columns) {
            throw new IllegalArgumentException("features.length: " + features.length + " (expected: rows x columns"
                                               + " = " + rows + " x " + columns + ", columns > 0)");
        }
        if (labels.length != rows) {
            throw new IllegalArgumentException(
                    "labels.length: " + labels.length + " (expected: " + rows + ", one per row)");
        }
        final double[] sum = new double[columns];
        final double[] sumOfSquares = new double[columns];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < columns; c++) {
                final double x = features[r * columns + c];
                sum[c] += x;
                sumOfSquares[c] += x * x;
            }
        }
        double labelSum = 0;
        double labelSumOfSquares = 0;
        for (double y : labels) {
            labelSum += y;
            labelSumOfSquares += y * y;
        }
        final double[] classes = Arrays.stream(labels).distinct().sorted().toArray();
        return ofSums(rows, sum, sumOfSquares, classes, labelSum, labelSumOfSquares);
    }

    /**
     * Rebuilds statistics from their parts, e.g. as a worker sent them.
     *
     * @param classes the distinct labels; sorted here
     */
    public static ShardStatistics ofSums(long count, double[] sum, double[] sumOfSquares, double[] classes,
                                         double labelSum, double labelSumOfSquares) {
        requireNonNull(sum, "sum");
        requireNonNull(sumOfSquares, "sumOfSquares");
        requireNonNull(classes, "classes");
        if (count < 0) {
            throw new IllegalArgumentException("count: " + count + " (expected: >= 0)");
        }
        if (sum.length == 0 || sumOfSquares.length != sum.length) {
            throw new IllegalArgumentException("sumOfSquares.length: " + sumOfSquares.length + ", sum.length: "
                                               + sum.length + " (expected: equal, > 0)");
        }
        checkFinite("sum", sum);
        checkFinite("sumOfSquares", sumOfSquares);
        checkFinite("classes", classes);
        final double[] sortedClasses = Arrays.stream(classes).distinct().sorted().toArray();
        return new ShardStatistics(count, sum.clone(), sumOfSquares.clone(), sortedClasses, labelSum,
                                   labelSumOfSquares);
    }

    /**
     * Combines shards' statistics into those of their concatenation.
     *
     * @throws IllegalArgumentException if the list is empty or the shards have different numbers of columns
     */
    public static ShardStatistics merge(List<ShardStatistics> shards) {
        requireNonNull(shards, "shards");
        if (shards.isEmpty()) {
            throw new IllegalArgumentException("shards: [] (expected: at least one)");
        }
        final int columns = shards.get(0).sum.length;
        long count = 0;
        final double[] sum = new double[columns];
        final double[] sumOfSquares = new double[columns];
        final TreeSet<Double> classes = new TreeSet<>();
        double labelSum = 0;
        double labelSumOfSquares = 0;
        for (int i = 0; i < shards.size(); i++) {
            final ShardStatistics shard = requireNonNull(shards.get(i), "shards[" + i + ']');
            if (shard.sum.length != columns) {
                throw new IllegalArgumentException("shards[" + i + "]: " + shard.sum.length + " columns (expected: "
                                                   + columns + ", as shards[0])");
            }
            count += shard.count;
            for (int c = 0; c < columns; c++) {
                sum[c] += shard.sum[c];
                sumOfSquares[c] += shard.sumOfSquares[c];
            }
            for (double y : shard.classes) {
                classes.add(y);
            }
            labelSum += shard.labelSum;
            labelSumOfSquares += shard.labelSumOfSquares;
        }
        final double[] sortedClasses = classes.stream().mapToDouble(Double::doubleValue).toArray();
        return new ShardStatistics(count, sum, sumOfSquares, sortedClasses, labelSum, labelSumOfSquares);
    }

    /**
     * Returns the global per-feature mean and scale of the shards together, as
     * {@code {mean, scale}}: the scale is the population standard deviation ({@code ddof = 0}, as
     * scikit-learn's {@code StandardScaler}), or 1 for a constant feature, so that
     * {@code (x - mean) / scale} is what {@link GradientEngineBuilder#standardization(double[], double[])}
     * applies.
     *
     * @throws IllegalArgumentException if the list is empty, the shards disagree on columns, or have no rows
     */
    public static double[][] meanAndScale(List<ShardStatistics> shards) {
        final ShardStatistics all = merge(shards);
        if (all.count == 0) {
            throw new IllegalArgumentException("count: 0 (expected: at least one row in all shards)");
        }
        final int columns = all.sum.length;
        final double[] mean = new double[columns];
        final double[] scale = new double[columns];
        for (int c = 0; c < columns; c++) {
            mean[c] = all.sum[c] / all.count;
            final double secondMoment = all.sumOfSquares[c] / all.count;
            final double variance = secondMoment - mean[c] * mean[c];
            final boolean constant = variance <= all.count * CANCELLATION_PER_ROW * secondMoment;
            scale[c] = constant ? 1 : Math.sqrt(variance);
        }
        return new double[][] { mean, scale };
    }

    private static void checkFinite(String name, double[] values) {
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i])) {
                throw new IllegalArgumentException(name + '[' + i + "]: " + values[i] + " (expected: finite)");
            }
        }
    }

    private final long count;
    private final double[] sum;
    private final double[] sumOfSquares;
    private final double[] classes;
    private final double labelSum;
    private final double labelSumOfSquares;

    private ShardStatistics(long count, double[] sum, double[] sumOfSquares, double[] classes, double labelSum,
                            double labelSumOfSquares) {
        this.count = count;
        this.sum = sum;
        this.sumOfSquares = sumOfSquares;
        this.classes = classes;
        this.labelSum = labelSum;
        this.labelSumOfSquares = labelSumOfSquares;
    }

    /** Number of rows. */
    public long count() {
        return count;
    }

    /** Number of feature columns. */
    public int columns() {
        return sum.length;
    }

    /** Per-feature sum. */
    public double[] sum() {
        return sum.clone();
    }

    /** Per-feature sum of squares (not centred). */
    public double[] sumOfSquares() {
        return sumOfSquares.clone();
    }

    /** Distinct labels, sorted ascending; for regression, every distinct target value. */
    public double[] classes() {
        return classes.clone();
    }

    /** Sum of the labels. */
    public double labelSum() {
        return labelSum;
    }

    /** Sum of the squared labels. */
    public double labelSumOfSquares() {
        return labelSumOfSquares;
    }

    @Override
    public String toString() {
        return "ShardStatistics{count=" + count + ", columns=" + sum.length + ", classes=" + classes.length
               + ", labelSum=" + labelSum + '}';
    }
}
