package io.chimera.examples;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.chimera.core.data.CsvDatasetLoader;
import io.chimera.core.data.Dataset;
import io.chimera.core.linear.LearningRate;
import io.chimera.core.linear.Loss;
import io.chimera.core.linear.Optimizer;
import io.chimera.core.linear.Penalty;
import io.chimera.core.metrics.Metrics;
import io.chimera.strategy.parameterserver.SyncMode;
import io.chimera.strategy.sgd.Gradient;
import io.chimera.strategy.sgd.GradientEngine;
import io.chimera.strategy.sgd.LinearSetup;
import io.chimera.strategy.sgd.ShardStatistics;

/**
 * Our fits against the tools a user would pick instead, side by side in one run on the same machine and the same
 * {@value #DATASET} files (issue 18): the holdout ROC AUC of each, its fit time, and <em>time to accuracy</em>, the
 * time until the holdout AUC is within {@value #WITHIN} of the best single-machine result (scikit-learn's L-BFGS
 * logistic regression; chimera's own L-BFGS when scikit-learn is not there).
 *
 * <ul>
 *   <li><b>scikit-learn</b>, through {@code /usr/bin/python3} (Debian's {@code python3-sklearn}) running
 *       {@code peers/sklearn_peers.py}: standardised {@code LogisticRegression(lbfgs)} and
 *       {@code SGDClassifier(log_loss)}, {@code BaggingClassifier} of 4 depth-5 / 15-leaf trees and
 *       {@code RandomForestClassifier(4)} with {@code n_jobs} = the machine's cores. Skipped, with the reason in the
 *       report, when Python or scikit-learn is missing.</li>
 *   <li><b>chimera's code in one JVM</b>, no network: one {@link GradientEngine} over all the rows, the parameter
 *       server's default optimiser (AdaGrad 0.5) and L2 penalty, as the master applies them. Its iterates are
 *       those of the synchronous parameter server (the same sums in another order), so its holdout AUC after each
 *       iteration says when the distributed fit reaches the target: the distributed fit is then run again with
 *       exactly that many iterations, timed, and its own AUC checked.</li>
 *   <li><b>chimera, {@value #WORKERS} workers</b>: synchronous SGD for {@value SgdBenchmark#ITERATIONS}
 *       iterations and to the target, L-BFGS to convergence ({@code optimizer("lbfgs")}), and bagging of 4
 *       trees ({@link BaggingBenchmark#CLASSIFIER}, same data).</li>
 *   <li><b>Spark MLlib</b> in {@code local[cores]} mode, in its own JVM ({@code benchmarks-spark}, built apart:
 *       Spark brings its own Jackson, Netty and Scala): logistic regression to convergence and to the target, and a
 *       random forest of 4 depth-5 trees. Skipped, with the reason, when that build is not there.</li>
 * </ul>
 */
final class PeersBenchmark {

    static final String DATASET = "diabetes-like";
    static final int WORKERS = 4;
    static final double WITHIN = 0.001;
    /** The parameter server's defaults, applied alike in one JVM. */
    private static final double ALPHA = 0.0001;
    private static final LearningRate RATE = LearningRate.adaGrad(0.5);
    /** The Python that runs scikit-learn: Debian's, where {@code python3-sklearn} installs it. */
    private static final String PYTHON = System.getProperty("benchmarks.python", "/usr/bin/python3");
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One system's figures: {@code seconds} the measured fits (or the times to accuracy), {@code auc} and
     * {@code accuracy} on the holdout, {@code iterations} when it has them (else 0).
     */
    record Line(String system, Samples seconds, double auc, double accuracy, int iterations) {}

    /** A training curve: seconds since the fit started against the value after that iteration. */
    record Curve(String label, double[] seconds, double[] values) {}

    /** Everything one run measured. */
    record Result(int trainRows, int testRows, String loadBefore, String loadAfter, String sklearnVersion,
                  String sklearnSkipped, int nJobs,
                  double target, String targetFrom, List<Line> sklearn, Line oneJvm200, Line oneJvmToTarget,
                  Line sgd200, Line sgdToTarget, int iterationsToTarget, Line lbfgs, Line bagging,
                  List<Curve> lossCurves, List<Curve> aucCurves, String sparkVersion, String sparkSkipped,
                  List<Line> spark) {

        /** scikit-learn's line whose name starts with {@code prefix}, or null. */
        Line peer(String prefix) {
            return java.util.stream.Stream.concat(sklearn.stream(), spark.stream())
                                          .filter(l -> l.system().startsWith(prefix)).findFirst().orElse(null);
        }
    }

