package io.chimera.examples;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.chimera.core.data.Dataset;
import io.chimera.runtime.WorkerRuntimes;
import io.chimera.server.DockerStartupBenchmark;
import io.chimera.server.PredictLoad;
import io.chimera.server.ProcessStartupBenchmark;
import io.chimera.strategy.parameterserver.SyncMode;

/**
 * chimera's example scenarios on the shared look-alike datasets, timed, and the report
 * {@code docs/benchmarks.md} with its plots. Every figure is the median of {@code repeats} runs after
 * {@code warmups} untimed ones, with the min–max range beside it.
 *
 * <pre>{@code
 * mvn -B -q -DskipTests -pl examples -am -Pbenchmarks verify
 *     [-Dbenchmarks.only=peers,sgd,mlp,bagging,tribuo,predict,load,csv,startup,docker]
 *     [-Dbenchmarks.warmups=5] [-Dbenchmarks.repeats=5]
 * }</pre>
 * {@code peers} sets our fits beside scikit-learn's and chimera's own code in one JVM, with time to accuracy
 * ({@link PeersBenchmark}). {@code tribuo} times bagging with Tribuo's random forest as each worker's learner beside our trees
 * ({@link TribuoBaggingBenchmark}). A full run writes {@code docs/benchmarks.md} and
 * {@code docs/img/benchmark-*.png}; a run of some scenarios only writes {@code examples/target/benchmarks.md}, so it
 * never leaves a partial report in docs/.
 */
public final class Benchmarks {

    /** Every scenario, in the order a run takes them; a run without {@code benchmarks.only} takes all. */
    static final List<String> SCENARIOS = List.of("peers", "sgd", "mlp", "bagging", "tribuo", "predict", "load", "csv",
                                                  "startup", "docker");
    /** Warm Docker starts per worker count, after the cold one. */
    static final int DOCKER_WARM_RUNS = 3;
    /** Load runs after the warm-up; each is {@code clients x calls} single-row predicts. */
    static final int LOAD_RUNS = 3;
    /** Calls per client before the load runs, so the JIT has compiled the master's paths: not counted. */
    static final int LOAD_WARMUP_CALLS = 2500;

    /** Everything a run measured, for the report. */
    static final class Results {
        final int warmups;
        final int repeats;
        final List<String> scenarios;
        final Map<String, List<SgdBenchmark.Result>> sgd = new LinkedHashMap<>();
        final Map<String, List<BaggingBenchmark.Result>> bagging = new LinkedHashMap<>();
        TribuoBaggingBenchmark.Result tribuo;
        PeersBenchmark.Result peers;
        List<MlpBenchmark.Line> mlp;
        String mlpLoadBefore;
        String mlpLoadAfter;
        Samples predict;
        int predictRows;
        final List<PredictLoad.Result> load = new ArrayList<>();
        int loadClients;
        int loadWorkers;
        LargeCsvBenchmark.Result csv;
        ProcessStartupBenchmark.Result startup;
        CliStartupBenchmark.Result cli;
        List<DockerStartupBenchmark.Result> docker;
        /** Why Docker start-up was not measured, or null. */
        String dockerSkipped;
        final List<String> loadBefore = new ArrayList<>();

        Results(int warmups, int repeats, List<String> scenarios) {
            this.warmups = warmups;
            this.repeats = repeats;
            this.scenarios = scenarios;
        }
    }

    public static void main(String[] args) throws Exception {
        final int warmups = Integer.getInteger("benchmarks.warmups", 5);
        final int repeats = Integer.getInteger("benchmarks.repeats", 5);
        final String only = System.getProperty("benchmarks.only", "").trim();
        final List<String> scenarios = only.isEmpty() ? SCENARIOS : List.of(only.split("\\s*,\\s*"));
        for (String s : scenarios) {
            if (!SCENARIOS.contains(s)) {
                throw new IllegalArgumentException("benchmarks.only: " + s + " (expected: some of " + SCENARIOS + ')');
            }
        }
        final Results results = new Results(warmups, repeats, scenarios);
        results.loadBefore.add(Machine.loadAverage());
        System.out.printf(Locale.ROOT, "chimera benchmarks: %s; %d warm-up runs, median of %d; %s%n", scenarios,
                          warmups, repeats, Machine.describe());
        if (scenarios.contains("peers")) {
            results.peers = PeersBenchmark.measure(results.warmups, results.repeats);
            PeersBenchmark.print(results.peers);
        }
        if (scenarios.contains("sgd")) {
            sgd(results);
        }
        if (scenarios.contains("mlp")) {
            results.mlpLoadBefore = Machine.loadAverage();
            results.mlp = MlpBenchmark.measure(results.warmups, results.repeats);
            results.mlpLoadAfter = Machine.loadAverage();
            for (MlpBenchmark.Line l : results.mlp) {
                System.out.printf(Locale.ROOT, "mlp: %s: fit %s s, AUC %.4f%n", l.system(), l.fit().format(1, 3),
                                  l.auc());
            }
        }
        if (scenarios.contains("bagging")) {
            bagging(results);
        }
        if (scenarios.contains("tribuo")) {
            tribuo(results);
        }
        if (scenarios.contains("predict") || scenarios.contains("load")) {
            predictAndLoad(results);
        }
        if (scenarios.contains("csv")) {
            results.csv = LargeCsvBenchmark.run();
        }
        if (scenarios.contains("startup")) {
            startup(results);
        }
        if (scenarios.contains("docker")) {
            docker(results);
        }
        results.loadBefore.add(Machine.loadAverage());
        final boolean full = scenarios.size() == SCENARIOS.size();
        final Path report = Path.of(full ? "../docs/benchmarks.md" : "target/benchmarks.md");
        BenchmarkReport.write(results, report, report.resolveSibling("img"));
        System.out.println("report: " + report.toAbsolutePath().normalize());
    }

