package io.chimera.examples;

import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.chimera.client.ChimeraClient;
import io.chimera.client.MasterKind;
import io.chimera.client.Predictions;
import io.chimera.proto.v1.TrainingHistory;
import io.chimera.server.Chimera;
import io.chimera.server.ChimeraRun;
import io.chimera.strategy.parameterserver.ParameterServerMaster;

/**
 * chimera's logistic-regression example in Java, data parallelism: a {@link ParameterServerMaster} runs 200
 * synchronous SGD iterations of the log loss over 1 to 4 {@code SGDWorker}s, each holding its own shard of the
 * rows and answering the gradient over it; the master averages the gradients and updates the weights.
 * Workers: {@code examples/sgd-classification/chimera_workers/sgd1..4.java}.
 *
 * <p>Run from the repository root:
 * <pre>mvn -B -q -DskipTests -Pexample verify -Dexample=SgdClassification [-Dexample.workers=1..4]</pre>
 * The data is {@code diabetes-like}, found and replaced as in {@link BaggingClassification}.
 */
public final class SgdClassification {

    public static void main(String[] args) throws Exception {
        final String dataset = ExampleSettings.dataset("diabetes-like", "breast-cancer");
        final int workers = ExampleSettings.workers(4);
        System.out.println("SGD classification on " + dataset + ": a ParameterServerMaster (log loss, 200 "
                           + "synchronous iterations) and " + workers + " SGD workers, each on its own shard");
        Scores.print(run(Path.of("sgd-classification"), dataset, workers));
    }

    /** Runs the example in {@code project} (which holds its {@code chimera_workers/}); returns the scores. */
    static ObjectNode run(Path project, String dataset, int workers) throws Exception {
        final List<String> names = ExampleSettings.workerNames("sgd", workers);
        ExampleData.trainData(project, dataset, names, true); // one shard of the rows per worker
        final ParameterServerMaster master = ParameterServerMaster.builder().loss("log_loss").maxIter(200).build();
        try (ChimeraRun run = Chimera.builder(master).port(0).config(ExampleSettings.processRuntime(names))
                                     .projectDirectory(project).start();
             ChimeraClient client = ChimeraClient.builder(run.baseUrl()).master(MasterKind.PARAMETER_SERVER)
                                                 .build()) {
            client.fit();
            final TrainingHistory history = client.history();
            final Predictions predictions = client.predict(ExampleData.holdoutFeatures(dataset));
            return Scores.classification(predictions, ExampleData.holdoutLabels(dataset))
                         .put("workers", workers).put("holdout_rows", predictions.size())
                         .setAll(Scores.training(history));
        }
    }

    private SgdClassification() {}
}