    static Result measure(int warmups, int repeats) throws Exception {
        final String loadBefore = Machine.loadAverage();
        final Path dir = ExampleData.dataset(DATASET);
        final int nJobs = Runtime.getRuntime().availableProcessors();
        final PeerRun sk = sklearn(dir, warmups, repeats, nJobs);
        final Dataset train = CsvDatasetLoader.load(dir.resolve("chimera_train_data/w1/X_train.csv"),
                                                    dir.resolve("chimera_train_data/w1/y_train.csv"));
        final Dataset test = CsvDatasetLoader.load(dir.resolve("X_test.csv"), dir.resolve("y_test.csv"));

        final SgdBenchmark.Result lbfgsRun = SgdBenchmark.measure(DATASET, "log_loss", SyncMode.synchronous(), WORKERS,
                                                                  warmups, repeats, Benchmarks.workerJvm(),
                                                                  b -> b.optimizer("lbfgs"));
        final Line lbfgs = new Line("chimera L-BFGS, " + WORKERS + " workers, to convergence",
                                    Samples.of(lbfgsRun.fitSeconds()), lbfgsRun.score(), lbfgsRun.accuracy(),
                                    lbfgsRun.iterationSeconds().length);
        final Line lr = sk.lines().stream().filter(l -> l.system().contains("LogisticRegression")).findFirst()
                                .orElse(null);
        final double target = (lr != null ? lr.auc() : lbfgs.auc()) - WITHIN;
        final String targetFrom = lr != null ? "scikit-learn's LogisticRegression(lbfgs)"
                                             : "chimera's L-BFGS (scikit-learn was not run)";

        final PeerRun sparkRun = spark(dir, warmups, repeats, nJobs, target);
        final OneJvm one = oneJvm(train, test, warmups, repeats);
        int k = 0;
        for (int i = 0; i < one.auc.length; i++) {
            if (one.auc[i] >= target) {
                k = i + 1;
                break;
            }
        }
        final Line oneJvm200 = new Line("chimera's code, one JVM, " + SgdBenchmark.ITERATIONS + " iterations",
                                        Samples.of(one.totalSeconds), one.auc[one.auc.length - 1], Double.NaN,
                                        SgdBenchmark.ITERATIONS);
        final SgdBenchmark.Result sgdRun = SgdBenchmark.measure(DATASET, "log_loss", SyncMode.synchronous(), WORKERS,
                                                                warmups, repeats, Benchmarks.workerJvm());
        final Line sgd200 = new Line("chimera SGD, " + WORKERS + " workers, " + SgdBenchmark.ITERATIONS
                                     + " iterations", Samples.of(sgdRun.fitSeconds()), sgdRun.score(),
                                     sgdRun.accuracy(), sgdRun.iterationSeconds().length);
        Line oneToTarget = null;
        Line sgdToTarget = null;
        if (k > 0) {
            final double[] atK = new double[one.iterationSeconds.length];
            for (int r = 0; r < atK.length; r++) {
                atK[r] = one.iterationSeconds[r][k - 1];
            }
            oneToTarget = new Line("chimera's code, one JVM, to the target", Samples.of(atK), one.auc[k - 1],
                                   Double.NaN, k);
            final int iterations = k;
            final SgdBenchmark.Result toTarget = SgdBenchmark.measure(DATASET, "log_loss", SyncMode.synchronous(),
                                                                      WORKERS, warmups, repeats,
                                                                      Benchmarks.workerJvm(),
                                                                      b -> b.maxIter(iterations));
            sgdToTarget = new Line("chimera SGD, " + WORKERS + " workers, to the target",
                                   Samples.of(toTarget.fitSeconds()), toTarget.score(), toTarget.accuracy(), k);
        }
        final BaggingBenchmark.Result bag = BaggingBenchmark.measure(DATASET, BaggingBenchmark.CLASSIFIER, WORKERS,
                                                                     false, warmups, repeats);
        final Line bagging = new Line("chimera bagging, " + WORKERS + " workers, 4 trees", bag.fit(), bag.score(),
                                      bag.accuracy(), 0);

        final List<Curve> loss = List.of(
                new Curve("chimera SGD, " + WORKERS + " workers", sgdRun.iterationSeconds(), sgdRun.iterationLoss()),
                new Curve("chimera L-BFGS, " + WORKERS + " workers (each gradient round)",
                          lbfgsRun.iterationSeconds(), lbfgsRun.iterationLoss()),
                new Curve("chimera's code, one JVM (SGD)", one.iterationSeconds[one.iterationSeconds.length - 1],
                          one.loss));
        final List<Curve> auc = List.of(
                new Curve("chimera SGD, " + WORKERS + " workers (the iterate's AUC from one JVM)",
                          sgdRun.iterationSeconds(),
                          java.util.Arrays.copyOf(one.auc, sgdRun.iterationSeconds().length)),
                new Curve("chimera's code, one JVM (SGD)", one.iterationSeconds[one.iterationSeconds.length - 1],
                          one.auc));
        return new Result(train.rows(), test.rows(), loadBefore, Machine.loadAverage(), sk.version(), sk.skipped(),
                          nJobs, target + WITHIN, targetFrom, sk.lines(), oneJvm200, oneToTarget, sgd200,
                          sgdToTarget, k, lbfgs, bagging, loss,
                          auc, sparkRun.version(), sparkRun.skipped(), sparkRun.lines());
    }

