package io.chimera.lab;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.chimera.cli.CsvParts;
import io.chimera.client.ChimeraClient;
import io.chimera.client.MasterKind;
import io.chimera.client.Predictions;
import io.chimera.common.Table;
import io.chimera.core.linear.LearningRate;
import io.chimera.core.metrics.Metrics;
import io.chimera.proto.v1.IterationRecord;
import io.chimera.proto.v1.TrainingHistory;
import io.chimera.proto.v1.WorkerStep;
import io.chimera.server.Chimera;
import io.chimera.server.ChimeraRun;
import io.chimera.server.config.ChimeraConfig;
import io.chimera.server.config.ChimeraConfigBuilder;
import io.chimera.runtime.LocalPorts;
import io.chimera.server.config.WorkerInjection;
import io.chimera.strategy.Master;
import io.chimera.strategy.aggregation.AggregationMaster;
import io.chimera.strategy.allreduce.AllReduceMaster;
import io.chimera.strategy.fedavg.FederatedAveragingMaster;
import io.chimera.strategy.parameterserver.ParameterServerMaster;
import io.chimera.strategy.parameterserver.ParameterServerMasterBuilder;
import io.chimera.strategy.parameterserver.SyncMode;

/**
 * Runs every cell of an {@link ExperimentSpec} on a fresh cluster, one after another on this machine: writes a
 * throw-away project (declarative workers, the dataset split as the cell says), starts the master and its workers,
 * fits, reads the master's history, scores the holdout rows and stops everything. What each cell measured is a
 * {@link CellResult}; a cell that fails is recorded with its error and the experiment goes on.
 */
public final class ExperimentRunner {

    /** What the process runtime does to inject conditions, for the report. */
    public static final String INJECTION_METHOD =
            "in the worker: it sleeps before each step (step_delay_ms, counted as compute) and before each answer "
            + "(latency_ms, not counted), and exits at step exit_at_step, on every runtime (no tc netem)";

    private final ExperimentSpec spec;
    private final Consumer<String> progress;
    private final DatasetFiles data;

    public ExperimentRunner(ExperimentSpec spec, Consumer<String> progress) {
        this.spec = spec;
        this.progress = progress;
        this.data = DatasetFiles.of(spec);
    }

    /** One worker's part in a fit, as the master's history and the worker's own reports give it. */
    public record WorkerStats(String worker, int updates, double roundTripSeconds, double computeSeconds,
                              long bytesSent, long bytesReceived, boolean injected, double[] sentAt,
                              double[] stepSeconds) {
        /** Round trip less compute: the network, serialisation and queues. */
        public double communicationSeconds() {
            return Math.max(0, roundTripSeconds - computeSeconds);
        }
    }

    /** The bytes of a fit's messages: master to workers, workers to master, and between workers. */
    public record Bytes(long sent, long received, long peer) {
        static final Bytes NONE = new Bytes(0, 0, 0);

        public long total() {
            return sent + received + peer;
        }
    }

    /**
     * What one repeat of one cell measured. {@code error} is set when it failed; then {@code fitSeconds} is the
     * time until the fit failed (NaN when the cluster did not start) and the other figures are empty.
     * {@code updates} counts the parameter server's updates, or a strategy's rounds (a federated-averaging round,
     * an all-reduce step); {@code workers} is measured for parameter-server cells.
     */
    public record CellResult(int cellIndex, ExperimentSpec.Cell cell, String label, int repeat, double startSeconds,
                             double fitSeconds, Map<String, Double> metrics, int updates, String stopReason,
                             double[] elapsed, double[] loss, List<WorkerStats> workers, Bytes bytes,
                             List<String> dropped, String error) {

        /** The wall time from the fit's start to the first update whose training loss is at most {@code target}. */
        public double secondsTo(double target) {
            for (int i = 0; i < loss.length; i++) {
                if (loss[i] <= target) {
                    return elapsed[i];
                }
            }
            return Double.NaN;
        }

        /** Seconds each worker spent on no step of this fit: waiting for the others or for the master. */
        public double waitingSeconds(WorkerStats w) {
            return Math.max(0, fitSeconds - w.roundTripSeconds());
        }

        public boolean failed() {
            return error != null;
        }
    }

