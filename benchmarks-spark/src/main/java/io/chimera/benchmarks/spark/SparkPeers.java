package io.chimera.benchmarks.spark;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.classification.LogisticRegressionModel;
import org.apache.spark.ml.classification.RandomForestClassifier;
import org.apache.spark.ml.evaluation.BinaryClassificationEvaluator;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.Model;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Spark MLlib in {@code local[N]} mode on the same files as the benchmark's other systems: logistic regression
 * (L-BFGS on the driver over the executors' gradients, standardised, L2 with scikit-learn's {@code C = 1}, that is
 * {@code regParam = 1/n}) to convergence and with the fewest iterations that reach the target AUC, and a random
 * forest of 4 depth-5 trees. Each fit is timed alone, on a cached frame; the holdout is scored exactly
 * ({@code numBins = 0}).
 *
 * <p>Arguments: {@code DATASET_DIR WARMUPS REPEATS CORES TARGET_AUC}. One JSON object per line on stdout, as
 * {@code sklearn_peers.py} writes them: {@code {"system", "seconds", "auc", "accuracy", "n_iter"}}.
 */
public final class SparkPeers {

    public static void main(String[] args) throws Exception {
        final Path dir = Path.of(args[0]);
        final int warmups = Integer.parseInt(args[1]);
        final int repeats = Integer.parseInt(args[2]);
        final int cores = Integer.parseInt(args[3]);
        final double target = Double.parseDouble(args[4]);
        final SparkSession spark = session(cores);
        try {
            final List<Path> parts;
            try (Stream<Path> s = Files.list(dir.resolve("chimera_train_data"))) {
                parts = s.filter(p -> p.getFileName().toString().startsWith("w")).sorted().toList();
            }
            final List<Row> trainRows = new ArrayList<>();
            for (Path p : parts) {
                trainRows.addAll(rows(p.resolve("X_train.csv"), p.resolve("y_train.csv")));
            }
            final Dataset<Row> train = frame(spark, trainRows).repartition(cores).cache();
            final long n = train.count();
            final Dataset<Row> test = frame(spark, rows(dir.resolve("X_test.csv"), dir.resolve("y_test.csv")))
                    .cache();
            test.count();
            System.out.printf(Locale.ROOT, "{\"spark\": \"%s\", \"rows\": %d, \"cores\": %d}%n", spark.version(), n,
                              cores);

            final double regParam = 1.0 / n;
            final Fit converged = time(warmups, repeats, () -> lr(regParam, 100).fit(train), test);
            final int iterations = ((LogisticRegressionModel) converged.model).summary().totalIterations();
            print("Spark MLlib LogisticRegression, local[" + cores + "], to convergence", converged, iterations);

            final int k = fewestIterations(train, test, regParam, iterations, target);
            if (k > 0) {
                final Fit toTarget = time(warmups, repeats, () -> lr(regParam, k).fit(train), test);
                print("Spark MLlib LogisticRegression, local[" + cores + "], to the target", toTarget, k);
            }

            final Fit forest = time(warmups, repeats, () -> new RandomForestClassifier().setNumTrees(4).setMaxDepth(5)
                                                                                       .setSeed(0).fit(train), test);
            print("Spark MLlib RandomForestClassifier(4 trees, depth 5), local[" + cores + "]", forest, 0);
        } finally {
            spark.stop();
        }
    }

    /** A {@code local[cores]} session on the loopback interface, without its web UI, logging errors only. */
    static SparkSession session(int cores) {
        final SparkSession spark = SparkSession.builder().master("local[" + cores + "]").appName("chimera-peers")
                                               .config("spark.ui.enabled", "false")
                                               .config("spark.driver.host", "127.0.0.1")
                                               .config("spark.driver.bindAddress", "127.0.0.1")
                                               .config("spark.sql.shuffle.partitions", Integer.toString(cores))
                                               .getOrCreate();
        spark.sparkContext().setLogLevel("ERROR");
        return spark;
    }

