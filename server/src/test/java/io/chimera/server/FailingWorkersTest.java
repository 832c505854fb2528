package io.chimera.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import io.chimera.strategy.aggregation.AggregationMaster;
import io.chimera.strategy.parameterserver.ParameterServerMaster;

/**
 * Workers that hang or die: the master honours CHIMERA_WORKERS_ENDPOINTS_TIMEOUT and _MAX_RETRIES, finishes
 * on the others, names the failed ones, and takes a restarted worker back on the next fit.
 */
class FailingWorkersTest {

    /** Answers its health check at once but every other call only after 20 s: it hangs. */
    private static final String HANGING_TREE =
            "io.chimera.server.SlowProxyWorker.main(new String[] {\"classification\", \"20000\"});";

    @Test
    void hangingWorker_timesOutAfterEachRetry_andTheFitFinishesOnTheOthers(@TempDir Path dir) {
        final TestProject project = new TestProject(dir).sameData("tree", 2, BaggingScenariosTest.CLASSIFIER,
                                                                  "breast-cancer");
        project.worker("hang", HANGING_TREE, TestProject.train("breast-cancer").resolve("X_train.csv"),
                       TestProject.train("breast-cancer").resolve("y_train.csv"));
        final Map<String, String> env = Map.of("CHIMERA_WORKERS_ENDPOINTS_TIMEOUT", "0.5",
                                               "CHIMERA_WORKERS_ENDPOINTS_MAX_RETRIES", "2");
        try (ChimeraRun run = Chimera.builder(new AggregationMaster()).port(0).config(project.config(env))
                                     .projectDirectory(dir).start()) {
            final long start = System.nanoTime();
            final HttpResponse<String> fit = Rest.post(run.baseUrl() + "/v1/chimera/aggregation/fit", null);
            final double seconds = (System.nanoTime() - start) / 1e9;

            assertThat(fit.statusCode()).as(fit.body()).isEqualTo(200);
            assertThat(Rest.json(fit.body()).get("failed_workers")).extracting(JsonNode::asText)
                                                                   .containsExactly("hang");
            // Three attempts (one try and two retries) of 0.5 s each; never the worker's 20 s.
            assertThat(seconds).isGreaterThanOrEqualTo(1.5).isLessThan(10);
            assertThat(Rest.get(run.baseUrl() + "/v1/chimera/health").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void deadWorker_isNamed_thenRestarted_andRejoinsTheNextFit(@TempDir Path dir) {
        final TestProject project = new TestProject(dir).partitioned("sgd", 3, SgdScenariosTest.SGD_WORKER,
                                                                     "breast-cancer");
        final ParameterServerMaster master = ParameterServerMaster.builder().loss("log_loss").maxIter(50).build();
        try (ChimeraRun run = Chimera.builder(master).port(0).config(project.config()).projectDirectory(dir)
                                     .start()) {
            final String fit = run.baseUrl() + "/v1/chimera/parameter-server/fit";
            run.runtime().stop("sgd3");
            final HttpResponse<String> without = Rest.post(fit, null);
            assertThat(without.statusCode()).as(without.body()).isEqualTo(200);
            assertThat(Rest.json(without.body()).get("failed_workers")).extracting(JsonNode::asText)
                                                                       .containsExactly("sgd3");

            run.runtime().restart("sgd3");
            final HttpResponse<String> with = Rest.post(fit, null);
            assertThat(with.statusCode()).as(with.body()).isEqualTo(200);
            assertThat(Rest.json(with.body()).path("failed_workers")).isEmpty();
        }
    }
}
