package io.chimera.examples;

import java.io.BufferedReader;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.chimera.core.data.CsvDatasetLoader;
import io.chimera.core.data.Dataset;
import io.chimera.core.metrics.Metrics;
import io.chimera.runtime.WorkerRuntimes;
import io.chimera.server.Chimera;
import io.chimera.server.ChimeraRun;
import io.chimera.server.config.ChimeraConfig;
import io.chimera.strategy.parameterserver.ParameterServerMaster;
import io.chimera.strategy.parameterserver.ParameterServerMasterBuilder;

/**
 * Ten million diabetes-like training rows partitioned over 4 SGD workers: how fast one worker's CSV loads
 * (in a JVM with a worker's options, alone on the machine), and two real runs of the 4 workers with
 * {@code -Xmx1g} each: start-up (which loads the data), then one fit of {@value SgdBenchmark#ITERATIONS}
 * synchronous log-loss iterations, or L-BFGS fits to convergence; the ROC AUC on the first {@value #SCORED_ROWS}
 * holdout rows, and each worker's peak heap (from its GC log) and peak resident memory.
 *
 * <p>Against it, Spark MLlib's logistic regression in {@code local[cores]} mode on the same files
 * ({@code SparkScale} of the {@code benchmarks-spark} build, skipped with the reason when that build is not
 * there): to convergence and to the target, the AUC of its converged model less {@value PeersBenchmark#WITHIN},
 * with its process's peak heap and resident memory. Our time to accuracy is the L-BFGS fit's whole time.
 *
 * <p>The data is written by {@code shared/tools/make_data.py} into {@code examples/target/benchmark-data/} when
 * absent (about 550 MB; never committed). It needs Python 3 with NumPy and SciPy
 * ({@code apt-get install -y python3-numpy python3-pandas python3-sklearn}).
 */
final class LargeCsvBenchmark {

    static final int WORKERS = 4;
    static final int SCORED_ROWS = 50_736;
    static final String SPARK_HEAP = "16g";
    private static final long DEFAULT_ROWS = 12_500_000; // 10 M training rows + the 20 % holdout
    private static final Pattern GC_LINE = Pattern.compile("(\\d+)M->(\\d+)M\\((\\d+)M\\)");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What was measured; {@code skipped} says why nothing was, else null. */
    record Result(String skipped, long trainRows, long shardBytes, Samples loadSeconds, Cluster sgd, Cluster lbfgs,
                  Spark spark) {

        /** MB (10^6 bytes) per second of one worker's shard, X and y, at the median load time. */
        double megabytesPerSecond() {
            return shardBytes / 1e6 / loadSeconds.median();
        }
    }

    /**
     * One run of the 4 workers: start-up seconds (the workers load their shards), the measured fits, the holdout AUC
     * and the iterations of the last fit, and per worker the peak heap in use, the peak committed heap and the peak
     * resident memory ({@code VmHWM}), in MB.
     */
    record Cluster(double startSeconds, Samples fitSeconds, double auc, int iterations, long[] peakHeapMb,
                   long[] committedHeapMb, long[] residentMb) {}

    /**
     * Spark MLlib's run: its version, or why it was skipped; its lines (to convergence, to the target); the seconds
     * its {@code csv} read and cache took; the target AUC; its process's peak heap in use, committed heap and
     * resident memory in MB.
     */
    record Spark(String version, String skipped, List<PeersBenchmark.Line> lines, double loadSeconds, double target,
                 long peakHeapMb, long committedHeapMb, long residentMb) {

        PeersBenchmark.Line line(String suffix) {
            return lines.stream().filter(l -> l.system().endsWith(suffix)).findFirst().orElse(null);
        }
    }