    /** Everything the experiment measured, in the order of its cells and repeats. */
    public record Result(ExperimentSpec spec, List<CellResult> cells, List<String> skipped, double targetLoss,
                         String task, double seconds) {}

    /** Runs the cells until done or the time budget is spent; cells left over are listed as skipped. */
    public Result run() {
        final List<ExperimentSpec.Cell> cells = spec.cells();
        final List<CellResult> results = new ArrayList<>();
        final List<String> skipped = new ArrayList<>();
        final long begin = System.nanoTime();
        for (int repeat = 1; repeat <= spec.repeats(); repeat++) {
            for (int i = 0; i < cells.size(); i++) {
                final ExperimentSpec.Cell cell = cells.get(i);
                final String label = cell.label(spec);
                if ((System.nanoTime() - begin) / 1e9 > spec.timeBudgetSeconds()) {
                    skipped.add(label + " (repeat " + repeat + "): the time budget of " + spec.timeBudgetSeconds()
                                + " s was spent");
                    continue;
                }
                progress.accept(String.format("cell %d/%d, repeat %d/%d: %s", i + 1, cells.size(), repeat,
                                              spec.repeats(), label));
                final CellResult r = runCell(i, cell, label, repeat);
                progress.accept(!r.failed() ? String.format("  fit %.3f s, %s", r.fitSeconds(), r.metrics())
                                : Double.isNaN(r.fitSeconds()) ? "  failed: " + r.error()
                                : String.format("  failed after %.3f s: %s", r.fitSeconds(), r.error()));
                results.add(r);
            }
        }
        double target = spec.targetLoss() != null ? spec.targetLoss() : Double.NaN;
        if (spec.targetLoss() == null) {
            // The loss that every cell reached: each cell's time to it compares like with like.
            target = results.stream().filter(r -> !r.failed() && r.loss().length > 0)
                            .mapToDouble(r -> r.loss()[r.loss().length - 1]).max().orElse(Double.NaN);
        }
        return new Result(spec, results, skipped, target, data.task, (System.nanoTime() - begin) / 1e9);
    }

