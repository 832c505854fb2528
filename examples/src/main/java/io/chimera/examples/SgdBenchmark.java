package io.chimera.examples;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.chimera.common.Metrics;
import io.chimera.server.Chimera;
import io.chimera.server.ChimeraRun;
import io.chimera.server.ParameterServerMaster;
import io.chimera.server.config.ChimeraConfig;
import io.chimera.workers.data.CsvDatasetLoader;
import io.chimera.workers.data.Dataset;

/**
 * Times chimera's SGD example: 200 synchronous iterations of logistic regression on {@code diabetes-like}
 * partitioned over 1, 2 and 4 workers on the process runtime, after 5 warm-up fits; prints the median wall
 * time of the fit call, the time per iteration and the holdout ROC AUC.
 *
 * <p>Arguments: worker counts (default {@code 1 2 4}); {@code -Drepeats=N} measured fits (default 5),
 * {@code -Dwarmups=N} warm-up fits (default 5).
 */
public final class SgdBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();

    public static void main(String[] args) throws Exception {
        final int[] counts = args.length > 0 ? Arrays.stream(args).mapToInt(Integer::parseInt).toArray()
                                             : new int[] {1, 2, 4};
        final int repeats = Integer.getInteger("repeats", 5);
        final int warmups = Integer.getInteger("warmups", 5);
        final Path holdout = ExampleData.dataset("diabetes-like");
        final Dataset test = CsvDatasetLoader.load(holdout.resolve("X_test.csv"), holdout.resolve("y_test.csv"));
        final String predictBody = Demo.predictBody(test);
        System.out.printf("SGD logistic regression, diabetes-like (%d holdout rows), 200 synchronous iterations, "
                          + "process runtime, %d cores; median of %d fits after %d warm-up fits%n", test.rows(),
                          Runtime.getRuntime().availableProcessors(), repeats, warmups);
        System.out.println("| workers | fit wall time (s) | min–max (s) | per iteration (ms) | holdout ROC AUC | accuracy |");
        System.out.println("|---|---|---|---|---|---|");
        final StringBuilder roundTrips = new StringBuilder();
        for (int workers : counts) {
            final Path dir = Files.createTempDirectory("chimera-sgd-bench");
            final List<String> names = ExampleData.project(dir, "diabetes-like", "sgd", workers,
                                                             "new SGDWorker().serve();", true);
            final ChimeraConfig config = ChimeraConfig.builder().workerNames(names)
                                                      .mappedPorts(Demo.freePorts(workers)).runtime("process")
                                                      .build();
            final ParameterServerMaster master = ParameterServerMaster.builder().loss("log_loss").maxIter(200)
                                                                      .logEvery(0).build();
            // -DworkerJvm="..." replaces the runtime's default worker JVM options, to compare settings.
            final String[] jvm = System.getProperty("workerJvm", "").isBlank() ? new String[0]
                                 : System.getProperty("workerJvm").split(" ");
            try (ChimeraRun run = Chimera.builder(master).port(0).config(config).projectDirectory(dir)
                                         .workerJvmOptions(jvm).start()) {
                final HttpClient http = HttpClient.newHttpClient();
                final String fitUrl = run.baseUrl() + "/v1/chimera/parameter-server/fit";
                for (int i = 0; i < warmups; i++) {
                    Demo.post(http, fitUrl, null);
                }
                final List<Double> times = new ArrayList<>();
                for (int i = 0; i < repeats; i++) {
                    final long t0 = System.nanoTime();
                    final HttpResponse<String> fit = Demo.post(http, fitUrl, null);
                    times.add((System.nanoTime() - t0) / 1e9);
                    if (fit.statusCode() != 200) {
                        throw new IllegalStateException("fit failed: " + fit.body());
                    }
                }
                final JsonNode history = JSON.readTree(http.send(
                        java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                                run.baseUrl() + "/v1/chimera/parameter-server/history")).GET().build(),
                        HttpResponse.BodyHandlers.ofString()).body());
                final List<Double> trips = new ArrayList<>();
                for (JsonNode it : history.get("iterations")) {
                    for (JsonNode w : it.get("workers")) {
                        trips.add(w.get("seconds").asDouble() * 1000);
                    }
                }
                trips.sort(null);
                roundTrips.append(String.format("%d workers: worker round trip median %.2f ms, p90 %.2f ms%n",
                        workers, trips.get(trips.size() / 2), trips.get(trips.size() * 9 / 10)));
                final HttpResponse<String> res = Demo.post(http, run.baseUrl()
                                                                 + "/v1/chimera/parameter-server/predict", predictBody);
                final JsonNode rows = JSON.readTree(res.body()).get("y_pred_rows");
                final double[] p = new double[rows.size()];
                for (int i = 0; i < p.length; i++) {
                    p[i] = rows.get(i).asDouble();
                }
                final double[] sorted = times.stream().mapToDouble(Double::doubleValue).sorted().toArray();
                final double median = sorted[sorted.length / 2];
                System.out.printf("| %d | %.3f | %.3f–%.3f | %.2f | %.4f | %.4f |%n", workers, median, sorted[0],
                                  sorted[sorted.length - 1], median / 200 * 1000,
                                  Metrics.rocAuc(p, test.labels()), Metrics.binaryAccuracy(p, test.labels()));
            } finally {
                try (var files = Files.walk(dir)) {
                    files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
                }
            }
        }
        System.out.print(roundTrips);
    }

    private SgdBenchmark() {}
}
