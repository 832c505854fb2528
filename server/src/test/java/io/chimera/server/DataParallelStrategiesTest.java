package io.chimera.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import io.chimera.core.data.Dataset;
import io.chimera.core.metrics.Metrics;
import io.chimera.models.ModelMaster;
import io.chimera.proto.v1.ModelArtifact;
import io.chimera.strategy.Master;
import io.chimera.strategy.allreduce.AllReduceMaster;
import io.chimera.strategy.fedavg.FederatedAveragingMaster;
import io.chimera.strategy.parameterserver.ParameterServerMaster;
import io.chimera.strategy.parameterserver.SyncMode;
import io.chimera.strategy.sgd.LinearModel;

/**
 * Federated averaging and ring all-reduce, the two strategies written only against the strategy API, end to
 * end on the process runtime: fit, history, predict in chimera's JSON, status, export and serving the export.
 */
class DataParallelStrategiesTest {

    static final String FEDAVG_WORKER = "new io.chimera.strategy.fedavg.FederatedAveragingWorker().serve();";
    static final String ALL_REDUCE_WORKER = "new io.chimera.strategy.allreduce.AllReduceWorker().serve();";

    /** What a fit left: the holdout predictions, the history and the exported artifact. */
    record Fitted(double[] predictions, JsonNode history, JsonNode status, ModelArtifact artifact) {}

    static Fitted fitAndPredict(TestProject project, Master master, Dataset test) throws Exception {
        final String base = "/v1/chimera/" + master.strategy();
        try (ChimeraRun run = Chimera.builder(master).port(0).config(project.config())
                                     .projectDirectory(project.dir()).start()) {
            final HttpResponse<String> fit = Rest.post(run.baseUrl() + base + "/fit", null);
            assertThat(fit.statusCode()).as(fit.body()).isEqualTo(200);
            assertThat(fit.body()).isEqualTo("{\"fit\":\"ok\"}");
            final JsonNode history = Rest.json(Rest.get(run.baseUrl() + base + "/history").body());
            final JsonNode status = Rest.json(Rest.get(run.baseUrl() + "/v1/chimera/status").body());
            final HttpResponse<String> res = Rest.post(run.baseUrl() + base + "/predict", Rest.predictBody(test));
            assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
            final HttpResponse<String> model = Rest.get(run.baseUrl() + base + "/model");
            assertThat(model.statusCode()).as(model.body()).isEqualTo(200);
            final Path file = project.dir().resolve("model.json");
            Files.writeString(file, model.body());
            return new Fitted(Rest.doubles(Rest.json(res.body()).get("y_pred_rows")), history, status,
                              ModelMaster.read(file).artifact());
        }
    }

    @Test
    void federatedAveraging_fitsDiabetesOnFourWorkers(@TempDir Path dir) throws Exception {
        final Dataset test = SgdScenariosTest.holdout("diabetes-like");
        final Fitted f = fitAndPredict(new TestProject(dir).partitioned("fed", 4, FEDAVG_WORKER, "diabetes-like"),
                                       FederatedAveragingMaster.builder().loss("log_loss").rounds(10).build(), test);
        // scikit-learn on the same split: AUC .801, accuracy .866.
        assertThat(Metrics.rocAuc(f.predictions(), test.labels())).isGreaterThanOrEqualTo(0.80);
        assertThat(Metrics.binaryAccuracy(f.predictions(), test.labels())).isGreaterThanOrEqualTo(0.86);
        assertThat(f.history().get("state").asText()).isEqualTo("fitted");
        assertThat(f.history().get("stop_reason").asText()).isEqualTo("max_rounds");
        assertThat(f.history().get("iterations").size()).isEqualTo(10);
        // The training loss falls from round 1 (the zero model: ln 2) on.
        final JsonNode rounds = f.history().get("iterations");
        assertThat(rounds.get(0).get("loss").asDouble()).isCloseTo(Math.log(2), within(1e-3));
        assertThat(rounds.get(9).get("loss").asDouble()).isLessThan(0.36);
        assertThat(rounds.get(0).get("workers").size()).isEqualTo(4);
        // Per round: each of 4 workers gets and answers 22 parameters (8 bytes each), plus the setup and statistics.
        assertThat(f.history().get("bytes_sent").asLong()).isBetween(10L * 4 * 22 * 8, 10L * 4 * 22 * 8 + 20_000);
        assertThat(f.history().path("peer_bytes").asLong()).isZero();
        assertThat(f.status().at("/model/strategy").asText()).isEqualTo("federated-averaging");
        assertThat(f.status().at("/model/state").asText()).isEqualTo("fitted");
        assertThat(f.status().at("/model/progress/iteration").asLong()).isEqualTo(10);
        assertThat(f.artifact().getKind()).isEqualTo("federated-averaging");
        assertThat(f.artifact().getStrategyModel().getModelClass()).isEqualTo(LinearModel.class.getName());
        // The export, served with no workers, answers the same predictions.
        final io.chimera.common.Table rows = io.chimera.common.Table.of(test.featureNames(), test.features(),
                                                                        test.rows());
        assertThat(ModelMaster.of(f.artifact()).predict(rows).getYPredRowsList().stream()
                              .mapToDouble(Double::doubleValue).toArray())
                .containsExactly(f.predictions(), within(1e-12));
    }