    static Result run() throws Exception {
        final long rows = Long.getLong("benchmarks.large.rows", DEFAULT_ROWS);
        final Path data = Path.of("target", "benchmark-data", "diabetes-like-" + rows).toAbsolutePath();
        final String missing = ensureData(data, rows);
        if (missing != null) {
            System.out.println("large CSV: skipped: " + missing);
            return new Result(missing, 0, 0, null, null, null, null);
        }
        final Path shard = data.resolve("chimera_train_data").resolve("w1");
        final long shardBytes = Files.size(shard.resolve("X_train.csv")) + Files.size(shard.resolve("y_train.csv"));
        final int repeats = Integer.getInteger("benchmarks.large.repeats", 3);
        final Samples loadSeconds = probeLoad(shard, repeats);
        final long shardRows = Files.lines(shard.resolve("y_train.csv")).count() - 1;
        System.out.printf(Locale.ROOT, "large CSV: one worker's shard (%,d rows, %.1f MB) loads in %s s [%s], "
                          + "%.0f MB/s%n", shardRows, shardBytes / 1e6, loadSeconds.format(1, 2),
                          loadSeconds.all(1, 2), shardBytes / 1e6 / loadSeconds.median());
        // Each Spark fit of these rows takes tens of seconds: one timed fit each unless asked for more.
        final Spark spark = spark(data, Integer.getInteger("benchmarks.large.spark.repeats", 1));
        final Dataset test = firstHoldoutRows(data, SCORED_ROWS);
        final Cluster sgd = cluster(data, test, ParameterServerMaster.builder().loss("log_loss")
                                                              .maxIter(SgdBenchmark.ITERATIONS).logEvery(0), 1);
        print("SGD, " + SgdBenchmark.ITERATIONS + " iterations", sgd);
        final Cluster lbfgs = cluster(data, test, ParameterServerMaster.builder().loss("log_loss").optimizer("lbfgs")
                                                                .logEvery(0), repeats);
        print("L-BFGS to convergence", lbfgs);
        return new Result(null, shardRows * WORKERS, shardBytes, loadSeconds, sgd, lbfgs, spark);
    }

    private static void print(String what, Cluster c) {
        System.out.printf(Locale.ROOT, "large CSV: %s over %d workers (-Xmx1g): start %.2f s, fit %s s, "
                          + "%d iterations, AUC %.4f, peak heap in use %s MB of committed %s MB, resident %s MB%n",
                          what, WORKERS, c.startSeconds(), c.fitSeconds().format(1, 2), c.iterations(), c.auc(),
                          Arrays.toString(c.peakHeapMb()), Arrays.toString(c.committedHeapMb()),
                          Arrays.toString(c.residentMb()));
    }

    /**
     * The 4 workers with -Xmx1g and the master {@code master} builds: start (loads), one untimed fit when
     * {@code fits} > 1, then {@code fits} timed fits, the score of the last on {@code test} (the first holdout
     * rows), and each worker's memory.
     */
    private static Cluster cluster(Path data, Dataset test, ParameterServerMasterBuilder master, int fits)
            throws Exception {
        final Path dir = Files.createTempDirectory("chimera-large-bench");
        try {
            final List<String> names = ExampleData.workers(dir, "sgd", WORKERS, "new SGDWorker().serve();");
            for (int i = 0; i < WORKERS; i++) {
                Files.createDirectories(dir.resolve("chimera_train_data"));
                Files.createSymbolicLink(dir.resolve("chimera_train_data").resolve(names.get(i)),
                                         data.resolve("chimera_train_data").resolve("w" + (i + 1)));
            }
            final Path gcLogs = Files.createDirectories(dir.resolve("gc"));
            final List<String> jvm = new ArrayList<>(WorkerRuntimes.DEFAULT_WORKER_JVM_OPTIONS);
            jvm.add("-Xmx1g");
            jvm.add("-Xlog:gc:file=" + gcLogs.resolve("gc-%p.log"));
            final ChimeraConfig config = ChimeraConfig.builder().workerNames(names)
                                                      .mappedPorts(Demo.freePorts(WORKERS)).runtime("process")
                                                      .startupTimeout(Duration.ofMinutes(5))
                                                      .timeout(Duration.ofMinutes(5)).build();
            final long begin = System.nanoTime();
            final double startSeconds;
            final double[] fitSeconds = new double[fits];
            final double auc;
            final int iterations;
            final long[] resident;
            try (ChimeraRun run = Chimera.builder(master.build()).port(0).config(config).projectDirectory(dir)
                                         .workerJvmOptions(jvm.toArray(new String[0])).start()) {
                startSeconds = (System.nanoTime() - begin) / 1e9;
                final HttpClient http = HttpClient.newHttpClient();
                final String fit = run.baseUrl() + "/v1/chimera/parameter-server/fit";
                if (fits > 1) {
                    BaggingBenchmark.check(Demo.post(http, fit, null));
                }
                for (int i = 0; i < fits; i++) {
                    final long t0 = System.nanoTime();
                    BaggingBenchmark.check(Demo.post(http, fit, null));
                    fitSeconds[i] = (System.nanoTime() - t0) / 1e9;
                }
                iterations = SgdBenchmark.history(http, run.baseUrl()).get("iterations").size();
                final JsonNode rows = JSON.readTree(BaggingBenchmark.check(Demo.post(
                        http, run.baseUrl() + "/v1/chimera/parameter-server/predict", Demo.predictBody(test)))
                                                                    .body()).get("y_pred_rows");
                final double[] p = new double[rows.size()];
                for (int i = 0; i < p.length; i++) {
                    p[i] = rows.get(i).asDouble();
                }
                auc = Metrics.rocAuc(p, test.labels());
                // The workers are this JVM's child processes while the run is open.
                resident = ProcessHandle.current().descendants()
                                        .filter(h -> h.info().command().orElse("").endsWith("java"))
                                        .mapToLong(h -> residentMb(h.pid())).filter(mb -> mb >= 0).toArray();
            }
            final long[][] heap = peakHeap(gcLogs);
            return new Cluster(startSeconds, Samples.of(fitSeconds), auc, iterations, heap[0], heap[1], resident);
        } finally {
            SgdBenchmark.delete(dir);
        }
    }