    /**
     * The fewest iterations (at most {@code iterations}) whose model reaches {@code target} on the holdout, found by
     * bisection; 0 when even {@code iterations} does not.
     */
    static int fewestIterations(Dataset<Row> train, Dataset<Row> test, double regParam, int iterations,
                                double target) {
        int lo = 1;
        int hi = iterations;
        if (score(lr(regParam, hi).fit(train), test)[0] < target) {
            return 0;
        }
        while (lo < hi) {
            final int mid = (lo + hi) / 2;
            if (score(lr(regParam, mid).fit(train), test)[0] >= target) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return hi;
    }

    /** This process's peak resident memory ({@code VmHWM} of {@code /proc/self/status}) in MB; -1 elsewhere. */
    static long peakResidentMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: no figure
        }
        return -1;
    }

    static LogisticRegression lr(double regParam, int maxIter) {
        return new LogisticRegression().setRegParam(regParam).setElasticNetParam(0).setStandardization(true)
                                       .setMaxIter(maxIter).setTol(1e-6);
    }

    record Fit(double[] seconds, Model<?> model, double auc, double accuracy) {}

    interface Trainer {
        Model<?> fit();
    }

    static Fit time(int warmups, int repeats, Trainer trainer, Dataset<Row> test) {
        final double[] seconds = new double[repeats];
        Model<?> model = null;
        for (int run = 0; run < warmups + repeats; run++) {
            final long t0 = System.nanoTime();
            model = trainer.fit();
            if (run >= warmups) {
                seconds[run - warmups] = (System.nanoTime() - t0) / 1e9;
            }
        }
        final double[] s = score(model, test);
        return new Fit(seconds, model, s[0], s[1]);
    }

    /** Holdout ROC AUC (exact) and accuracy. */
    static double[] score(Model<?> model, Dataset<Row> test) {
        final Dataset<Row> predicted = model.transform(test).cache();
        try {
            final double auc = new BinaryClassificationEvaluator().setRawPredictionCol("rawPrediction")
                                                                  .setMetricName("areaUnderROC").setNumBins(0)
                                                                  .evaluate(predicted);
            final double accuracy = new MulticlassClassificationEvaluator().setMetricName("accuracy")
                                                                           .evaluate(predicted);
            return new double[] { auc, accuracy };
        } finally {
            predicted.unpersist();
        }
    }

    static void print(String system, Fit fit, int iterations) {
        final StringBuilder seconds = new StringBuilder();
        for (double s : fit.seconds) {
            seconds.append(seconds.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.6f", s));
        }
        System.out.printf(Locale.ROOT, "{\"system\": \"%s\", \"seconds\": [%s], \"auc\": %.6f, \"accuracy\": %.6f, "
                          + "\"n_iter\": %d}%n", system, seconds, fit.auc, fit.accuracy, iterations);
        System.out.flush();
    }

    private static Dataset<Row> frame(SparkSession spark, List<Row> rows) {
        final StructType schema = new StructType().add("label", DataTypes.DoubleType)
                                                  .add("features", SQLDataTypes.VectorType());
        return spark.createDataFrame(rows, schema);
    }

    /** The rows of a features file and its labels file (headers skipped, plain numbers). */
    private static List<Row> rows(Path x, Path y) throws IOException {
        final List<Row> rows = new ArrayList<>();
        try (BufferedReader xs = Files.newBufferedReader(x); BufferedReader ys = Files.newBufferedReader(y)) {
            xs.readLine();
            ys.readLine();
            String line;
            while ((line = xs.readLine()) != null) {
                if (line.isEmpty()) {
                    continue;
                }
                final String[] cells = line.split(",");
                final double[] v = new double[cells.length];
                for (int i = 0; i < v.length; i++) {
                    v[i] = Double.parseDouble(cells[i]);
                }
                rows.add(RowFactory.create(Double.parseDouble(ys.readLine().trim()), Vectors.dense(v)));
            }
        }
        return rows;
    }

    private SparkPeers() {}
}
