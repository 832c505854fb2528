package io.chimera.examples;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.chimera.client.ChimeraClient;
import io.chimera.client.Predictions;
import io.chimera.common.Table;
import io.chimera.server.Chimera;
import io.chimera.server.ChimeraRun;
import io.chimera.server.config.ChimeraConfig;
import io.chimera.strategy.aggregation.AggregationMaster;

/**
 * chimera's {@code holdout_test.py} in Java: bags depth-5 trees (bootstrap, the same data on every worker),
 * fits and predicts the held-out rows through the Java client SDK, and writes the metrics as JSON —
 * accuracy, ROC AUC (binary) and per-class precision/recall/F1 for classification; MSE, MAE and R² for
 * regression.
 *
 * <p>Arguments: dataset (default {@code breast-cancer}; one of the bundled ones, or a shared one via
 * {@code $CHIMERA_DATASETS}), number of workers (default 4), output file (default
 * {@code target/holdout-metrics.json}).
 */
public final class HoldoutEvaluation {

    private static final ObjectMapper JSON = new ObjectMapper();

    public static void main(String[] args) throws Exception {
        final String dataset = args.length > 0 ? args[0] : "breast-cancer";
        final int workers = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        final Path output = Path.of(args.length > 2 ? args[2] : "target/holdout-metrics.json");
        final ObjectNode metrics = evaluate(dataset, workers);
        Files.createDirectories(output.toAbsolutePath().getParent());
        JSON.writerWithDefaultPrettyPrinter().writeValue(output.toFile(), metrics);
        System.out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(metrics));
        System.out.println("written to " + output.toAbsolutePath());
    }

    /** Runs the evaluation and returns the metrics. */
    public static ObjectNode evaluate(String dataset, int workers) throws Exception {
        final Path data = ExampleData.dataset(dataset);
        final boolean classification = "classification".equals(
                JSON.readTree(data.resolve("meta.json").toFile()).path("task").asText());
        final String statement = classification
                ? "new ClassificationWorker(DecisionTreeClassifier.builder().maxDepth(5).build(), true).serve();"
                : "new RegressionWorker(DecisionTreeRegressor.builder().maxDepth(5).build(), true).serve();";
        final Path dir = Files.createTempDirectory("chimera-holdout");
        try {
            final List<String> names = ExampleData.project(dir, dataset, "tree", workers, statement, false);
            final ChimeraConfig config = ChimeraConfig.builder().workerNames(names)
                                                      .mappedPorts(Demo.freePorts(workers)).runtime("process")
                                                      .build();
            try (ChimeraRun run = Chimera.builder(new AggregationMaster()).port(0).config(config)
                                         .projectDirectory(dir).start();
                 ChimeraClient client = ChimeraClient.builder(run.baseUrl()).build()) {
                client.fit();
                final Predictions predictions = client.predict(Table.readCsv(data.resolve("X_test.csv")));
                final double[] labels = Table.readCsv(data.resolve("y_test.csv")).values();
                final ObjectNode out = JSON.createObjectNode().put("dataset", dataset).put("workers", workers)
                                           .put("rows", labels.length);
                return out.setAll(classification ? Scores.classification(predictions, labels)
                                                 : Scores.regression(predictions, labels));
            }
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    private HoldoutEvaluation() {}
}