    /**
     * Spark MLlib on the same files, in its own JVM with a GC log, or why it was not run. Its heap is
     * {@value #SPARK_HEAP}, so that memory cannot be what slows it: with 8 GB it kept 7.8 GB in use and collected
     * young garbage about 4 times a second; with 16 GB its fits took as long (50 s and 60 s to the target,
     * 2026-12-06).
     */
    private static Spark spark(Path data, int repeats) throws Exception {
        final String missing = PeersBenchmark.sparkMissing();
        if (missing != null) {
            System.out.println("large CSV: Spark MLlib skipped: " + missing);
            return new Spark(null, missing, List.of(), 0, 0, 0, 0, 0);
        }
        final Path work = Files.createTempDirectory("chimera-large-spark");
        try {
            final Path gcLogs = Files.createDirectories(work.resolve("gc"));
            final int cores = Runtime.getRuntime().availableProcessors();
            final PeersBenchmark.Peer p = PeersBenchmark.peer(PeersBenchmark.sparkCommand(
                    List.of("-Xmx" + SPARK_HEAP, "-Xlog:gc:file=" + gcLogs.resolve("gc-%p.log")), "SparkScale",
                    data.toString(),
                    Integer.toString(cores), Integer.toString(SCORED_ROWS), Integer.toString(repeats),
                    Double.toString(PeersBenchmark.WITHIN), work.resolve("csv").toString()), "spark");
            if (p.failure() != null) {
                System.out.println("large CSV: Spark MLlib failed: " + p.failure());
                return new Spark(null, "failed: " + p.failure(), List.of(), 0, 0, 0, 0, 0);
            }
            final JsonNode memory = p.others().stream().filter(j -> j.has("vm_hwm_mb")).findFirst()
                                     .orElse(JSON.createObjectNode());
            final long[][] heap = peakHeap(gcLogs);
            final Spark spark = new Spark("Spark " + p.header().path("spark").asText() + ", local[" + cores + ']',
                                          null, p.lines(), memory.path("load_seconds").asDouble(),
                                          memory.path("target").asDouble(), heap[0].length > 0 ? heap[0][0] : -1,
                                          heap[1].length > 0 ? heap[1][0] : -1, memory.path("vm_hwm_mb").asLong(-1));
            for (PeersBenchmark.Line l : spark.lines()) {
                System.out.printf(Locale.ROOT, "large CSV: %s: %s s, %d iterations, AUC %.4f%n", l.system(),
                                  l.seconds().format(1, 2), l.iterations(), l.auc());
            }
            System.out.printf(Locale.ROOT, "large CSV: Spark read and cached the rows in %.1f s; peak heap in use "
                              + "%d MB of committed %d MB, resident %d MB; target AUC %.4f%n", spark.loadSeconds(),
                              spark.peakHeapMb(), spark.committedHeapMb(), spark.residentMb(), spark.target());
            return spark;
        } finally {
            SgdBenchmark.delete(work);
        }
    }

