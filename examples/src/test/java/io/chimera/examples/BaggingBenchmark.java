package io.chimera.examples;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.chimera.core.data.CsvDatasetLoader;
import io.chimera.core.data.Dataset;
import io.chimera.core.metrics.Metrics;
import io.chimera.server.Chimera;
import io.chimera.server.ChimeraRun;
import io.chimera.server.config.ChimeraConfig;
import io.chimera.strategy.aggregation.AggregationMaster;

/**
 * chimera's bagging examples on the process runtime, timed: an {@link AggregationMaster} and N tree workers,
 * the master's fit call timed as a client sees it over REST, then the holdout predicted through the master.
 * A started {@link Cluster} also serves the predict and load scenarios.
 */
final class BaggingBenchmark {

    /** chimera's random-forest member: a depth-5, 15-leaf tree on a bootstrap sample. */
    static final String CLASSIFIER = "new ClassificationWorker(DecisionTreeClassifier.builder().maxDepth(5)"
                                     + ".maxLeafNodes(15).build(), true).serve();";
    /** The bagging-regression example's member: a depth-6 tree on a bootstrap sample. */
    static final String REGRESSOR = "new RegressionWorker(DecisionTreeRegressor.builder().maxDepth(6).build(), "
                                    + "true).serve();";

    /**
     * The master's limit on each call to a worker, above the default 100 s: one fit of Tribuo forests on 4
     * workers ({@link TribuoBaggingBenchmark}) took longer than that on 2 cores shared with other builds. It only
     * ends a call that would otherwise fail the run, so it changes no figure.
     */
    static final Duration WORKER_CALL_TIMEOUT = Duration.ofMinutes(10);

    private static final ObjectMapper JSON = new ObjectMapper();

    /** What one configuration measured; {@code score} is the ROC AUC (classification) or R². */
    record Result(int workers, double startSeconds, Samples fit, double score, double accuracy) {}

    /** Starts a cluster, times {@code repeats} fits after {@code warmups}, scores the holdout; stops it. */
    static Result measure(String dataset, String statement, int workers, boolean partition, int warmups,
                          int repeats) throws Exception {
        try (Cluster cluster = Cluster.start(dataset, statement, workers, partition)) {
            final Samples fit = cluster.fit(warmups, repeats);
            final double[] scores = cluster.scoreHoldout();
            return new Result(workers, cluster.startSeconds, fit, scores[0], scores[1]);
        }
    }

    /** A running master and its tree workers, in a temporary project folder removed on close. */
    static final class Cluster implements AutoCloseable {

        static Cluster start(String dataset, String statement, int workers, boolean partition) throws Exception {
            final Path dir = Files.createTempDirectory("chimera-bagging-bench");
            final List<String> names = ExampleData.project(dir, dataset, "tree", workers, statement, partition);
            final long begin = System.nanoTime();
            final ChimeraRun run = Chimera.builder(new AggregationMaster()).port(0)
                                          .config(ChimeraConfig.builder().workerNames(names)
                                                               .mappedPorts(Demo.freePorts(workers)).runtime("process")
                                                               .timeout(WORKER_CALL_TIMEOUT).build())
                                          .projectDirectory(dir)
                                          .workerJvmOptions(Benchmarks.workerJvm().toArray(new String[0]))
                                          .start();
            return new Cluster(dataset, dir, run, (System.nanoTime() - begin) / 1e9);
        }

        final String dataset;
        final Path dir;
        final ChimeraRun run;
        final double startSeconds;
        final HttpClient http = HttpClient.newHttpClient();

        private Cluster(String dataset, Path dir, ChimeraRun run, double startSeconds) {
            this.dataset = dataset;
            this.dir = dir;
            this.run = run;
            this.startSeconds = startSeconds;
        }

        String predictUrl() {
            return run.baseUrl() + "/v1/chimera/aggregation/predict";
        }

        /** Seconds of each of {@code repeats} fit calls, after {@code warmups} untimed ones. */
        Samples fit(int warmups, int repeats) throws Exception {
            final String url = run.baseUrl() + "/v1/chimera/aggregation/fit";
            for (int i = 0; i < warmups; i++) {
                check(Demo.post(http, url, null));
            }
            final double[] times = new double[repeats];
            for (int i = 0; i < repeats; i++) {
                final long t0 = System.nanoTime();
                check(Demo.post(http, url, null));
                times[i] = (System.nanoTime() - t0) / 1e9;
            }
            return Samples.of(times);
        }

        /** Seconds of each of {@code repeats} predicts of {@code body}, after {@code warmups} untimed ones. */
        Samples predict(String body, int warmups, int repeats) throws Exception {
            for (int i = 0; i < warmups; i++) {
                check(Demo.post(http, predictUrl(), body));
            }
            final double[] times = new double[repeats];
            for (int i = 0; i < repeats; i++) {
                final long t0 = System.nanoTime();
                check(Demo.post(http, predictUrl(), body));
                times[i] = (System.nanoTime() - t0) / 1e9;
            }
            return Samples.of(times);
        }

        /** The holdout's ROC AUC and accuracy (classification) or R² and NaN (regression). */
        double[] scoreHoldout() throws Exception {
            final Dataset test = holdout(dataset);
            final JsonNode rows = JSON.readTree(check(Demo.post(http, predictUrl(), Demo.predictBody(test))).body())
                                      .get("y_pred_rows");
            final double[] p = new double[rows.size()];
            for (int i = 0; i < p.length; i++) {
                p[i] = rows.get(i).asDouble();
            }
            final boolean binary = Arrays.stream(test.labels()).allMatch(y -> y == 0 || y == 1);
            return binary ? new double[] { Metrics.rocAuc(p, test.labels()), Metrics.binaryAccuracy(p, test.labels()) }
                          : new double[] { Metrics.r2(p, test.labels()), Double.NaN };
        }

        @Override
        public void close() throws Exception {
            run.close();
            SgdBenchmark.delete(dir);
        }
    }

    /** A dataset's holdout rows and labels. */
    static Dataset holdout(String dataset) {
        final Path dir = ExampleData.dataset(dataset);
        return CsvDatasetLoader.load(dir.resolve("X_test.csv"), dir.resolve("y_test.csv"));
    }

    static HttpResponse<String> check(HttpResponse<String> res) {
        if (res.statusCode() != 200) {
            throw new IllegalStateException(res.uri() + " answered " + res.statusCode() + ": " + res.body());
        }
        return res;
    }

    private BaggingBenchmark() {}
}
