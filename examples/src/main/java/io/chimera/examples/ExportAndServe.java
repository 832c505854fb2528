package io.chimera.examples;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.util.JsonFormat;

import io.chimera.client.ChimeraClient;
import io.chimera.client.Predictions;
import io.chimera.common.Table;
import io.chimera.models.ModelMaster;
import io.chimera.proto.v1.ModelArtifact;
import io.chimera.server.Chimera;
import io.chimera.server.ChimeraRun;
import io.chimera.strategy.aggregation.AggregationMaster;

/**
 * Model export: bags 3 depth-5 trees on iris (the workers of {@code examples/bagging-classification}), exports
 * the fitted ensemble as a model artifact ({@code GET /v1/chimera/aggregation/model}, here through the client)
 * to {@code target/iris-model.json}, stops the workers, and serves the file with a {@link ModelMaster}, as
 * {@code Chimera.serveModel(file, port)} does from a main; the imported model answers predict on the same path
 * with the same predictions, with no workers at all.
 *
 * <p>Run from the repository root:
 * <pre>mvn -B -q -DskipTests -Pexample verify -Dexample=ExportAndServe [-Dexample.workers=1..4]</pre>
 */
public final class ExportAndServe {

    public static void main(String[] args) throws Exception {
        final int workers = ExampleSettings.workers(3);
        System.out.println("Export and serve: " + workers + " bagged trees on iris, exported, then served without "
                           + "workers");
        Scores.print(run(Path.of("bagging-classification"), "iris", workers, Path.of("target/iris-model.json")));
    }

    /**
     * Fits in {@code project}, exports to {@code file}, serves the file and predicts again; returns the scores
     * of the imported model and whether its predictions equal the master's.
     */
    static ObjectNode run(Path project, String dataset, int workers, Path file) throws Exception {
        final List<String> names = ExampleSettings.workerNames("tree", workers);
        ExampleData.trainData(project, dataset, names, false);
        final Table holdout = ExampleData.holdoutFeatures(dataset);
        final Predictions before;
        try (ChimeraRun run = Chimera.builder(new AggregationMaster()).port(0)
                                     .config(ExampleSettings.processRuntime(names)).projectDirectory(project)
                                     .start();
             ChimeraClient client = ChimeraClient.builder(run.baseUrl()).build()) {
            client.fit();
            before = client.predict(holdout);
            final ModelArtifact artifact = client.exportModel();
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, JsonFormat.printer().print(artifact));
        } // The workers stop here.

        final ModelMaster imported = ModelMaster.read(file);
        try (ChimeraRun run = Chimera.builder(imported).port(0).projectDirectory(project).start();
             ChimeraClient client = ChimeraClient.builder(run.baseUrl()).build()) {
            final Predictions after = client.predict(holdout);
            final ModelArtifact artifact = imported.artifact();
            return Scores.classification(after, ExampleData.holdoutLabels(dataset))
                         .put("artifact", file.toAbsolutePath().normalize().toString())
                         .put("artifact_bytes", Files.size(file))
                         .put("members", artifact.getBagging().getMembersCount())
                         .put("workers_serving", run.workers().size())
                         .put("same_predictions", Arrays.equals(before.values(), after.values())
                                                  && Arrays.deepEquals(before.probabilities(), after.probabilities()));
        }
    }

    private ExportAndServe() {}
}