    // ---- chimera's code in one JVM ----

    /** Per repeat, each iteration's seconds since the start; the last repeat's loss and holdout AUC per iteration. */
    private record OneJvm(double[] totalSeconds, double[][] iterationSeconds, double[] loss, double[] auc) {}

    private static OneJvm oneJvm(Dataset train, Dataset test, int warmups, int repeats) {
        final ShardStatistics stats = ShardStatistics.of(train.features(), train.rows(), train.cols(), train.labels());
        final LinearSetup setup = LinearSetup.of(Loss.LOG_LOSS, Penalty.L2, ALPHA, 0.15, RATE, 0, 0, true)
                                             .prepareShards(List.of(new LinearSetup.Shard(
                                                     "one-jvm", train.featureNames(), stats, true)));
        final int d = train.cols();
        final int n = SgdBenchmark.ITERATIONS;
        final double[] totals = new double[repeats];
        final double[][] iterationSeconds = new double[repeats][n];
        final double[][] iterates = new double[n][];
        final double[] loss = new double[n];
        try (GradientEngine engine = GradientEngine.builder().features(train.features(), train.rows(), d)
                                                   .labels(train.labels()).loss(Loss.LOG_LOSS)
                                                   .classes(setup.classes())
                                                   .standardization(setup.mean(), setup.scale()).build()) {
            for (int run = 0; run < warmups + repeats; run++) {
                final boolean measured = run >= warmups;
                final long t0 = System.nanoTime();
                final double[] params = setup.initialParameters();
                final Optimizer optimizer = Optimizer.create(RATE, params.length);
                final double[] grad = new double[params.length];
                final double[] w = new double[d];
                for (int it = 1; it <= n; it++) {
                    System.arraycopy(params, 0, w, 0, d);
                    final Gradient g = engine.compute(w, new double[] { params[d] }, null);
                    System.arraycopy(g.weightsGradient(), 0, grad, 0, d);
                    grad[d] = g.biasGradient()[0];
                    Penalty.L2.addGradient(params, grad, d, ALPHA, 0.15);
                    loss[it - 1] = g.loss() + Penalty.L2.loss(params, d, ALPHA, 0.15);
                    optimizer.step(params, grad, it, 1);
                    if (measured) {
                        iterationSeconds[run - warmups][it - 1] = (System.nanoTime() - t0) / 1e9;
                        iterates[it - 1] = params.clone();
                    }
                }
                if (measured) {
                    totals[run - warmups] = (System.nanoTime() - t0) / 1e9;
                }
            }
        }
        final double[] auc = new double[n];
        final double[] z = new double[test.rows()];
        for (int it = 0; it < n; it++) {
            final double[] p = iterates[it];
            for (int r = 0; r < test.rows(); r++) {
                double s = p[d];
                for (int c = 0; c < d; c++) {
                    s += (test.feature(r, c) - setup.mean()[c]) / setup.scale()[c] * p[c];
                }
                z[r] = s;
            }
            auc[it] = Metrics.rocAuc(z, test.labels());
        }
        return new OneJvm(totals, iterationSeconds, loss, auc);
    }

