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

    /** Answers its health check at once but every other call only after 60 s: it hangs. */
    private static final String HANGING_TREE =
            "io.chimera.server.SlowProxyWorker.main(new String[] {\"classification\", \"60000\"});";

    @Test
    void hangingWorker_timesOutAfterEachRetry_andTheFitFinishesOnTheOthers(@TempDir Path dir) {
        final TestProject project = new TestProject(dir).sameData("tree", 2, BaggingScenariosTest.CLASSIFIER,
                                                                  "breast-cancer");
        project.worker("hang", HANGING_TREE, TestProject.train("breast-cancer").resolve("X_train.csv"),
                       TestProject.train("breast-cancer").resolve("y_train.csv"));
        // 2 s: a first tree fit in a cold worker JVM took more than 0.5 s three times over at load average 15 (a
        // CI run beside two builds), and the healthy worker was dropped with the hanging one.
        final Map<String, String> env = Map.of("CHIMERA_WORKERS_ENDPOINTS_TIMEOUT", "2",
                                               "CHIMERA_WORKERS_ENDPOINTS_MAX_RETRIES", "2");
        try (ChimeraRun run = Chimera.builder(new AggregationMaster()).port(0).config(project.config(env))
                                     .projectDirectory(dir).start()) {
            final long start = System.nanoTime();
            final HttpResponse<String> fit = Rest.post(run.baseUrl() + "/v1/chimera/aggregation/fit", null);
            final double seconds = (System.nanoTime() - start) / 1e9;

            assertThat(fit.statusCode()).as(fit.body()).isEqualTo(200);
            assertThat(Rest.json(fit.body()).get("failed_workers")).extracting(JsonNode::asText)
                                                                   .containsExactly("hang");
            // Three attempts (one try and two retries) of 2 s each; never the worker's 60 s.
            assertThat(seconds).isGreaterThanOrEqualTo(6).isLessThan(40);
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
