package io.chimera.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import io.chimera.common.ErrorBody;
import io.chimera.core.data.CsvDatasetLoader;
import io.chimera.core.data.Dataset;
import io.chimera.runtime.WorkerStartException;
import io.chimera.server.config.ChimeraConfigException;
import io.chimera.strategy.aggregation.AggregationMaster;

/** chimera's failure rule: a failed worker is logged and skipped; the call fails only if all failed. */
class WorkerFailureTest {

    @Test
    void deadWorkers_areSkipped_andAllDead_answers503_masterStaysUp(@TempDir Path dir) throws Exception {
        final TestProject project = new TestProject(dir).sameData("tree", 3, BaggingScenariosTest.CLASSIFIER,
                                                                  "breast-cancer");
        final Path d = TestProject.dataset("breast-cancer");
        final Dataset test = CsvDatasetLoader.load(d.resolve("X_test.csv"), d.resolve("y_test.csv"));
        try (ChimeraRun run = Chimera.builder(new AggregationMaster()).port(0).config(project.config())
                                     .projectDirectory(dir).start()) {
            final String fitUrl = run.baseUrl() + "/v1/chimera/aggregation/fit";
            final String predictUrl = run.baseUrl() + "/v1/chimera/aggregation/predict";
            assertThat(Rest.post(fitUrl, null).statusCode()).isEqualTo(200);

            run.runtime().stop("tree2");
            final HttpResponse<String> fit = Rest.post(fitUrl, null);
            assertThat(fit.statusCode()).as(fit.body()).isEqualTo(200);
            final JsonNode body = Rest.json(fit.body());
            assertThat(body.get("fit").asText()).isEqualTo("ok");
            assertThat(body.get("failed_workers").get(0).asText()).isEqualTo("tree2");
            final HttpResponse<String> predict = Rest.post(predictUrl, Rest.predictBody(test));
            assertThat(predict.statusCode()).as(predict.body()).isEqualTo(200);
            assertThat(Rest.json(predict.body()).get("y_pred_rows")).hasSize(test.rows());

            run.runtime().stop("tree1");
            run.runtime().stop("tree3");
            final HttpResponse<String> dead = Rest.post(predictUrl, Rest.predictBody(test));
            assertThat(dead.statusCode()).as(dead.body()).isEqualTo(503);
            assertThat(ErrorBody.parse(503, dead.body()).errorType()).isEqualTo("WorkersUnavailableError");
            // The model in use is the last fit's: the ensemble of tree1 and tree3, which both failed now.
            assertThat(ErrorBody.parse(503, dead.body()).getMessage()).contains("tree1", "tree3")
                                                                   .doesNotContain("tree2");
            final HttpResponse<String> deadFit = Rest.post(fitUrl, null);
            assertThat(deadFit.statusCode()).isEqualTo(503);
            assertThat(Rest.get(run.baseUrl() + "/v1/chimera/health").statusCode()).isEqualTo(200);
        }
        assertThat(Files.readString(dir.resolve("chimera_status.log")))
                .contains("worker tree2 failed to fit");
    }

    @Test
    void workerWithoutData_failsStartWithItsNameAndLog(@TempDir Path dir) {
        final TestProject project = new TestProject(dir)
                .sameData("tree", 1, BaggingScenariosTest.CLASSIFIER, "breast-cancer")
                .worker("nodata", BaggingScenariosTest.CLASSIFIER, null, null);
        assertThatThrownBy(() -> Chimera.builder(new AggregationMaster()).port(0).config(project.config())
                                        .projectDirectory(dir).start())
                .isInstanceOf(WorkerStartException.class)
                .hasMessageContaining("nodata")
                .hasMessageContaining("X_train.csv");
    }

    @Test
    void invalidConfiguration_failsBeforeAnyWorkerStarts(@TempDir Path dir) {
        final TestProject project = new TestProject(dir).sameData("tree", 1, BaggingScenariosTest.CLASSIFIER,
                                                                  "breast-cancer");
        assertThatThrownBy(() -> project.config(Map.of("CHIMERA_NETWORK_SUBNET_MASK", "33")))
                .isInstanceOf(ChimeraConfigException.class)
                .hasMessageContaining("CHIMERA_NETWORK_SUBNET_MASK");
    }
}