    // ---- scikit-learn ----

    private record PeerRun(List<Line> lines, String version, String skipped) {}

    /** Runs {@code peers/sklearn_peers.py}; a missing Python or scikit-learn is a reason, not an error. */
    private static PeerRun sklearn(Path dataset, int warmups, int repeats, int nJobs) throws Exception {
        if (!Files.isExecutable(Path.of(PYTHON))) {
            return new PeerRun(List.of(), null, PYTHON + " not found (apt-get install -y python3-sklearn "
                                                 + "python3-pandas)");
        }
        final Path script = Files.createTempFile("sklearn_peers", ".py");
        try (InputStream in = PeersBenchmark.class.getResourceAsStream("/peers/sklearn_peers.py")) {
            Files.copy(in, script, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        try {
            final Peer p = peer(List.of(PYTHON, script.toString(), dataset.toString(), Integer.toString(warmups),
                                        Integer.toString(repeats), Integer.toString(nJobs)), "sklearn");
            if (p.failure != null) {
                final String reason = p.failure.contains("ModuleNotFoundError")
                        ? p.failure.substring(p.failure.indexOf("ModuleNotFoundError")).lines().findFirst().orElse("")
                          + " (apt-get install -y python3-sklearn python3-pandas)"
                        : p.failure;
                return new PeerRun(List.of(), null, reason);
            }
            final JsonNode v = p.header;
            return new PeerRun(p.lines, "scikit-learn " + v.path("sklearn").asText() + ", NumPy "
                                        + v.path("numpy").asText() + ", Python " + v.path("python").asText(), null);
        } finally {
            Files.deleteIfExists(script);
        }
    }

    /**
     * Runs {@code SparkPeers} of the {@code benchmarks-spark} build in its own JVM ({@code local[cores]}); when that
     * build is not there, the reason.
     */
    private static PeerRun spark(Path dataset, int warmups, int repeats, int cores, double targetAuc)
            throws Exception {
        final String missing = sparkMissing();
        if (missing != null) {
            return new PeerRun(List.of(), null, missing);
        }
        final Peer p = peer(sparkCommand(List.of("-Xmx4g"), "SparkPeers", dataset.toString(),
                                         Integer.toString(warmups), Integer.toString(repeats), Integer.toString(cores),
                                         String.format(Locale.ROOT, "%.6f", targetAuc)), "spark");
        if (p.failure != null) {
            return new PeerRun(List.of(), null, p.failure);
        }
        return new PeerRun(p.lines, "Spark " + p.header.path("spark").asText() + ", local["
                                    + p.header.path("cores").asInt() + ']', null);
    }

    private static Path sparkBuild() {
        return Path.of(System.getProperty("benchmarks.spark.build", "../benchmarks-spark/target"));
    }

    /** Why the {@code benchmarks-spark} build cannot be run, or null when it is there. */
    static String sparkMissing() {
        final Path build = sparkBuild();
        if (!Files.isRegularFile(build.resolve("spark-classpath.txt"))
            || !Files.isRegularFile(build.resolve("chimera-benchmarks-spark-0.1.0-SNAPSHOT.jar"))) {
            return "not built: `mvn -B -q -f benchmarks-spark/pom.xml package` builds it ("
                   + build.toAbsolutePath().normalize() + ')';
        }
        return null;
    }

    /** The command that runs {@code io.chimera.benchmarks.spark.<mainClass>} with {@code jvm} options and args. */
    static List<String> sparkCommand(List<String> jvm, String mainClass, String... args) throws java.io.IOException {
        final Path build = sparkBuild();
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvm);
        command.addAll(List.of("-XX:+IgnoreUnrecognizedVMOptions", "-Djdk.reflect.useDirectMethodHandle=false",
                               "-Dio.netty.tryReflectionSetAccessible=true"));
        // Spark 4 on JDK 17 needs these packages opened, as its own launcher does (JavaModuleOptions).
        for (String pkg : new String[] { "java.lang", "java.lang.invoke", "java.lang.reflect", "java.io", "java.net",
                                         "java.nio", "java.util", "java.util.concurrent",
                                         "java.util.concurrent.atomic", "jdk.internal.ref", "sun.nio.ch", "sun.nio.cs",
                                         "sun.security.action", "sun.util.calendar" }) {
            command.add("--add-opens=java.base/" + pkg + "=ALL-UNNAMED");
        }
        command.addAll(List.of("-cp", build.resolve("chimera-benchmarks-spark-0.1.0-SNAPSHOT.jar")
                                      + java.io.File.pathSeparator
                                      + Files.readString(build.resolve("spark-classpath.txt")).trim(),
                               "io.chimera.benchmarks.spark." + mainClass));
        command.addAll(List.of(args));
        return command;
    }

    /**
     * What a peer process printed: its header line (the one with {@code headerField}), its lines (those with a
     * {@code system}), any other objects it printed, or why it failed.
     */
    record Peer(JsonNode header, List<Line> lines, List<JsonNode> others, String failure) {}

    static Peer peer(List<String> command, String headerField) throws Exception {
        final Path err = Files.createTempFile("chimera-peer", ".err");
        try {
            final Process p = new ProcessBuilder(command).redirectError(err.toFile()).start();
            final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(20, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                return new Peer(null, List.of(), List.of(), "did not finish within 20 minutes");
            }
            if (p.exitValue() != 0) {
                return new Peer(null, List.of(), List.of(),
                                "exit " + p.exitValue() + ": " + lastLine(Files.readString(err)));
            }
            final List<Line> lines = new ArrayList<>();
            final List<JsonNode> others = new ArrayList<>();
            JsonNode header = JSON.createObjectNode();
            for (String line : out.split("\n")) {
                if (!line.startsWith("{")) {
                    continue;
                }
                final JsonNode j = JSON.readTree(line);
                if (j.has(headerField)) {
                    header = j;
                    continue;
                }
                if (!j.has("system")) {
                    others.add(j);
                    continue;
                }
                final double[] seconds = new double[j.get("seconds").size()];
                for (int i = 0; i < seconds.length; i++) {
                    seconds[i] = j.get("seconds").get(i).asDouble();
                }
                lines.add(new Line(j.get("system").asText(), Samples.of(seconds), j.get("auc").asDouble(),
                                   j.get("accuracy").asDouble(), j.path("n_iter").asInt(0)));
            }
            return new Peer(header, lines, others, null);
        } finally {
            Files.deleteIfExists(err);
        }
    }

    private static String lastLine(String text) {
        final String[] lines = text.strip().split("\n");
        return lines[lines.length - 1];
    }

    /** Prints a run's lines, for the console. */
    static void print(Result r) {
        System.out.printf(Locale.ROOT, "peers: target AUC %.4f - %.3f (%s); load %s -> %s%n", r.target(), WITHIN,
                          r.targetFrom(), r.loadBefore(), r.loadAfter());
        if (r.sklearnSkipped() != null) {
            System.out.println("peers: scikit-learn skipped: " + r.sklearnSkipped());
        }
        final List<Line> all = new ArrayList<>(r.sklearn());
        for (Line l : new Line[] { r.oneJvm200(), r.oneJvmToTarget(), r.sgd200(), r.sgdToTarget(), r.lbfgs(),
                                   r.bagging() }) {
            if (l != null) {
                all.add(l);
            }
        }
        for (Line l : all) {
            System.out.printf(Locale.ROOT, "peers: %-60s %s s, AUC %.4f, iterations %d%n", l.system(),
                              l.seconds().format(1, 3), l.auc(), l.iterations());
        }
        for (Line l : r.spark()) {
            System.out.printf(Locale.ROOT, "peers: %-60s %s s, AUC %.4f, iterations %d%n", l.system(),
                              l.seconds().format(1, 3), l.auc(), l.iterations());
        }
        System.out.println("peers: Spark MLlib: " + (r.sparkSkipped() == null ? r.sparkVersion()
                                                                               : "skipped: " + r.sparkSkipped()));
    }

    private PeersBenchmark() {}
}
