package io.chimera.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import io.chimera.common.ChimeraPaths;
import io.chimera.core.learn.DecisionTreeClassifier;
import io.chimera.node.NodeServer;
import io.chimera.node.client.WorkerClient;
import io.chimera.node.client.WorkerTransport;
import io.chimera.strategy.Master;
import io.chimera.strategy.aggregation.AggregationMaster;
import io.chimera.strategy.aggregation.ClassificationWorker;
import io.chimera.strategy.internal.MasterAccess;
import io.chimera.strategy.parameterserver.ParameterServerMaster;
import io.chimera.strategy.parameterserver.SGDWorker;
import io.chimera.workers.Worker;
import io.chimera.workers.WorkerEnvironment;

/**
 * One node of each kind in this JVM, on iris, each a real {@link NodeServer} on a free port: a model worker
 * and an SGD worker started as their {@code serve()} starts them ({@link Worker#start(WorkerEnvironment)}), and
 * an {@link AggregationMaster} and a {@link ParameterServerMaster} served as {@link Chimera#run} serves them,
 * over gRPC to those workers. Both masters are fitted. The same code as a run with the process runtime,
 * without a JVM per worker, for tests that call the nodes many times. A JUnit extension: register it as a
 * static field and the nodes serve for the test class.
 */
final class InProcessNodes implements BeforeAllCallback, AfterAllCallback {

    /** iris's four feature columns, as the workers' training data names them. */
    static final List<String> COLUMNS = List.of("sepal_length_cm", "sepal_width_cm", "petal_length_cm",
                                                "petal_width_cm");

    /** {@code "X_pred_columns": [the four iris columns]}, to build predict bodies with. */
    static final String COLUMNS_JSON = "\"X_pred_columns\": [\"sepal_length_cm\", \"sepal_width_cm\", "
                                       + "\"petal_length_cm\", \"petal_width_cm\"]";

    static String validPredictBody() {
        return "{" + COLUMNS_JSON + ", \"X_pred_rows\": [[5.1, 3.5, 1.4, 0.2], [6.7, 3.0, 5.2, 2.3]]}";
    }

    private static NodeServer worker(Worker worker, String name) {
        return worker.start(WorkerEnvironment.from(Map.of(
                WorkerEnvironment.NAME, name,
                WorkerEnvironment.PORT, "0",
                WorkerEnvironment.TRAIN_DATA_DIR, TestProject.train("iris").toString())));
    }

    private static NodeServer master(Master master, String workerName, NodeServer worker) {
        final WorkerClient client = new WorkerClient(workerName, "http://127.0.0.1:" + worker.port(),
                                                     Duration.ofSeconds(30), 0, WorkerTransport.GRPC,
                                                     (w, path, seconds, error) -> {});
        return NodeServer.builder().name(master.toString()).service(MasterAccess.of(master).bind(master, List.of(client))).build().start();
    }

    private final Map<Node, NodeServer> servers = new EnumMap<>(Node.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        try {
            final NodeServer tree = add(Node.MODEL_WORKER, worker(
                    new ClassificationWorker(DecisionTreeClassifier.builder().maxDepth(3).build()), "tree1"));
            final NodeServer sgd = add(Node.SGD_WORKER, worker(new SGDWorker(), "sgd1"));
            add(Node.AGGREGATION_MASTER, master(new AggregationMaster(), "tree1", tree));
            add(Node.PARAMETER_SERVER_MASTER, master(ParameterServerMaster.builder().maxIter(20).build(), "sgd1", sgd));
            for (Node master : List.of(Node.AGGREGATION_MASTER, Node.PARAMETER_SERVER_MASTER)) {
                final HttpResponse<String> res = Rest.post(url(master) + master.fitPath, null);
                assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
            }
        } catch (RuntimeException | AssertionError e) {
            afterAll(context);
            throw e;
        }
    }

    private NodeServer add(Node node, NodeServer server) {
        servers.put(node, server);
        return server;
    }

    /** The node's base URL, {@code http://127.0.0.1:<port>}. */
    String url(Node node) {
        return "http://127.0.0.1:" + servers.get(node).port();
    }

    /** Asserts the node still answers its health route and a valid request to its route. */
    void assertServes(Node node) {
        final HttpResponse<String> health = Rest.get(url(node) + ChimeraPaths.HEALTH);
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).isEqualTo("{\"status\":\"ok\"}");
        final HttpResponse<String> ok = Rest.post(url(node) + node.path, node.validBody);
        assertThat(ok.statusCode()).as("%s after a bad request: %s", node, ok.body()).isEqualTo(200);
        assertThat(ok.body()).startsWith(node == Node.SGD_WORKER ? "{\"weights_gradients\":[" : "{\"y_pred_rows\":[");
    }

    /** Stops the masters, then the workers. */
    @Override
    public void afterAll(ExtensionContext context) {
        for (Node node : Node.values()) {
            final NodeServer server = servers.remove(node);
            if (server != null) {
                server.close();
            }
        }
    }

    /**
     * The kinds of node (masters first), each with its fit route, the route the bad-input tests use most and
     * a request that route accepts.
     */
    enum Node {
        AGGREGATION_MASTER(ChimeraPaths.AGGREGATION_FIT, ChimeraPaths.AGGREGATION_PREDICT, validPredictBody()),
        PARAMETER_SERVER_MASTER(ChimeraPaths.PARAMETER_SERVER_FIT, ChimeraPaths.PARAMETER_SERVER_PREDICT,
                                validPredictBody()),
        MODEL_WORKER(ChimeraPaths.MODEL_FIT, ChimeraPaths.MODEL_PREDICT, validPredictBody()),
        SGD_WORKER(null, ChimeraPaths.SGD_FIT_STEP, "{\"weights\": [0, 0, 0, 0], \"bias\": [0]}");

        final String fitPath;
        final String path;
        final String validBody;

        Node(String fitPath, String path, String validBody) {
            this.fitPath = fitPath;
            this.path = path;
            this.validBody = validBody;
        }
    }
}
