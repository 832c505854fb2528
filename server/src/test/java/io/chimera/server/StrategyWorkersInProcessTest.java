package io.chimera.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.chimera.common.Table;
import io.chimera.core.linear.LearningRate;
import io.chimera.node.NodeServer;
import io.chimera.node.client.WorkerClient;
import io.chimera.node.client.WorkerTransport;
import io.chimera.strategy.Master;
import io.chimera.strategy.allreduce.AllReduceWorker;
import io.chimera.strategy.fedavg.FederatedAveragingMaster;
import io.chimera.strategy.fedavg.FederatedAveragingWorker;
import io.chimera.strategy.internal.MasterAccess;
import io.chimera.workers.Worker;
import io.chimera.workers.WorkerEnvironment;

/**
 * The strategy workers' own rules, with the workers in this JVM: a retried all-reduce call gets the first call's
 * answer instead of running its steps twice, a call out of order is refused, an unknown step is a 404 naming the
 * steps, and federated averaging that diverges answers 409 {@code DivergenceError}.
 */
class StrategyWorkersInProcessTest {

    private static NodeServer start(Worker worker, String name, int port) {
        return worker.start(WorkerEnvironment.from(Map.of(
                WorkerEnvironment.NAME, name,
                WorkerEnvironment.PORT, Integer.toString(port),
                WorkerEnvironment.TRAIN_DATA_DIR, TestProject.train("breast-cancer").toString(),
                WorkerEnvironment.PEERS, name + "=127.0.0.1:" + port)));
    }

    /** What a master sends a ring's workers before the first step: logistic regression from zero, AdaGrad(0.5). */
    private static String prepareBody() throws Exception {
        final List<String> columns = new ArrayList<>();
        for (String c : Files.readAllLines(TestProject.train("breast-cancer").resolve("X_train.csv")).get(0)
                             .split(",")) {
            columns.add("\"" + Table.normalize(c) + "\"");
        }
        final List<String> zeros = new ArrayList<>();
        for (int i = 0; i <= columns.size(); i++) {
            zeros.add("0");
        }
        return "{\"texts\": {\"loss\": \"log_loss\", \"penalty\": \"L2\", \"learning_rate\": \"ADAGRAD\", \"seed\": \"0\"},"
               + " \"scalars\": {\"alpha\": 0.0001, \"l1_ratio\": 0.15, \"learning_rate_value\": 0.5,"
               + " \"learning_rate_power_t\": 0, \"batch_size\": 0, \"standardize\": 0, \"label_mean\": 0,"
               + " \"rows\": 455, \"fit_id\": 7, \"epsilon\": 0, \"tol\": -1, \"n_iter_no_change\": 5},"
               + " \"text_lists\": {\"features\": {\"values\": [" + String.join(", ", columns) + "]}},"
               + " \"tensors\": {\"classes\": {\"values\": [0, 1]}, \"parameters\": {\"values\": ["
               + String.join(", ", zeros) + "]}}}";
    }

    @Test
    void allReduce_aRetriedCallGetsTheFirstAnswer_andCallsOutOfOrderAreRefused() throws Exception {
        final int port = TestProject.freePorts(1).get(0);
        final NodeServer worker = start(new AllReduceWorker(), "solo", port);
        try {
            final String steps = "http://127.0.0.1:" + port + "/v1/chimera/all-reduce/steps/";
            final HttpResponse<String> prepared = Rest.post(steps + "prepare", prepareBody());
            assertThat(prepared.statusCode()).as(prepared.body()).isEqualTo(200);

            final String train = "{\"scalars\": {\"from\": 1, \"count\": 3}}";
            final HttpResponse<String> first = Rest.post(steps + "train", train);
            assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
            assertThat(Rest.json(first.body()).at("/tensors/losses/values").size()).isEqualTo(3);
            final HttpResponse<String> parameters = Rest.post(steps + "parameters", "{}");
            // The retry answers the same losses and moves nothing.
            final HttpResponse<String> retry = Rest.post(steps + "train", train);
            assertThat(retry.body()).isEqualTo(first.body());
            assertThat(Rest.post(steps + "parameters", "{}").body()).isEqualTo(parameters.body());

            final HttpResponse<String> skipped = Rest.post(steps + "train", "{\"scalars\": {\"from\": 7, \"count\": 1}}");
            assertThat(skipped.statusCode()).isEqualTo(409);
            assertThat(Rest.json(skipped.body()).at("/details/errorMessage").asText()).isEqualTo("StepOrderError");
            assertThat(Rest.json(skipped.body()).get("message").asText()).isEqualTo("worker solo is at step 4, not 7");
            final HttpResponse<String> next = Rest.post(steps + "train", "{\"scalars\": {\"from\": 4, \"count\": 2}}");
            assertThat(next.statusCode()).as(next.body()).isEqualTo(200);
            // The loss falls from ln 2 (the zero model) step by step.
            final JsonNode losses = Rest.json(first.body()).at("/tensors/losses/values");
            assertThat(losses.get(0).asDouble()).isEqualTo(Math.log(2), org.assertj.core.api.Assertions.within(1e-6));
            assertThat(Rest.json(next.body()).at("/tensors/losses/values").get(1).asDouble())
                    .isLessThan(losses.get(2).asDouble());

            final HttpResponse<String> unknown = Rest.post(steps + "shuffle", "{}");
            assertThat(unknown.statusCode()).isEqualTo(404);
            assertThat(Rest.json(unknown.body()).get("message").asText())
                    .isEqualTo("worker solo has no step 'shuffle' (steps: [chunk, parameters, prepare, statistics, "
                               + "train])");
            final HttpResponse<String> missing = Rest.post(steps + "train", "{\"scalars\": {\"count\": 1}}");
            assertThat(missing.statusCode()).isEqualTo(400);
            assertThat(Rest.json(missing.body()).get("message").asText())
                    .isEqualTo("the payload has no scalar 'from' (it holds: count)");
        } finally {
            worker.close();
        }
    }

    @Test
    void federatedAveraging_thatDiverges_answers409DivergenceError() {
        final int port = TestProject.freePorts(1).get(0);
        final NodeServer worker = start(new FederatedAveragingWorker(), "fed1", port);
        final Master master = FederatedAveragingMaster.builder().loss("log_loss").standardize(false)
                                                      .learningRate(LearningRate.constant(1e12)).rounds(3).build();
        final WorkerClient client = new WorkerClient("fed1", "http://127.0.0.1:" + port, Duration.ofSeconds(30), 0,
                                                     WorkerTransport.GRPC, (w, path, seconds, error) -> {});
        final NodeServer node = NodeServer.builder().name(master.toString())
                                          .service(MasterAccess.of(master).bind(master, List.of(client))).build()
                                          .start();
        try {
            final HttpResponse<String> fit = Rest.post("http://127.0.0.1:" + node.port()
                                                       + "/v1/chimera/federated-averaging/fit", null);
            assertThat(fit.statusCode()).as(fit.body()).isEqualTo(409);
            assertThat(Rest.json(fit.body()).at("/details/errorMessage").asText()).isEqualTo("DivergenceError");
            assertThat(Rest.json(fit.body()).get("message").asText()).contains("diverged", "learning rate");
            // The master stays up and says the fit failed.
            final JsonNode history = Rest.json(Rest.get("http://127.0.0.1:" + node.port()
                                                        + "/v1/chimera/federated-averaging/history").body());
            assertThat(history.get("state").asText()).isEqualTo("failed");
        } finally {
            node.close();
            worker.close();
        }
    }
}
