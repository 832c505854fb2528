package io.chimera.examples;

import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.chimera.client.ChimeraClient;
import io.chimera.client.Predictions;
import io.chimera.server.Chimera;
import io.chimera.server.ChimeraRun;
import io.chimera.strategy.aggregation.AggregationMaster;

/**
 * Bagged regression trees, hybrid parallelism: each of 1 to 4 workers holds its own part of the wine-like
 * rows and fits a depth-6 regression tree on a bootstrap sample of it; the {@link AggregationMaster} answers
 * the mean of their predictions. Workers: {@code examples/bagging-regression/chimera_workers/tree1..4.java}.
 *
 * <p>Run from the repository root:
 * <pre>mvn -B -q -DskipTests -Pexample verify -Dexample=BaggingRegression [-Dexample.workers=1..4]</pre>
 */
public final class BaggingRegression {

    public static void main(String[] args) throws Exception {
        final String dataset = ExampleSettings.dataset("wine-like", "wine-like");
        final int workers = ExampleSettings.workers(3);
        System.out.println("Bagging regression on " + dataset + ": an AggregationMaster and " + workers
                           + " workers, each a depth-6 tree on a bootstrap sample of its own part of the rows");
        Scores.print(run(Path.of("bagging-regression"), dataset, workers));
    }

    /** Runs the example in {@code project} (which holds its {@code chimera_workers/}); returns the scores. */
    static ObjectNode run(Path project, String dataset, int workers) throws Exception {
        final List<String> names = ExampleSettings.workerNames("tree", workers);
        ExampleData.trainData(project, dataset, names, true); // a different part of the rows on each worker
        try (ChimeraRun run = Chimera.builder(new AggregationMaster()).port(0)
                                     .config(ExampleSettings.processRuntime(names)).projectDirectory(project)
                                     .start();
             ChimeraClient client = ChimeraClient.builder(run.baseUrl()).build()) {
            final long start = System.nanoTime();
            client.fit();
            final double fitSeconds = (System.nanoTime() - start) / 1e9;
            final Predictions predictions = client.predict(ExampleData.holdoutFeatures(dataset));
            return Scores.regression(predictions, ExampleData.holdoutLabels(dataset))
                         .put("workers", workers).put("holdout_rows", predictions.size())
                         .put("fit_seconds", fitSeconds);
        }
    }

    private BaggingRegression() {}
}
