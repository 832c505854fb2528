package io.chimera.examples;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.chimera.core.data.CsvDatasetLoader;
import io.chimera.core.data.Dataset;
import io.chimera.core.metrics.Metrics;
import io.chimera.server.Chimera;
import io.chimera.server.ChimeraRun;
import io.chimera.server.config.ChimeraConfig;
import io.chimera.strategy.parameterserver.ParameterServerMaster;
import io.chimera.strategy.parameterserver.ParameterServerMasterBuilder;
import io.chimera.strategy.parameterserver.SyncMode;

/**
 * Times chimera's SGD example: 200 synchronous iterations of logistic regression on {@code diabetes-like}
 * partitioned over 1, 2 and 4 workers on the process runtime, after 5 warm-up fits; prints the median wall
 * time of the fit call, the time per iteration and the holdout ROC AUC. {@link #measure} times one such
 * configuration for any dataset, loss and mode; the full benchmark ({@code -Pbenchmarks}) calls it.
 *
 * <p>Arguments: worker counts (default {@code 1 2 4}); {@code -Drepeats=N} measured fits (default 5),
 * {@code -Dwarmups=N} warm-up fits (default 5).
 */
public final class SgdBenchmark {

    /** SGD iterations per fit, chimera's example's {@code max_iter}. */
    static final int ITERATIONS = 200;

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * What one configuration measured: seconds from start to every worker healthy, the measured fits' wall
     * times, the holdout score (ROC AUC for log loss, R² otherwise) and accuracy (log loss only), and the
     * master's view of one fit-step round trip (median and p90, ms) over the last fit, and the last fit's history:
     * each iteration's seconds since the fit started and its training loss, as {@code /history} answers them.
     */
    record Result(int workers, double startSeconds, double[] fitSeconds, double score, double accuracy,
                  double roundTripMedianMs, double roundTripP90Ms, double[] iterationSeconds,
                  double[] iterationLoss) {}

    public static void main(String[] args) throws Exception {
        final int[] counts = args.length > 0 ? Arrays.stream(args).mapToInt(Integer::parseInt).toArray()
                                             : new int[] {1, 2, 4};
        final int repeats = Integer.getInteger("repeats", 5);
        final int warmups = Integer.getInteger("warmups", 5);
        final boolean async = "asynchronous".equals(System.getProperty("mode", "synchronous"));
        final SyncMode mode = async ? SyncMode.asynchronous() : SyncMode.synchronous();
        System.out.printf("SGD logistic regression, diabetes-like, %d %s iterations, process runtime, "
                          + "%d cores; median of %d fits after %d warm-up fits%n", ITERATIONS, mode.modeName(),
                          Runtime.getRuntime().availableProcessors(), repeats, warmups);
        System.out.println("| workers | fit wall time (s) | min–max (s) | per iteration (ms) | holdout ROC AUC "
                           + "| accuracy |");
        System.out.println("|---|---|---|---|---|---|");
        // -DworkerJvm="..." replaces the runtime's default worker JVM options, to compare settings.
        final List<String> jvm = System.getProperty("workerJvm", "").isBlank()
                                 ? List.of() : List.of(System.getProperty("workerJvm").split(" "));
        final StringBuilder roundTrips = new StringBuilder();
        for (int workers : counts) {
            final Result r = measure("diabetes-like", "log_loss", mode, workers, warmups, repeats,
                                     jvm);
            final double[] sorted = r.fitSeconds().clone();
            Arrays.sort(sorted);
            final double median = sorted[sorted.length / 2];
            System.out.printf("| %d | %.3f | %.3f–%.3f | %.2f | %.4f | %.4f |%n", workers, median, sorted[0],
                              sorted[sorted.length - 1], median / ITERATIONS * 1000, r.score(), r.accuracy());
            roundTrips.append(String.format("%d workers: worker round trip median %.2f ms, p90 %.2f ms%n",
                                            workers, r.roundTripMedianMs(), r.roundTripP90Ms()));
        }
        System.out.print(roundTrips);
    }

    /**
     * Starts {@code workers} SGD workers on contiguous shards of {@code dataset}'s training rows (process runtime,
     * worker JVM options {@code workerJvm}, the runtime's defaults when empty) and a parameter server with
     * {@code loss}, {@value #ITERATIONS} iterations and {@code mode}; fits {@code warmups} times, then times
     * {@code repeats} fits and scores the model on the holdout rows.
     */
    static Result measure(String dataset, String loss, SyncMode mode, int workers, int warmups, int repeats,
                          List<String> workerJvm) throws Exception {
        return measure(dataset, loss, mode, workers, warmups, repeats, workerJvm, b -> b);
    }