    private CellResult runCell(int index, ExperimentSpec.Cell cell, String label, int repeat) {
        Path dir = null;
        // Kept for a cell that fails: how long its cluster took to start, and its fit to fail.
        double startSeconds = Double.NaN;
        long fitStart = 0;
        try {
            dir = Files.createTempDirectory("chimera-lab-");
            final List<String> names = new ArrayList<>();
            for (int w = 1; w <= cell.workers(); w++) {
                names.add("lab" + w);
            }
            writeProject(dir, names, cell);
            final ChimeraConfigBuilder config = ChimeraConfig.builder().workerNames(names)
                                                             .mappedPorts(LocalPorts.free(cell.workers()))
                                                             .runtime(cell.runtime()).cpuShares(cell.cpuShares())
                                                             .progress("off").healthInterval(java.time.Duration.ZERO);
            final Map<String, WorkerInjection> injections = new LinkedHashMap<>();
            final List<Integer> targets = cell.condition().targets(cell.workers());
            for (int t : targets) {
                final ExperimentSpec.Condition c = cell.condition();
                injections.put(names.get(t), new WorkerInjection(c.stepDelayMillis(), c.latencyMillis(),
                                                                 c.exitAtStep()));
            }
            config.injections(injections);
            final boolean ps = "parameter-server".equals(cell.strategy());
            final long start = System.nanoTime();
            try (ChimeraRun run = Chimera.builder(master(cell)).port(0).config(config.build()).projectDirectory(dir)
                                         .progressOutput(line -> { }).start();
                 ChimeraClient client = client(run.baseUrl(), cell.strategy())) {
                startSeconds = (System.nanoTime() - start) / 1e9;
                fitStart = System.nanoTime();
                client.fit();
                final double fitSeconds = (System.nanoTime() - fitStart) / 1e9;
                final Map<String, Double> metrics = score(client.predict(data.testFeatures));
                if (!cell.hasHistory()) {
                    return new CellResult(index, cell, label, repeat, startSeconds, fitSeconds, metrics, 0, "",
                                          new double[0], new double[0], List.of(), Bytes.NONE, List.of(), null);
                }
                final TrainingHistory history = client.history();
                // The parameter server's history also records its set-up rounds, which carry no worker step.
                final List<IterationRecord> its = history.getIterationsList().stream()
                                                         .filter(it -> !ps || it.getWorkersCount() > 0).toList();
                final double[] elapsed = its.stream().mapToDouble(IterationRecord::getElapsedSeconds).toArray();
                final double[] loss = its.stream().mapToDouble(IterationRecord::getLoss).toArray();
                return new CellResult(index, cell, label, repeat, startSeconds, fitSeconds, metrics, its.size(),
                                      history.getStopReason(), elapsed, loss,
                                      ps ? workerStats(its, names, targets) : List.of(),
                                      new Bytes(history.getBytesSent(), history.getBytesReceived(),
                                                history.getPeerBytes()),
                                      List.copyOf(history.getDroppedWorkersList()), null);
            }
        } catch (Exception e) {
            final String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            final double failedAfter = fitStart == 0 ? Double.NaN : (System.nanoTime() - fitStart) / 1e9;
            return new CellResult(index, cell, label, repeat, startSeconds, failedAfter, Map.of(), 0, "",
                                  new double[0], new double[0], List.of(), Bytes.NONE, List.of(), message);
        } finally {
            if (dir != null) {
                delete(dir);
            }
        }
    }

    private static List<WorkerStats> workerStats(List<IterationRecord> its, List<String> names,
                                                 List<Integer> injected) {
        final List<WorkerStats> stats = new ArrayList<>();
        for (int w = 0; w < names.size(); w++) {
            final String name = names.get(w);
            int updates = 0;
            double trip = 0;
            double compute = 0;
            long sent = 0;
            long received = 0;
            final List<double[]> spans = new ArrayList<>();
            for (IterationRecord it : its) {
                for (WorkerStep s : it.getWorkersList()) {
                    if (s.getWorker().equals(name)) {
                        updates++;
                        spans.add(new double[] { s.getSentAtSeconds(), s.getSeconds() });
                        trip += s.getSeconds();
                        compute += s.getComputeSeconds();
                        sent += s.getBytesSent();
                        received += s.getBytesReceived();
                    }
                }
            }
            stats.add(new WorkerStats(name, updates, trip, compute, sent, received, injected.contains(w),
                                      spans.stream().mapToDouble(x -> x[0]).toArray(),
                                      spans.stream().mapToDouble(x -> x[1]).toArray()));
        }
        return stats;
    }

    private static ChimeraClient client(String baseUrl, String strategy) {
        return switch (strategy) {
            case "parameter-server" -> ChimeraClient.builder(baseUrl).master(MasterKind.PARAMETER_SERVER).build();
            case "bagging" -> ChimeraClient.builder(baseUrl).master(MasterKind.AGGREGATION).build();
            default -> ChimeraClient.builder(baseUrl).strategy(strategy).build();
        };
    }

