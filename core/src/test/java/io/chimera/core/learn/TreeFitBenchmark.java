package io.chimera.core.learn;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.Supplier;

import io.chimera.core.data.BootstrapSampler;
import io.chimera.core.data.CsvDatasetLoader;
import io.chimera.core.data.Dataset;
import io.chimera.core.data.TestDatasets;

/**
 * Times fitting a depth-5, 15-leaf classification tree on diabetes-like (202,944 rows x 21 features), on all
 * rows and on a bootstrap sample as a bagging worker does: warms the JIT up, then prints the median of 10 fits
 * each. Not a test; run it with the test classpath (and a worker's JVM options, {@code -XX:TieredStopAtLevel=1
 * -XX:+UseSerialGC}, for a worker's figures), optionally passing the folder holding {@code X_train.csv} and
 * {@code y_train.csv}.
 */
final class TreeFitBenchmark {

    private static final int WARM_UP_FITS = Integer.getInteger("warmups", 20);
    private static final int TIMED_FITS = Integer.getInteger("fits", 10);

    public static void main(String[] args) {
        final Path trainDir = args.length > 0 ? Paths.get(args[0])
                                              : TestDatasets.require("diabetes-like")
                                                            .resolve("chimera_train_data").resolve("w1");
        final long loadStart = System.nanoTime();
        final Dataset data = CsvDatasetLoader.load(trainDir);
        System.out.printf("loaded %d x %d in %.0f ms%n", data.rows(), data.cols(), millisSince(loadStart));

        final DecisionTreeClassifier learner = DecisionTreeClassifier.builder().maxDepth(5).maxLeafNodes(15).build();
        System.out.println(learner);
        time("all rows", () -> learner.fit(data));
        final SplittableRandom seeds = new SplittableRandom(1);
        time("bootstrap sample", () -> learner.fit(data, BootstrapSampler.sample(data.rows(), seeds.split())));
    }

    private static void time(String what, Supplier<FittedModel> fit) {
        for (int i = 0; i < WARM_UP_FITS; i++) {
            fit.get();
        }
        final double[] millis = new double[TIMED_FITS];
        for (int i = 0; i < TIMED_FITS; i++) {
            final long start = System.nanoTime();
            fit.get();
            millis[i] = millisSince(start);
        }
        Arrays.sort(millis);
        System.out.printf("fit on %s: median %.1f ms, min %.1f ms, max %.1f ms over %d fits%n", what,
                          (millis[TIMED_FITS / 2 - 1] + millis[TIMED_FITS / 2]) / 2, millis[0],
                          millis[TIMED_FITS - 1], TIMED_FITS);
    }

    private static double millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e6;
    }

    private TreeFitBenchmark() {}
}
