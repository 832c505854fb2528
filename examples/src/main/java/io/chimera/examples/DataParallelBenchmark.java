package io.chimera.examples;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.chimera.core.data.CsvDatasetLoader;
import io.chimera.core.data.Dataset;
import io.chimera.core.metrics.Metrics;
import io.chimera.server.Chimera;
import io.chimera.server.ChimeraRun;
import io.chimera.server.config.ChimeraConfig;
import io.chimera.strategy.Master;
import io.chimera.strategy.allreduce.AllReduceMaster;
import io.chimera.strategy.fedavg.FederatedAveragingMaster;
import io.chimera.strategy.parameterserver.ParameterServerMaster;

/**
 * Compares the three data-parallel algorithms side by side in one run: the synchronous parameter server, ring
 * all-reduce and federated averaging, each fitting logistic regression on {@code diabetes-like} partitioned over
 * 4 workers (process runtime). Prints, per algorithm, the median wall time of a fit, its communication rounds,
 * the bytes on the wire (protobuf messages: master to workers, workers to master, worker to worker) and the
 * holdout ROC AUC; then the fewest federated-averaging rounds that reach the parameter server's AUC, and what
 * they cost.
 *
 * <p>{@code mvn -B -q -DskipTests -pl examples -am -Pbenchmark-data-parallel verify}; {@code -Dworkers=N}
 * (default 4), {@code -Drepeats=N} timed fits (default 3) after {@code -Dwarmups=N} (default 1).
 */