    /**
     * The worker JVM options: the process runtime's defaults, plus {@code -Dbenchmarks.workerJvm="..."} when
     * given (to profile workers, say).
     */
    static List<String> workerJvm() {
        final List<String> options = new ArrayList<>(WorkerRuntimes.DEFAULT_WORKER_JVM_OPTIONS);
        final String extra = System.getProperty("benchmarks.workerJvm", "").trim();
        if (!extra.isEmpty()) {
            options.addAll(List.of(extra.split("\\s+")));
        }
        return options;
    }

    private static void sgd(Results results) throws Exception {
        final int[] logisticWorkers = { 1, 2, 4, 7 };
        for (SyncMode mode : new SyncMode[] { SyncMode.synchronous(), SyncMode.asynchronous() }) {
            final String key = "logistic-" + mode.modeName();
            for (int w : logisticWorkers) {
                final SgdBenchmark.Result r = SgdBenchmark.measure("diabetes-like", "log_loss", mode, w,
                                                                   results.warmups, results.repeats, workerJvm());
                results.sgd.computeIfAbsent(key, k -> new ArrayList<>()).add(r);
                print("SGD logistic " + mode.modeName(), r.workers(), r.startSeconds(), Samples.of(r.fitSeconds()),
                      "AUC", r.score());
            }
        }
        for (int w : new int[] { 1, 2, 4 }) {
            final SgdBenchmark.Result r = SgdBenchmark.measure("wine-like", "squared_error", SyncMode.synchronous(),
                                                               w, results.warmups, results.repeats, workerJvm());
            results.sgd.computeIfAbsent("linear", k -> new ArrayList<>()).add(r);
            print("SGD linear", r.workers(), r.startSeconds(), Samples.of(r.fitSeconds()), "R2", r.score());
        }
    }

    private static void bagging(Results results) throws Exception {
        for (boolean partition : new boolean[] { false, true }) {
            final String key = partition ? "classification-partitioned" : "classification-same";
            for (int w = 1; w <= 4; w++) {
                final BaggingBenchmark.Result r = BaggingBenchmark.measure(
                        "diabetes-like", BaggingBenchmark.CLASSIFIER, w, partition, results.warmups, results.repeats);
                results.bagging.computeIfAbsent(key, k -> new ArrayList<>()).add(r);
                print("bagging " + key, w, r.startSeconds(), r.fit(), "AUC", r.score());
            }
        }
        for (int w = 1; w <= 4; w++) {
            final BaggingBenchmark.Result r = BaggingBenchmark.measure(
                    "wine-like", BaggingBenchmark.REGRESSOR, w, true, results.warmups, results.repeats);
            results.bagging.computeIfAbsent("regression", k -> new ArrayList<>()).add(r);
            print("bagging regression", w, r.startSeconds(), r.fit(), "R2", r.score());
        }
    }

    /** 4 bagging workers on diabetes-like, our trees against Tribuo's forests ({@link TribuoBaggingBenchmark}). */
    private static void tribuo(Results results) throws Exception {
        final TribuoBaggingBenchmark.Result r = TribuoBaggingBenchmark.measure(results.warmups, results.repeats);
        results.tribuo = r;
        print("tribuo: our trees", r.trees().workers(), r.trees().startSeconds(), r.trees().fit(), "AUC",
              r.trees().score());
        print("tribuo: Tribuo random forests", r.forest().workers(), r.forest().startSeconds(), r.forest().fit(),
              "AUC", r.forest().score());
        System.out.printf(Locale.ROOT, "tribuo: Tribuo RF time / our trees time %.2fx (load %s -> %s)%n", r.ratio(),
                          r.loadBefore(), r.loadAfter());
    }