    /** Peak resident memory ({@code VmHWM}) of process {@code pid} in MB, or -1 when it cannot be read. */
    private static long residentMb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // gone, or not Linux
        }
        return -1;
    }

    /**
     * Seconds of {@code repeats} loads of {@code shard} after one untimed, in a JVM with a worker's options
     * ({@code -Xmx1g} and the process runtime's defaults), so the figure is the one a worker gets.
     */
    private static Samples probeLoad(Path shard, int repeats) throws IOException, InterruptedException {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(WorkerRuntimes.DEFAULT_WORKER_JVM_OPTIONS);
        command.addAll(List.of("-Xmx1g", "-cp", System.getProperty("java.class.path"), CsvLoadProbe.class.getName(),
                               shard.toString(), Integer.toString(repeats)));
        final Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        final String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IllegalStateException("the CSV load probe failed: " + out);
        }
        return Samples.of(out.lines().mapToDouble(Double::parseDouble).toArray());
    }

    /**
     * Per worker JVM, the most heap in use before a collection and the most heap committed, in MB, from
     * {@code -Xlog:gc} lines such as {@code Pause Young (Allocation Failure) 300M->120M(990M)}.
     */
    private static long[][] peakHeap(Path gcLogs) throws IOException {
        final List<Path> logs;
        try (Stream<Path> files = Files.list(gcLogs)) {
            logs = files.sorted().toList();
        }
        final long[] used = new long[logs.size()];
        final long[] committed = new long[logs.size()];
        for (int i = 0; i < logs.size(); i++) {
            final Matcher m = GC_LINE.matcher(Files.readString(logs.get(i)));
            while (m.find()) {
                used[i] = Math.max(used[i], Math.max(Long.parseLong(m.group(1)), Long.parseLong(m.group(2))));
                committed[i] = Math.max(committed[i], Long.parseLong(m.group(3)));
            }
        }
        return new long[][] { used, committed };
    }

    /** The first {@code n} rows of the holdout, without reading the rest of its 2.5 M rows. */
    private static Dataset firstHoldoutRows(Path data, int n) throws IOException {
        final Path dir = Files.createTempDirectory("chimera-large-holdout");
        try {
            for (String file : new String[] { "X_test.csv", "y_test.csv" }) {
                try (BufferedReader in = Files.newBufferedReader(data.resolve(file));
                     var out = Files.newBufferedWriter(dir.resolve(file))) {
                    String line;
                    for (int i = 0; i <= n && (line = in.readLine()) != null; i++) {
                        out.write(line);
                        out.newLine();
                    }
                }
            }
            return CsvDatasetLoader.load(dir.resolve("X_test.csv"), dir.resolve("y_test.csv"));
        } finally {
            SgdBenchmark.delete(dir);
        }
    }

    /** Generates the data when absent; returns why it cannot be had, or null when it is there. */
    private static String ensureData(Path data, long rows) throws IOException, InterruptedException {
        if (Files.isRegularFile(data.resolve("meta.json"))) {
            return null;
        }
        final Path tool = Stream.of(System.getProperty("benchmarks.makeData", ""), "../../shared/tools/make_data.py",
                                    "../shared/tools/make_data.py")
                                .filter(s -> !s.isBlank()).map(Path::of).filter(Files::isRegularFile).findFirst()
                                .orElse(null);
        if (tool == null) {
            return "shared/tools/make_data.py not found beside the repository (or -Dbenchmarks.makeData)";
        }
        final String python = System.getProperty("benchmarks.python", "/usr/bin/python3");
        System.out.printf(Locale.ROOT, "large CSV: generating %,d diabetes-like rows into %s (about a minute)%n",
                          rows, data);
        final Path partial = data.resolveSibling(data.getFileName() + ".partial");
        if (Files.exists(partial)) {
            SgdBenchmark.delete(partial);
        }
        final Process p = new ProcessBuilder(python, tool.toString(), "diabetes-like", partial.toString(),
                                             "--workers", Integer.toString(WORKERS), "--split", "partition",
                                             "--rows", Long.toString(rows)).inheritIO().start();
        if (!p.waitFor(20, TimeUnit.MINUTES) || p.exitValue() != 0) {
            p.destroy();
            return python + ' ' + tool + " failed (it needs NumPy and SciPy: apt-get install -y python3-numpy "
                   + "python3-pandas python3-sklearn)";
        }
        Files.move(partial, data);
        return null;
    }

    private LargeCsvBenchmark() {}
}
