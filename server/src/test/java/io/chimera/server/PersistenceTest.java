package io.chimera.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import io.chimera.strategy.aggregation.AggregationMaster;
import io.chimera.strategy.parameterserver.ParameterServerMaster;

/**
 * Nothing lost across restarts: a master keeps its fitted model in {@code .chimera/models/} and a restarted
 * master answers predict with it, byte for byte, without a fit.
 */
class PersistenceTest {

    @Test
    void aggregation_restartedMasterServesTheSavedEnsembleWithoutRefitting(@TempDir Path dir) {
        final TestProject project = new TestProject(dir).sameData("tree", 3, BaggingScenariosTest.CLASSIFIER, "iris");
        final String body = Rest.predictBody(BaggingScenariosTest.holdout("iris"));
        final String before;
        try (ChimeraRun run = Chimera.builder(new AggregationMaster()).port(0).config(project.config())
                                     .projectDirectory(dir).start()) {
            assertThat(Rest.post(run.baseUrl() + "/v1/chimera/aggregation/fit", null).statusCode()).isEqualTo(200);
            before = Rest.post(run.baseUrl() + "/v1/chimera/aggregation/predict", body).body();
        }
        assertThat(dir.resolve(".chimera/models/aggregation.pb")).isRegularFile();

        try (ChimeraRun run = Chimera.builder(new AggregationMaster()).port(0).config(project.config())
                                     .projectDirectory(dir).start()) {
            // The new workers have no model: the answer comes from the saved ensemble.
            final HttpResponse<String> after = Rest.post(run.baseUrl() + "/v1/chimera/aggregation/predict", body);
            assertThat(after.statusCode()).as(after.body()).isEqualTo(200);
            assertThat(after.body()).isEqualTo(before);
            assertThat(Rest.get(run.baseUrl() + "/v1/chimera/aggregation/model").statusCode()).isEqualTo(200);
            final JsonNode restored = MasterStatusTest.status(run).get("model");
            assertThat(restored.get("state").asText()).isEqualTo("fitted");
            assertThat(restored.get("restored").asBoolean()).isTrue();
            assertThat(restored.has("fits")).as("no fit in this run").isFalse();
            // A new fit takes over from the saved model.
            assertThat(Rest.post(run.baseUrl() + "/v1/chimera/aggregation/fit", null).statusCode()).isEqualTo(200);
            assertThat(Rest.post(run.baseUrl() + "/v1/chimera/aggregation/predict", body).statusCode())
                    .isEqualTo(200);
            assertThat(MasterStatusTest.status(run).get("model").has("restored")).isFalse();
        }
    }

    /**
     * A fit that lost a worker is saved, marked partial: the restarted master serves it (not the complete fit
     * before it), and its status and log say that it comes from a partial fit and which worker it lost.
     */
    @Test
    void aggregation_aFitThatLostAWorker_isSavedAsPartial_andTheRestartSaysSo(@TempDir Path dir) throws Exception {
        final TestProject project = new TestProject(dir).sameData("tree", 3, BaggingScenariosTest.CLASSIFIER, "iris");
        final String body = Rest.predictBody(BaggingScenariosTest.holdout("iris"));
        final String partial;
        try (ChimeraRun run = Chimera.builder(new AggregationMaster()).port(0).config(project.config())
                                     .projectDirectory(dir).start()) {
            assertThat(Rest.post(run.baseUrl() + "/v1/chimera/aggregation/fit", null).statusCode()).isEqualTo(200);
            run.runtime().stop("tree3");
            final HttpResponse<String> fit = Rest.post(run.baseUrl() + "/v1/chimera/aggregation/fit", null);
            assertThat(fit.statusCode()).as(fit.body()).isEqualTo(200);
            assertThat(Rest.json(fit.body()).get("failed_workers").get(0).asText()).isEqualTo("tree3");
            partial = Rest.post(run.baseUrl() + "/v1/chimera/aggregation/predict", body).body();
            final JsonNode model = MasterStatusTest.status(run).get("model");
            assertThat(model.get("partial").asBoolean()).isTrue();
            assertThat(model.get("failed_workers").get(0).asText()).isEqualTo("tree3");
            final JsonNode exported = Rest.json(Rest.get(run.baseUrl() + "/v1/chimera/aggregation/model").body());
            assertThat(exported.get("bagging").get("members")).hasSize(2);
            assertThat(exported.get("fit").get("workers").asInt()).isEqualTo(3);
            assertThat(exported.get("fit").get("failed_workers").get(0).asText()).isEqualTo("tree3");
        }

        try (ChimeraRun run = Chimera.builder(new AggregationMaster()).port(0).config(project.config())
                                     .projectDirectory(dir).start()) {
            final HttpResponse<String> after = Rest.post(run.baseUrl() + "/v1/chimera/aggregation/predict", body);
            assertThat(after.statusCode()).as(after.body()).isEqualTo(200);
            assertThat(after.body()).as("the partial fit's model, not the complete one before it").isEqualTo(partial);
            final JsonNode model = MasterStatusTest.status(run).get("model");
            assertThat(model.get("restored").asBoolean()).isTrue();
            assertThat(model.get("partial").asBoolean()).isTrue();
            assertThat(model.get("failed_workers").get(0).asText()).isEqualTo("tree3");
            assertThat(java.nio.file.Files.readString(dir.resolve("chimera_status.log")))
                    .contains("AggregationMaster: restored the ensemble of 2 models saved in ")
                    .contains(", from a partial fit that lost [tree3] of its 3 workers); it answers predict until "
                              + "the next fit");
            // A complete fit takes over, and the status no longer says partial.
            assertThat(Rest.post(run.baseUrl() + "/v1/chimera/aggregation/fit", null).statusCode()).isEqualTo(200);
            final JsonNode refitted = MasterStatusTest.status(run).get("model");
            assertThat(refitted.has("partial")).isFalse();
            assertThat(refitted.has("failed_workers")).isFalse();
        }
    }

    @Test
    void parameterServer_restartedMasterServesTheSavedModelWithoutRefitting(@TempDir Path dir) throws Exception {
        final TestProject project = new TestProject(dir).partitioned("sgd", 2, SgdScenariosTest.SGD_WORKER,
                                                                     "breast-cancer");
        final String body = Rest.predictBody(BaggingScenariosTest.holdout("breast-cancer"));
        final String before;
        try (ChimeraRun run = Chimera.builder(ParameterServerMaster.builder().loss("log_loss").build()).port(0)
                                     .config(project.config()).projectDirectory(dir).start()) {
            assertThat(Rest.post(run.baseUrl() + "/v1/chimera/parameter-server/fit", null).statusCode())
                    .isEqualTo(200);
            before = Rest.post(run.baseUrl() + "/v1/chimera/parameter-server/predict", body).body();
        }
        final Path saved = dir.resolve(".chimera/models/parameter-server.pb");
        assertThat(saved).isRegularFile();
        // No temporary file is left next to it.
        try (var files = Files.list(saved.getParent())) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("parameter-server.pb");
        }

        try (ChimeraRun run = Chimera.builder(ParameterServerMaster.builder().loss("log_loss").build()).port(0)
                                     .config(project.config()).projectDirectory(dir).start()) {
            final HttpResponse<String> after = Rest.post(run.baseUrl() + "/v1/chimera/parameter-server/predict",
                                                         body);
            assertThat(after.statusCode()).as(after.body()).isEqualTo(200);
            assertThat(after.body()).isEqualTo(before);
        }
    }
}