    /** The holdout through the master, then the single-row load, on 4 classification workers. */
    private static void predictAndLoad(Results results) throws Exception {
        final int workers = 4;
        try (BaggingBenchmark.Cluster cluster = BaggingBenchmark.Cluster.start(
                "diabetes-like", BaggingBenchmark.CLASSIFIER, workers, false)) {
            cluster.fit(0, 1);
            final Dataset test = BaggingBenchmark.holdout("diabetes-like");
            if (results.scenarios.contains("predict")) {
                results.predict = cluster.predict(Demo.predictBody(test), results.warmups, results.repeats);
                results.predictRows = test.rows();
                System.out.printf(Locale.ROOT, "predict %d rows through the master (REST JSON), %d workers: %s ms "
                                  + "[%s]%n", test.rows(), workers, results.predict.format(1000, 1),
                                  results.predict.all(1000, 1));
            }
            if (results.scenarios.contains("load")) {
                final int clients = Integer.getInteger("benchmarks.load.clients", 8);
                final int calls = Integer.getInteger("benchmarks.load.calls", 2500);
                final String body = Demo.predictBody(oneRow(test));
                final String expected = BaggingBenchmark.check(Demo.post(cluster.http, cluster.predictUrl(), body))
                                                        .body();
                // A warm-up long enough for the JIT to finish compiling the master's paths, not counted.
                PredictLoad.rest(cluster.predictUrl(), body, expected, clients, LOAD_WARMUP_CALLS);
                for (int run = 0; run < LOAD_RUNS; run++) {
                    final PredictLoad.Result r = PredictLoad.rest(cluster.predictUrl(), body, expected, clients,
                                                                  calls);
                    results.load.add(r);
                    System.out.println("single-row predict load, REST, " + clients + " clients, " + workers
                                       + " workers: " + r);
                }
                results.loadClients = clients;
                results.loadWorkers = workers;
            }
        }
    }

    /** 4 process workers' start-up, cold and warm, against a bare Armeria JVM ({@link ProcessStartupBenchmark}). */
    private static void startup(Results results) throws Exception {
        final ProcessStartupBenchmark.Result r = ProcessStartupBenchmark.measure(results.repeats);
        results.startup = r;
        final double bare = ProcessStartupBenchmark.Result.median(r.bare());
        System.out.printf(Locale.ROOT, "bare Armeria JVM to its first health answer: %.2f s %s (load %s -> %s)%n",
                          bare, java.util.Arrays.toString(r.bare()), r.loadBefore(), r.loadAfter());
        System.out.printf(Locale.ROOT, "4 process workers: cold %.2f s (%.2fx), warm %.2f s (%.2fx) %s, warm "
                          + "without class-data sharing %.2f s (%.2fx)%n", r.cold(), r.cold() / bare,
                          ProcessStartupBenchmark.Result.median(r.warm()), r.warmRatio(),
                          java.util.Arrays.toString(r.warm()), ProcessStartupBenchmark.Result.median(r.warmNoCds()),
                          ProcessStartupBenchmark.Result.median(r.warmNoCds()) / bare);
        final CliStartupBenchmark.Result cli = CliStartupBenchmark.measure(results.repeats);
        results.cli = cli;
        System.out.printf(Locale.ROOT, "chimera new + chimera run until the master serves (3 workers): new project "
                          + "%.2f s %s, same project again %.2f s %s (load %s -> %s)%n",
                          ProcessStartupBenchmark.Result.median(cli.newProject()),
                          java.util.Arrays.toString(cli.newProject()),
                          ProcessStartupBenchmark.Result.median(cli.sameProject()),
                          java.util.Arrays.toString(cli.sameProject()), cli.loadBefore(), cli.loadAfter());
    }

    /**
     * The docker runtime's start-up (1, 2 and 4 tree workers, cold and warm image cache) when a daemon answers
     * and the base image is local; otherwise the reason, for the report.
     */
    private static void docker(Results results) throws Exception {
        results.dockerSkipped = DockerStartupBenchmark.unavailable();
        if (results.dockerSkipped != null) {
            System.out.println("docker start-up: skipped: " + results.dockerSkipped);
            return;
        }
        results.docker = DockerStartupBenchmark.measure(DOCKER_WARM_RUNS);
        for (DockerStartupBenchmark.Result r : results.docker) {
            System.out.printf(Locale.ROOT, "docker start-up, %d workers: cold %.2f s, warm %.2f s %s%n", r.workers(),
                              r.cold(), r.warmMedian(), java.util.Arrays.toString(r.warm()));
        }
    }

    private static Dataset oneRow(Dataset test) {
        final double[] row = java.util.Arrays.copyOf(test.features(), test.cols());
        return Dataset.of(test.featureNames(), row, 1, test.labelName(), new double[] { test.label(0) });
    }

    private static void print(String scenario, int workers, double start, Samples fit, String score, double value) {
        System.out.printf(Locale.ROOT, "%-36s %d workers: start %.2f s, fit %s s [%s], %s %.4f%n", scenario,
                          workers, start, fit.format(1, 3), fit.all(1, 3), score, value);
    }

    private Benchmarks() {}
}
