package io.chimera.benchmarks.spark;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import org.apache.spark.ml.classification.LogisticRegressionModel;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Spark MLlib's logistic regression in {@code local[N]} mode on the ten-million-row set, read the way a Spark user
 * reads it: one CSV of label and features through {@code spark.read().csv} and a {@code VectorAssembler}, cached.
 * The set's files keep features and labels apart, so they are first joined line by line into one CSV in
 * {@code WORK_DIR} (not timed). Then: the fit to convergence, the fewest iterations whose model reaches the target
 * AUC (the converged model's AUC less {@code WITHIN}), that fit timed, and the process's peak resident memory.
 *
 * <p>Arguments: {@code DATASET_DIR CORES TEST_ROWS REPEATS WITHIN WORK_DIR}. One JSON object per line on stdout,
 * as {@link SparkPeers} writes them, then {@code {"vm_hwm_mb", "load_seconds", "target"}}.
 */
public final class SparkScale {

    public static void main(String[] args) throws Exception {
        final Path dir = Path.of(args[0]);
        final int cores = Integer.parseInt(args[1]);
        final int testRows = Integer.parseInt(args[2]);
        final int repeats = Integer.parseInt(args[3]);
        final double within = Double.parseDouble(args[4]);
        final Path work = Files.createDirectories(Path.of(args[5]));
        final int features = join(dir, testRows, work);

        final SparkSession spark = SparkPeers.session(cores);
        try {
            final long t0 = System.nanoTime();
            final Dataset<Row> train = read(spark, work.resolve("train.csv"), features).cache();
            final long n = train.count();
            final double loadSeconds = (System.nanoTime() - t0) / 1e9;
            final Dataset<Row> test = read(spark, work.resolve("test.csv"), features).cache();
            test.count();
            System.out.printf(Locale.ROOT, "{\"spark\": \"%s\", \"rows\": %d, \"cores\": %d}%n", spark.version(), n,
                              cores);

            final double regParam = 1.0 / n;
            final SparkPeers.Fit converged = SparkPeers.time(0, repeats,
                                                             () -> SparkPeers.lr(regParam, 100).fit(train), test);
            final int iterations = ((LogisticRegressionModel) converged.model()).summary().totalIterations();
            SparkPeers.print("Spark MLlib LogisticRegression, local[" + cores + "], to convergence", converged,
                             iterations);
            final double target = converged.auc() - within;
            final int k = SparkPeers.fewestIterations(train, test, regParam, iterations, target);
            if (k > 0) {
                final SparkPeers.Fit toTarget = SparkPeers.time(0, repeats,
                                                                () -> SparkPeers.lr(regParam, k).fit(train), test);
                SparkPeers.print("Spark MLlib LogisticRegression, local[" + cores + "], to the target", toTarget, k);
            }
            System.out.printf(Locale.ROOT, "{\"vm_hwm_mb\": %d, \"load_seconds\": %.6f, \"target\": %.6f}%n",
                              SparkPeers.peakResidentMb(), loadSeconds, target);
        } finally {
            spark.stop();
        }
    }

    private static Dataset<Row> read(SparkSession spark, Path csv, int features) {
        StructType schema = new StructType().add("label", DataTypes.DoubleType);
        final String[] names = new String[features];
        for (int i = 0; i < features; i++) {
            names[i] = "f" + i;
            schema = schema.add(names[i], DataTypes.DoubleType);
        }
        final Dataset<Row> raw = spark.read().schema(schema).option("header", "true").csv(csv.toString());
        return new VectorAssembler().setInputCols(names).setOutputCol("features").transform(raw)
                                    .select("label", "features");
    }

    /**
     * Writes {@code train.csv} (every worker folder's rows) and {@code test.csv} (the first {@code testRows}
     * holdout rows) as {@code label,features...}; returns the number of features.
     */
    private static int join(Path dir, int testRows, Path work) throws IOException {
        final List<Path> parts;
        try (Stream<Path> s = Files.list(dir.resolve("chimera_train_data"))) {
            parts = s.filter(p -> p.getFileName().toString().startsWith("w")).sorted().toList();
        }
        int features = 0;
        try (BufferedWriter out = Files.newBufferedWriter(work.resolve("train.csv"))) {
            for (int i = 0; i < parts.size(); i++) {
                features = join(parts.get(i).resolve("X_train.csv"), parts.get(i).resolve("y_train.csv"),
                                Long.MAX_VALUE, out, i == 0);
            }
        }
        try (BufferedWriter out = Files.newBufferedWriter(work.resolve("test.csv"))) {
            join(dir.resolve("X_test.csv"), dir.resolve("y_test.csv"), testRows, out, true);
        }
        return features;
    }

    private static int join(Path x, Path y, long rows, BufferedWriter out, boolean header) throws IOException {
        try (BufferedReader xs = Files.newBufferedReader(x); BufferedReader ys = Files.newBufferedReader(y)) {
            final String names = xs.readLine();
            ys.readLine();
            if (header) {
                out.write("label," + names);
                out.newLine();
            }
            String line;
            for (long r = 0; r < rows && (line = xs.readLine()) != null; r++) {
                if (line.isEmpty()) {
                    continue;
                }
                out.write(ys.readLine().trim());
                out.write(',');
                out.write(line);
                out.newLine();
            }
            return names.split(",").length;
        }
    }

    private SparkScale() {}
}
