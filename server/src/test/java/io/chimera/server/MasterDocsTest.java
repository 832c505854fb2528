package io.chimera.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import io.chimera.models.ModelMaster;
import io.chimera.strategy.Master;
import io.chimera.strategy.aggregation.AggregationMaster;
import io.chimera.strategy.parameterserver.ParameterServerMaster;

/**
 * The API browser of each master ({@code /docs}) lists every service the master serves with every method, over gRPC
 * and over REST, as read from the DocService's specification: for both masters served as {@link Chimera#run}
 * serves them (here on a runtime that starts no worker) and for the model server ({@link Chimera#serveModel}).
 */
class MasterDocsTest {

    private static final List<String> STATUS = List.of("chimera.v1.StatusService/Status",
                                                       "chimera.v1.StatusService/Latencies");

    @TempDir
    Path dir;

    @Test
    void aggregationMaster_listsFitPredictExportAndStatus() {
        assertThat(listedMethods(new AggregationMaster())).containsExactlyInAnyOrderElementsOf(overBoth(STATUS,
                "chimera.v1.AggregationMasterService/Fit", "chimera.v1.AggregationMasterService/Predict",
                "chimera.v1.AggregationMasterService/Export"));
    }

    @Test
    void parameterServerMaster_listsFitPredictHistoryExportAndStatus() {
        assertThat(listedMethods(ParameterServerMaster.builder().build())).containsExactlyInAnyOrderElementsOf(
                overBoth(STATUS,
                         "chimera.v1.ParameterServerMasterService/Fit",
                         "chimera.v1.ParameterServerMasterService/Predict",
                         "chimera.v1.ParameterServerMasterService/History",
                         "chimera.v1.ParameterServerMasterService/Export"));
    }

    @Test
    void modelServer_listsTheServiceOfTheMasterThatExportedTheModel() {
        assertThat(listedMethods(ModelMaster.of(ModelArtifactTest.linearArtifact())))
                .containsExactlyInAnyOrderElementsOf(overBoth(STATUS,
                        "chimera.v1.ParameterServerMasterService/Fit",
                        "chimera.v1.ParameterServerMasterService/Predict",
                        "chimera.v1.ParameterServerMasterService/History",
                        "chimera.v1.ParameterServerMasterService/Export"));
        assertThat(listedMethods(ModelMaster.of(ModelArtifactTest.baggingArtifact())))
                .containsExactlyInAnyOrderElementsOf(overBoth(STATUS,
                        "chimera.v1.AggregationMasterService/Fit", "chimera.v1.AggregationMasterService/Predict",
                        "chimera.v1.AggregationMasterService/Export"));
    }

    /** Serves {@code master}, reads its {@code /docs/specification.json}, returns {@code service/method}s. */
    private List<String> listedMethods(Master master) {
        final Chimera.Builder builder = Chimera.builder(master).port(0).progressOutput(line -> {});
        if (!(master instanceof ModelMaster)) {
            builder.projectDirectory(RecordingRuntime.project(dir)).config(RecordingRuntime.CONFIG)
                   .runtime(new RecordingRuntime());
        } else {
            builder.projectDirectory(dir);
        }
        try (ChimeraRun run = builder.start()) {
            final HttpResponse<String> res = Rest.get(run.baseUrl() + "/docs/specification.json");
            assertThat(res.statusCode()).isEqualTo(200);
            final List<String> listed = new ArrayList<>();
            for (JsonNode service : Rest.json(res.body()).get("services")) {
                for (JsonNode method : service.get("methods")) {
                    listed.add(service.get("name").asText() + '/' + method.get("name").asText());
                }
            }
            return listed;
        }
    }

    /**
     * {@code methods} and {@code more}, each listed twice as DocService lists a transcoded gRPC method: under its
     * gRPC service, and under {@code <service>_HTTP} with its REST route.
     */
    private static List<String> overBoth(List<String> methods, String... more) {
        final List<String> all = new ArrayList<>(methods);
        all.addAll(List.of(more));
        for (String method : List.copyOf(all)) {
            all.add(method.replace("/", "_HTTP/"));
        }
        return all;
    }
}