public final class DataParallelBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DATASET = "diabetes-like";

    /** One algorithm's figures. */
    record Result(String name, double[] seconds, long rounds, long masterBytes, long peerBytes, double auc) {
        double median() {
            final double[] s = seconds.clone();
            Arrays.sort(s);
            return s[s.length / 2];
        }
    }

    public static void main(String[] args) throws Exception {
        final int workers = Integer.getInteger("workers", 4);
        final int repeats = Integer.getInteger("repeats", 3);
        final int warmups = Integer.getInteger("warmups", 1);
        final String loadBefore = loadAverage();
        System.out.printf("Data-parallel logistic regression, %s partitioned over %d workers, process runtime, "
                          + "%d cores; median of %d fits after %d warm-up fit(s); load average before: %s%n",
                          DATASET, workers, Runtime.getRuntime().availableProcessors(), repeats, warmups,
                          loadBefore);
        final List<Result> results = new ArrayList<>();
        results.add(measure("parameter server, synchronous (200 iterations, full shards)",
                            () -> ParameterServerMaster.builder().loss("log_loss").logEvery(0).build(),
                            "new SGDWorker().serve();", workers, warmups, repeats));
        results.add(measure("ring all-reduce (200 steps, full shards)",
                            () -> AllReduceMaster.builder().loss("log_loss").build(),
                            "new io.chimera.strategy.allreduce.AllReduceWorker().serve();", workers, warmups,
                            repeats));
        results.add(measure("federated averaging (10 rounds x 1 local epoch, batches of 256)",
                            () -> FederatedAveragingMaster.builder().loss("log_loss").rounds(10).build(),
                            "new io.chimera.strategy.fedavg.FederatedAveragingWorker().serve();", workers, warmups,
                            repeats));
        System.out.println();
        System.out.println("| algorithm | fit wall time (s) | min–max (s) | rounds | bytes master ↔ workers "
                           + "| bytes worker ↔ worker | holdout ROC AUC |");
        System.out.println("|---|---|---|---|---|---|---|");
        for (Result r : results) {
            final double[] s = r.seconds().clone();
            Arrays.sort(s);
            System.out.printf("| %s | %.3f | %.3f–%.3f | %d | %,d | %,d | %.4f |%n", r.name(), r.median(), s[0],
                              s[s.length - 1], r.rounds(), r.masterBytes(), r.peerBytes(), r.auc());
        }
        // Federated averaging at the parameter server's AUC: the fewest rounds that reach it.
        final double target = results.get(0).auc();
        System.out.println();
        for (int rounds : new int[] {1, 2, 3, 5, 8}) {
            final int r = rounds;
            final Result f = measure("federated averaging, " + rounds + " round(s)",
                                     () -> FederatedAveragingMaster.builder().loss("log_loss").rounds(r).build(),
                                     "new io.chimera.strategy.fedavg.FederatedAveragingWorker().serve();", workers,
                                     0, 1);
            final Result ps = results.get(0);
            System.out.printf("federated averaging, %d round(s): AUC %.4f (parameter server: %.4f), %,d bytes "
                              + "master ↔ workers (%.1f%% of the parameter server's), %.3f s%n", rounds, f.auc(),
                              target, f.masterBytes(), 100.0 * f.masterBytes() / ps.masterBytes(), f.median());
            if (f.auc() >= target - 0.0005) {
                System.out.printf("reaches the parameter server's AUC (within 0.0005) in %d round(s) instead of "
                                  + "%d: %.0f× fewer rounds, %.0f× fewer bytes%n", rounds, ps.rounds(),
                                  (double) ps.rounds() / rounds, (double) ps.masterBytes() / f.masterBytes());
                break;
            }
        }
        System.out.println("load average after: " + loadAverage());
    }

    /** Starts the workers and the master, fits {@code warmups} then {@code repeats} times, scores the last model. */
    static Result measure(String name, Supplier<Master> master, String worker, int workers, int warmups,
                          int repeats) throws Exception {
        final Path holdout = ExampleData.dataset(DATASET);
        final Dataset test = CsvDatasetLoader.load(holdout.resolve("X_test.csv"), holdout.resolve("y_test.csv"));
        final Path dir = Files.createTempDirectory("chimera-data-parallel");
        try {
            final List<String> names = ExampleData.project(dir, DATASET, "w", workers, worker, true);
            final ChimeraConfig config = ChimeraConfig.builder().workerNames(names)
                                                      .mappedPorts(Demo.freePorts(workers)).runtime("process")
                                                      .progress("off").build();
            final Master m = master.get();
            final String base = "/v1/chimera/" + m.strategy();
            try (ChimeraRun run = Chimera.builder(m).port(0).config(config).projectDirectory(dir).start()) {
                final HttpClient http = HttpClient.newHttpClient();
                for (int i = 0; i < warmups; i++) {
                    fit(http, run.baseUrl() + base + "/fit");
                }
                final double[] seconds = new double[repeats];
                for (int i = 0; i < repeats; i++) {
                    final long t0 = System.nanoTime();
                    fit(http, run.baseUrl() + base + "/fit");
                    seconds[i] = (System.nanoTime() - t0) / 1e9;
                }
                final JsonNode history = JSON.readTree(http.send(
                        HttpRequest.newBuilder(URI.create(run.baseUrl() + base + "/history")).GET().build(),
                        HttpResponse.BodyHandlers.ofString()).body());
                final HttpResponse<String> res = Demo.post(http, run.baseUrl() + base + "/predict",
                                                           Demo.predictBody(test));
                final JsonNode rows = JSON.readTree(res.body()).get("y_pred_rows");
                final double[] p = new double[rows.size()];
                for (int i = 0; i < p.length; i++) {
                    p[i] = rows.get(i).asDouble();
                }
                return new Result(name, seconds, history.get("iterations").size(),
                                  history.path("bytes_sent").asLong() + history.path("bytes_received").asLong(),
                                  history.path("peer_bytes").asLong(), Metrics.rocAuc(p, test.labels()));
            }
        } finally {
            SgdBenchmark.delete(dir);
        }
    }

    private static void fit(HttpClient http, String url) throws Exception {
        final HttpResponse<String> fit = Demo.post(http, url, null);
        if (fit.statusCode() != 200) {
            throw new IllegalStateException("fit failed: " + fit.body());
        }
    }

    private static String loadAverage() {
        try {
            final String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }

    private DataParallelBenchmark() {}
}