    /** As {@link #measure(String, String, SyncMode, int, int, int, List)}, with more of the master's options. */
    static Result measure(String dataset, String loss, SyncMode mode, int workers, int warmups, int repeats,
                          List<String> workerJvm, UnaryOperator<ParameterServerMasterBuilder> options)
            throws Exception {
        final Path holdout = ExampleData.dataset(dataset);
        final Dataset test = CsvDatasetLoader.load(holdout.resolve("X_test.csv"), holdout.resolve("y_test.csv"));
        final Path dir = Files.createTempDirectory("chimera-sgd-bench");
        try {
            final List<String> names = ExampleData.project(dir, dataset, "sgd", workers, "new SGDWorker().serve();",
                                                           true);
            final ChimeraConfig config = ChimeraConfig.builder().workerNames(names)
                                                      .mappedPorts(Demo.freePorts(workers)).runtime("process")
                                                      .build();
            final ParameterServerMaster master = options.apply(ParameterServerMaster.builder().loss(loss)
                                                                                    .maxIter(ITERATIONS).mode(mode)
                                                                                    .logEvery(0)).build();
            final long begin = System.nanoTime();
            try (ChimeraRun run = Chimera.builder(master).port(0).config(config).projectDirectory(dir)
                                         .workerJvmOptions(workerJvm.toArray(new String[0])).start()) {
                final double startSeconds = (System.nanoTime() - begin) / 1e9;
                final HttpClient http = HttpClient.newHttpClient();
                final String fitUrl = run.baseUrl() + "/v1/chimera/parameter-server/fit";
                for (int i = 0; i < warmups; i++) {
                    Demo.post(http, fitUrl, null);
                }
                final double[] times = new double[repeats];
                for (int i = 0; i < repeats; i++) {
                    final long t0 = System.nanoTime();
                    final HttpResponse<String> fit = Demo.post(http, fitUrl, null);
                    times[i] = (System.nanoTime() - t0) / 1e9;
                    if (fit.statusCode() != 200) {
                        throw new IllegalStateException("fit failed: " + fit.body());
                    }
                }
                final JsonNode history = history(http, run.baseUrl());
                final double[] trips = roundTripsMs(history);
                final JsonNode iterations = history.get("iterations");
                final double[] iterationSeconds = new double[iterations.size()];
                final double[] iterationLoss = new double[iterations.size()];
                for (int i = 0; i < iterationSeconds.length; i++) {
                    iterationSeconds[i] = iterations.get(i).path("elapsed_seconds").asDouble();
                    iterationLoss[i] = iterations.get(i).path("loss").asDouble();
                }
                final HttpResponse<String> res = Demo.post(http, run.baseUrl()
                                                                 + "/v1/chimera/parameter-server/predict",
                                                           Demo.predictBody(test));
                final JsonNode rows = JSON.readTree(res.body()).get("y_pred_rows");
                final double[] p = new double[rows.size()];
                for (int i = 0; i < p.length; i++) {
                    p[i] = rows.get(i).asDouble();
                }
                final boolean classifier = "log_loss".equals(loss);
                return new Result(workers, startSeconds, times,
                                  classifier ? Metrics.rocAuc(p, test.labels()) : Metrics.r2(p, test.labels()),
                                  classifier ? Metrics.binaryAccuracy(p, test.labels()) : Double.NaN,
                                  trips[trips.length / 2], trips[trips.length * 9 / 10], iterationSeconds,
                                  iterationLoss);
            }
        } finally {
            delete(dir);
        }
    }

    /** The parameter server's history of the last fit. */
    static JsonNode history(HttpClient http, String baseUrl) throws Exception {
        return JSON.readTree(http.send(
                HttpRequest.newBuilder(URI.create(baseUrl + "/v1/chimera/parameter-server/history")).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body());
    }

    /** Every worker's fit-step round trip of the last fit, in ms, sorted. */
    private static double[] roundTripsMs(JsonNode history) {
        final List<Double> trips = new ArrayList<>();
        for (JsonNode it : history.get("iterations")) {
            for (JsonNode w : it.get("workers")) {
                trips.add(w.get("seconds").asDouble() * 1000);
            }
        }
        return trips.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    }

    /** Deletes a folder and everything in it. */
    static void delete(Path dir) throws java.io.IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }

    private SgdBenchmark() {}
}