    private Master master(ExperimentSpec.Cell cell) {
        final Map<String, Object> o = spec.options();
        final double lr = cell.learningRate() > 0 ? cell.learningRate()
                                                  : ((Number) o.getOrDefault("learning_rate", 0.0)).doubleValue();
        final int batch = cell.batchSize() > 0 ? cell.batchSize() : (Integer) o.getOrDefault("batch_size", 0);
        switch (cell.strategy()) {
            case "bagging" -> {
                return new AggregationMaster();
            }
            case "federated-averaging" -> {
                final FederatedAveragingMaster.Builder b = FederatedAveragingMaster.builder()
                        .loss((String) o.get("loss")).alpha(((Number) o.get("alpha")).doubleValue())
                        .rounds((Integer) o.get("rounds")).localEpochs((Integer) o.get("local_epochs"));
                if (batch > 0) {
                    b.batchSize(batch);
                }
                if (lr > 0) {
                    b.learningRate(LearningRate.constant(lr));
                }
                return b.build();
            }
            case "all-reduce" -> {
                final AllReduceMaster.Builder b = AllReduceMaster.builder()
                        .loss((String) o.get("loss")).alpha(((Number) o.get("alpha")).doubleValue())
                        .maxIter((Integer) o.get("max_iter"));
                if (batch > 0) {
                    b.batchSize(batch);
                }
                if (lr > 0) {
                    b.learningRate(LearningRate.constant(lr));
                }
                return b.build();
            }
            default -> {
                // the parameter server, below
            }
        }
        final ParameterServerMasterBuilder b = ParameterServerMaster.builder()
                                                                    .loss((String) o.get("loss"))
                                                                    .maxIter((Integer) o.get("max_iter"))
                                                                    .alpha(((Number) o.get("alpha")).doubleValue())
                                                                    .optimizer((String) o.get("optimizer"))
                                                                    .logEvery(0)
                                                                    .mode(switch (cell.mode()) {
                                                                        case "asynchronous" -> SyncMode.asynchronous();
                                                                        case "bounded_staleness" ->
                                                                                SyncMode.boundedStaleness(cell.staleness());
                                                                        default -> SyncMode.synchronous();
                                                                    });
        if (batch > 0) {
            b.batchSize(batch);
        }
        if (lr > 0) {
            b.learningRate(LearningRate.constant(lr));
        }
        return b.build();
    }

    private void writeProject(Path dir, List<String> names, ExperimentSpec.Cell cell) throws IOException {
        final Path workers = Files.createDirectories(dir.resolve("chimera_workers"));
        final Map<String, Object> o = spec.options();
        final String worker;
        if ("parameter-server".equals(cell.strategy())) {
            worker = "{\"kind\": \"sgd\", \"loss\": \"" + o.get("loss") + "\"}";
        } else if (cell.hasHistory()) {
            worker = "{\"kind\": \"" + cell.strategy() + "\"}";
        } else {
            final boolean classification = "classification".equals(data.task);
            final int leaves = (Integer) o.get("max_leaf_nodes");
            worker = "{\"kind\": \"" + data.task + "\", \"learner\": \""
                     + (classification ? "decision_tree_classifier" : "decision_tree_regressor")
                     + "\", \"params\": {\"max_depth\": " + o.get("max_depth")
                     + (leaves > 0 ? ", \"max_leaf_nodes\": " + leaves : "") + "}, \"bootstrap\": "
                     + "same".equals(cell.split()) + '}';
        }
        for (int w = 0; w < names.size(); w++) {
            Files.writeString(workers.resolve(names.get(w) + ".json"), worker);
            final Path d = Files.createDirectories(dir.resolve("chimera_train_data").resolve(names.get(w)));
            final boolean partition = "partition".equals(cell.split());
            Files.write(d.resolve("X_train.csv"), CsvParts.part(data.trainFeatures, w, names.size(), partition));
            Files.write(d.resolve("y_train.csv"), CsvParts.part(data.trainLabels, w, names.size(), partition));
        }
    }

    private Map<String, Double> score(Predictions p) {
        final Map<String, Double> m = new LinkedHashMap<>();
        final double[] y = data.testLabels;
        if ("regression".equals(data.task)) {
            m.put("r2", Metrics.r2(p.values(), y));
            m.put("mse", Metrics.mse(p.values(), y));
        } else if (p.classes().length == 0) {
            m.put("roc_auc", Metrics.rocAuc(p.values(), y));
            m.put("accuracy", Metrics.binaryAccuracy(p.values(), y));
        } else {
            m.put("accuracy", Metrics.accuracy(p.values(), y));
        }
        return m;
    }