    @Test
    void allReduce_fitsDiabetesOnFourWorkers(@TempDir Path dir) throws Exception {
        final Dataset test = SgdScenariosTest.holdout("diabetes-like");
        final Fitted f = fitAndPredict(new TestProject(dir).partitioned("ring", 4, ALL_REDUCE_WORKER,
                                                                        "diabetes-like"),
                                       AllReduceMaster.builder().loss("log_loss").build(), test);
        assertThat(Metrics.rocAuc(f.predictions(), test.labels())).isGreaterThanOrEqualTo(0.80);
        assertThat(Metrics.binaryAccuracy(f.predictions(), test.labels())).isGreaterThanOrEqualTo(0.86);
        assertThat(f.history().get("iterations").size()).isEqualTo(200);
        // Each step is placed when it ended (the workers report several per reply): 200 distinct, rising times.
        double last = 0;
        for (JsonNode step : f.history().get("iterations")) {
            assertThat(step.get("elapsed_seconds").asDouble()).isGreaterThan(last);
            last = step.get("elapsed_seconds").asDouble();
        }
        // Ring all-reduce: each step every worker sends 2 (N - 1) chunks of (22 + 2) / N values to its neighbour.
        assertThat(f.history().get("peer_bytes").asLong()).isGreaterThan(200L * 4 * 2 * 3 * 6 * 8);
        // The master sends no parameters: only the setup, and a few bytes per call.
        assertThat(f.history().get("bytes_sent").asLong()).isLessThan(10_000);
        assertThat(f.status().at("/model/strategy").asText()).isEqualTo("all-reduce");
    }

    /** Same options, same steps: ring all-reduce fits the synchronous parameter server's model. */
    @Test
    void allReduce_equalsTheSynchronousParameterServer(@TempDir Path dir) throws Exception {
        final Dataset test = SgdScenariosTest.holdout("breast-cancer");
        final Fitted ring = fitAndPredict(
                new TestProject(dir.resolve("ring")).partitioned("ring", 3, ALL_REDUCE_WORKER, "breast-cancer"),
                AllReduceMaster.builder().loss("log_loss").batchSize(32).maxIter(60).build(), test);
        final double[] ps = SgdScenariosTest.fitAndExport(
                new TestProject(dir.resolve("ps")).partitioned("ring", 3, SgdScenariosTest.SGD_WORKER,
                                                               "breast-cancer"),
                ParameterServerMaster.builder().loss("log_loss").batchSize(32).maxIter(60)
                                     .mode(SyncMode.synchronous()).build());
        final io.chimera.strategy.Payload model = io.chimera.strategy.Payload.fromProto(
                ring.artifact().getStrategyModel().getPayload());
        final double[] weights = model.vector("weights");
        final double[] bias = model.vector("bias");
        assertThat(weights.length + bias.length).isEqualTo(ps.length);
        for (int i = 0; i < weights.length; i++) {
            assertThat(weights[i]).as("weight %d", i).isCloseTo(ps[i], within(1e-5));
        }
        assertThat(bias[0]).isCloseTo(ps[weights.length], within(1e-5));
        // Not trivially equal: the model moved far from zero.
        assertThat(java.util.Arrays.stream(weights).map(Math::abs).max().orElse(0)).isGreaterThan(0.1);
    }
}
