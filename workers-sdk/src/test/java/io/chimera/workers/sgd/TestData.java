package io.chimera.workers.sgd;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A table of numbers for tests: read from the repository's bundled CSVs (header + numeric rows, split on
 * commas; not a CSV parser) or made up at random.
 */
final class TestData {

    /** The bundled dataset's training split, {@code data/<name>/X_train.csv} and {@code y_train.csv}. */
    static TestData train(String name) {
        return read(bundled(name), "train");
    }

    /** The bundled dataset's holdout split. */
    static TestData test(String name) {
        return read(bundled(name), "test");
    }

    static TestData read(Path dir, String split) {
        final double[][] x = numbers(dir.resolve("X_" + split + ".csv"));
        final double[][] y = numbers(dir.resolve("y_" + split + ".csv"));
        final int cols = x[0].length;
        final double[] features = new double[x.length * cols];
        final double[] labels = new double[y.length];
        for (int r = 0; r < x.length; r++) {
            System.arraycopy(x[r], 0, features, r * cols, cols);
            labels[r] = y[r][0];
        }
        return new TestData(features, x.length, cols, labels);
    }

    /** Gaussian features, labels drawn uniformly from {@code labelValues} (or Gaussian when empty). */
    static TestData random(int rows, int cols, double[] labelValues, long seed) {
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

    static double[] gaussians(int n, double sd, long seed) {
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

    private static Path bundled(String name) {
        for (Path p : List.of(Path.of("../data", name), Path.of("data", name))) {
            if (Files.isDirectory(p)) {
                return p;
            }
        }
        throw new IllegalStateException("bundled dataset " + name + " not found from " + Path.of("").toAbsolutePath());
    }

    private static double[][] numbers(Path csv) {
        try {
            final List<String> lines = Files.readAllLines(csv);
            return lines.stream().skip(1).filter(l -> !l.isBlank()).map(l -> {
                final String[] cells = l.split(",");
                final double[] row = new double[cells.length];
                for (int i = 0; i < cells.length; i++) {
                    row[i] = Double.parseDouble(cells[i].trim());
                }
                return row;
            }).toArray(double[][]::new);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    final double[] features;
    final int rows;
    final int cols;
    final double[] labels;

    TestData(double[] features, int rows, int cols, double[] labels) {
        this.features = features;
        this.rows = rows;
        this.cols = cols;
        this.labels = labels;
    }

    /** {@code (x - mean) / scale}, scale 0 counting as 1, as the engine does. */
    TestData standardized(double[] mean, double[] scale) {
        final double[] out = new double[features.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                out[r * cols + c] = (features[r * cols + c] - mean[c]) / (scale[c] == 0 ? 1 : scale[c]);
            }
        }
        return new TestData(out, rows, cols, labels);
    }

    double[][] meanAndScale() {
        return ShardStatistics.meanAndScale(List.of(ShardStatistics.of(features, rows, cols, labels)));
    }
}