    private static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // A temporary folder left behind is not worth failing the experiment for.
        }
    }

    /** The dataset's rows as CSV lines, and its task. */
    static final class DatasetFiles {
        final List<String> trainFeatures;
        final List<String> trainLabels;
        final String task;
        final Table testFeatures;
        final double[] testLabels;

        private DatasetFiles(List<String> trainFeatures, List<String> trainLabels, List<String> testFeatures,
                             List<String> testLabels, String task) {
            this.trainFeatures = trainFeatures;
            this.trainLabels = trainLabels;
            this.testFeatures = Table.readCsv(new java.io.StringReader(String.join("\n", testFeatures)),
                                              "X_test.csv");
            this.testLabels = testLabels.stream().skip(1).mapToDouble(Double::parseDouble).toArray();
            this.task = task;
        }

        static DatasetFiles of(ExperimentSpec spec) {
            try {
                if (spec.datasetFolder() == null) {
                    final String base = "/io/chimera/cli/data/" + spec.dataset() + '/';
                    return new DatasetFiles(resource(base + "chimera_train_data/w1/X_train.csv"),
                                            resource(base + "chimera_train_data/w1/y_train.csv"),
                                            resource(base + "X_test.csv"), resource(base + "y_test.csv"),
                                            "diabetes-sklearn".equals(spec.dataset()) ? "regression"
                                                                                     : "classification");
                }
                final Path folder = spec.datasetFolder();
                final List<Path> shards;
                try (Stream<Path> s = Files.list(folder.resolve("chimera_train_data"))) {
                    shards = s.filter(Files::isDirectory).sorted().collect(Collectors.toList());
                }
                final List<String> x = new ArrayList<>();
                final List<String> y = new ArrayList<>();
                for (Path shard : shards) {
                    final List<String> xs = Files.readAllLines(shard.resolve("X_train.csv"));
                    final List<String> ys = Files.readAllLines(shard.resolve("y_train.csv"));
                    x.addAll(x.isEmpty() ? xs : xs.subList(1, xs.size()));
                    y.addAll(y.isEmpty() ? ys : ys.subList(1, ys.size()));
                }
                if (x.isEmpty()) {
                    throw new SpecException("dataset: " + folder + "/chimera_train_data has no worker folder");
                }
                final List<String> yTest = Files.readAllLines(folder.resolve("y_test.csv"));
                return new DatasetFiles(x, y, Files.readAllLines(folder.resolve("X_test.csv")), yTest,
                                        task(folder, y));
            } catch (IOException | IllegalArgumentException e) {
                throw new SpecException("dataset: " + spec.dataset() + " cannot be read (" + e.getMessage() + ')');
            }
        }

        /** meta.json's task when it has one; else classification when the labels are a few integers. */
        private static String task(Path folder, List<String> labels) throws IOException {
            final Path meta = folder.resolve("meta.json");
            if (Files.isRegularFile(meta)) {
                final String task = new ObjectMapper().readTree(meta.toFile()).path("task").asText("");
                if (task.equals("regression") || task.equals("classification")) {
                    return task;
                }
            }
            final long distinct = labels.stream().skip(1).distinct().count();
            final boolean integers = labels.stream().skip(1).allMatch(l -> l.trim().matches("-?[0-9]+(\\.0+)?"));
            return integers && distinct <= 20 ? "classification" : "regression";
        }

        private static List<String> resource(String name) throws IOException {
            try (InputStream in = ExperimentRunner.class.getResourceAsStream(name)) {
                if (in == null) {
                    throw new UncheckedIOException(new IOException(name + " is missing from the chimera-cli jar"));
                }
                return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().collect(Collectors.toList());
            }
        }
    }
}
