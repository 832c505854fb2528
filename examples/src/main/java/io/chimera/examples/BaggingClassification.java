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
 * chimera's random-forest example in Java, model parallelism: an {@link AggregationMaster} bags 1 to 4 depth-5
 * decision trees, every worker fitting its own bootstrap sample of the same rows; the master averages their
 * class probabilities. Workers: {@code examples/bagging-classification/chimera_workers/tree1..4.java}.
 *
 * <p>Run from the repository root (it builds the project first):
 * <pre>mvn -B -q -DskipTests -Pexample verify -Dexample=BaggingClassification [-Dexample.workers=1..4]</pre>
 * The data is {@code diabetes-like} (253,680 rows, not committed), found through {@code -Dchimera.datasets},
 * {@code $CHIMERA_DATASETS} or {@code shared/datasets} beside the repository; without it the example says so and
 * uses the bundled {@code breast-cancer}. {@code -Dexample.dataset=<name>} picks any dataset.
 */
public final class BaggingClassification {

    public static void main(String[] args) throws Exception {
        final String dataset = ExampleSettings.dataset("diabetes-like", "breast-cancer");
        final int workers = ExampleSettings.workers(4);
        System.out.println("Bagging classification on " + dataset + ": an AggregationMaster and " + workers
                           + " workers, each a depth-5 tree on a bootstrap sample of all training rows");
        Scores.print(run(Path.of("bagging-classification"), dataset, workers));
    }

    /** Runs the example in {@code project} (which holds its {@code chimera_workers/}); returns the scores. */
    static ObjectNode run(Path project, String dataset, int workers) throws Exception {
        final List<String> names = ExampleSettings.workerNames("tree", workers);
        ExampleData.trainData(project, dataset, names, false); // the same rows on every worker
        try (ChimeraRun run = Chimera.builder(new AggregationMaster()).port(0)
                                     .config(ExampleSettings.processRuntime(names)).projectDirectory(project)
                                     .start();
             ChimeraClient client = ChimeraClient.builder(run.baseUrl()).build()) {
            final long start = System.nanoTime();
            client.fit();
            final double fitSeconds = (System.nanoTime() - start) / 1e9;
            final Predictions predictions = client.predict(ExampleData.holdoutFeatures(dataset));
            return Scores.classification(predictions, ExampleData.holdoutLabels(dataset))
                         .put("workers", workers).put("holdout_rows", predictions.size())
                         .put("fit_seconds", fitSeconds);
        }
    }

    private BaggingClassification() {}
}
