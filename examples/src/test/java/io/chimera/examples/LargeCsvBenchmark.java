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

/**
 * Ten million diabetes-like training rows partitioned over 4 SGD workers: how fast one worker's CSV loads
 * (in a JVM with a worker's options, alone on the machine), and a real run of the 4 workers with
 * {@code -Xmx1g} each: start-up (which loads
 * the data), one fit of {@value SgdBenchmark#ITERATIONS} synchronous log-loss iterations, the ROC AUC on the
 * first {@value #SCORED_ROWS} holdout rows, and each worker's peak heap from its GC log.
 *
 * <p>The data is written by {@code shared/tools/make_data.py} into {@code examples/target/benchmark-data/} when
 * absent (about 550 MB; never committed). It needs Python 3 with NumPy and SciPy
 * ({@code apt-get install -y python3-numpy python3-pandas python3-sklearn}).
 */
final class LargeCsvBenchmark {

    static final int WORKERS = 4;
    static final int SCORED_ROWS = 50_736;
    private static final long DEFAULT_ROWS = 12_500_000; // 10 M training rows + the 20 % holdout
    private static final Pattern GC_LINE = Pattern.compile("(\\d+)M->(\\d+)M\\((\\d+)M\\)");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What was measured; {@code skipped} says why nothing was, else null. */
    record Result(String skipped, long trainRows, long shardBytes, Samples loadSeconds, double startSeconds,
                  double fitSeconds, double auc, long[] peakHeapMb, long[] committedHeapMb) {

        /** MB (10^6 bytes) per second of one worker's shard, X and y, at the median load time. */
        double megabytesPerSecond() {
            return shardBytes / 1e6 / loadSeconds.median();
        }
    }

    static Result run() throws Exception {
        final long rows = Long.getLong("benchmarks.large.rows", DEFAULT_ROWS);
        final Path data = Path.of("target", "benchmark-data", "diabetes-like-" + rows).toAbsolutePath();
        final String missing = ensureData(data, rows);
        if (missing != null) {
            System.out.println("large CSV: skipped: " + missing);
            return new Result(missing, 0, 0, null, 0, 0, 0, null, null);
        }
        final Path shard = data.resolve("chimera_train_data").resolve("w1");
        final long shardBytes = Files.size(shard.resolve("X_train.csv")) + Files.size(shard.resolve("y_train.csv"));
        final int repeats = Integer.getInteger("benchmarks.large.repeats", 3);
        final Samples loadSeconds = probeLoad(shard, repeats);
        final long shardRows = Files.lines(shard.resolve("y_train.csv")).count() - 1;
        System.out.printf(Locale.ROOT, "large CSV: one worker's shard (%,d rows, %.1f MB) loads in %s s [%s], "
                          + "%.0f MB/s%n", shardRows, shardBytes / 1e6, loadSeconds.format(1, 2),
                          loadSeconds.all(1, 2), shardBytes / 1e6 / loadSeconds.median());
        return cluster(data, shardRows * WORKERS, shardBytes, loadSeconds);
    }

    /** The 4 workers with -Xmx1g: start (loads), one fit, a holdout score, peak heap per worker. */
    private static Result cluster(Path data, long trainRows, long shardBytes, Samples loadSeconds) throws Exception {
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
            final ParameterServerMaster master = ParameterServerMaster.builder().loss("log_loss")
                                                                      .maxIter(SgdBenchmark.ITERATIONS)
                                                                      .logEvery(0).build();
            final long begin = System.nanoTime();
            final double startSeconds;
            final double fitSeconds;
            final double auc;
            try (ChimeraRun run = Chimera.builder(master).port(0).config(config).projectDirectory(dir)
                                         .workerJvmOptions(jvm.toArray(new String[0])).start()) {
                startSeconds = (System.nanoTime() - begin) / 1e9;
                final HttpClient http = HttpClient.newHttpClient();
                final long t0 = System.nanoTime();
                BaggingBenchmark.check(Demo.post(http, run.baseUrl() + "/v1/chimera/parameter-server/fit", null));
                fitSeconds = (System.nanoTime() - t0) / 1e9;
                final Dataset test = firstHoldoutRows(data, SCORED_ROWS);
                final JsonNode rows = JSON.readTree(BaggingBenchmark.check(Demo.post(
                        http, run.baseUrl() + "/v1/chimera/parameter-server/predict", Demo.predictBody(test)))
                                                                    .body()).get("y_pred_rows");
                final double[] p = new double[rows.size()];
                for (int i = 0; i < p.length; i++) {
                    p[i] = rows.get(i).asDouble();
                }
                auc = Metrics.rocAuc(p, test.labels());
            }
            final long[][] heap = peakHeap(gcLogs);
            System.out.printf(Locale.ROOT, "large CSV: %,d rows over %d workers (-Xmx1g): start %.2f s, fit %.2f s, "
                              + "AUC %.4f, peak heap in use %s MB of committed %s MB%n", trainRows, WORKERS,
                              startSeconds, fitSeconds, auc, Arrays.toString(heap[0]), Arrays.toString(heap[1]));
            return new Result(null, trainRows, shardBytes, loadSeconds, startSeconds, fitSeconds, auc, heap[0],
                              heap[1]);
        } finally {
            SgdBenchmark.delete(dir);
        }
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
