package io.chimera.strategy.sgd;

import java.util.List;
import java.util.SplittableRandom;

import io.chimera.core.data.Dataset;
import io.chimera.core.data.TestDatasets;

/** A table of numbers for tests: one of the example datasets, or made up at random. */
public final class TestData {

    /** The dataset's training split (see {@link TestDatasets}). */
    public static TestData train(String name) {
        return of(TestDatasets.train(name));
    }

    /** The dataset's holdout split. */
    public static TestData test(String name) {
        return of(TestDatasets.test(name));
    }

    private static TestData of(Dataset data) {
        return new TestData(data.features(), data.rows(), data.cols(), data.labels());
    }

    /** Gaussian features, labels drawn uniformly from {@code labelValues} (or Gaussian when empty). */
    public static TestData random(int rows, int cols, double[] labelValues, long seed) {
        final SplittableRandom random = new SplittableRandom(seed);
        final double[] features = new double[rows * cols];
        for (int i = 0; i < features.length; i++) {
            features[i] = gaussian(random);
        }
        final double[] labels = new double[rows];
        for (int r = 0; r < rows; r++) {
            labels[r] = labelValues.length == 0 ? gaussian(random)
                                                : labelValues[random.nextInt(labelValues.length)];
        }
        return new TestData(features, rows, cols, labels);
    }

    public static double[] gaussians(int n, double sd, long seed) {
        final SplittableRandom random = new SplittableRandom(seed);
        final double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            values[i] = sd * gaussian(random);
        }
        return values;
    }

    private static double gaussian(SplittableRandom random) {
        // Box-Muller; SplittableRandom has no nextGaussian on Java 17.
        return Math.sqrt(-2 * Math.log(1 - random.nextDouble())) * Math.cos(2 * Math.PI * random.nextDouble());
    }

    public final double[] features;
    public final int rows;
    public final int cols;
    public final double[] labels;

    public TestData(double[] features, int rows, int cols, double[] labels) {
        this.features = features;
        this.rows = rows;
        this.cols = cols;
        this.labels = labels;
    }

    /** {@code (x - mean) / scale}, scale 0 counting as 1, as the engine does. */
    public TestData standardized(double[] mean, double[] scale) {
        final double[] out = new double[features.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                out[r * cols + c] = (features[r * cols + c] - mean[c]) / (scale[c] == 0 ? 1 : scale[c]);
            }
        }
        return new TestData(out, rows, cols, labels);
    }

    public double[][] meanAndScale() {
        return ShardStatistics.meanAndScale(List.of(ShardStatistics.of(features, rows, cols, labels)));
    }
}
