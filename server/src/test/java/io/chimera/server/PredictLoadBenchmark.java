package io.chimera.server;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.linecorp.armeria.client.grpc.GrpcClients;

import io.chimera.common.Table;
import io.chimera.core.data.Dataset;
import io.chimera.proto.v1.AggregationMasterServiceGrpc;
import io.chimera.proto.v1.PredictRequest;
import io.chimera.proto.v1.PredictResponse;
import io.chimera.strategy.aggregation.AggregationMaster;

/**
 * A bounded load on a master's predict on loopback: an {@code AggregationMaster} with 3 bagged depth-5
 * trees (child JVMs) on breast-cancer, 16 concurrent clients × 2,000 predicts of 10 rows each, over REST
 * (HTTP/1.1, one connection per client) and then over gRPC. Every answer is checked against the expected
 * one; prints errors, throughput and latency percentiles.
 *
 * <pre>{@code
 * mvn -B -q -DskipTests -pl server -am -Pbenchmark-load verify [-Dload.clients=16 -Dload.calls=2000]
 * }</pre>
 */
public final class PredictLoadBenchmark {

    public static void main(String[] args) throws Exception {
        final int clients = args.length > 0 ? Integer.parseInt(args[0]) : 16;
        final int calls = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
        final Path dir = Files.createTempDirectory("chimera-load-");
        final TestProject project = new TestProject(dir).sameData("tree", 3, BaggingScenariosTest.CLASSIFIER,
                                                                  "breast-cancer");
        final Dataset test = BaggingScenariosTest.holdout("breast-cancer");
        final Table rows = Table.of(test.featureNames(), Arrays.copyOf(test.features(), 10 * test.cols()), 10);
        try (ChimeraRun run = Chimera.builder(new AggregationMaster()).port(0).config(project.config())
                                     .projectDirectory(dir).start()) {
            Rest.post(run.baseUrl() + "/v1/chimera/aggregation/fit", null);
            final String url = run.baseUrl() + "/v1/chimera/aggregation/predict";
            final String body = body(rows);
            final String expected = Rest.post(url, body).body();
            final PredictRequest request = rows.toPredictRequest();
            final PredictResponse reference = GrpcClients.newClient(
                    run.baseUrl(), AggregationMasterServiceGrpc.AggregationMasterServiceBlockingStub.class)
                    .predict(request);
            // A short warm-up of both paths, not counted.
            PredictLoad.rest(url, body, expected, clients, 50);
            PredictLoad.grpc(run.baseUrl(), request, reference, clients, 50);
            System.out.printf("predict load on loopback: %d clients x %d calls, 10 rows per call, 3 tree workers, " +
                              "%d cores%n", clients, calls, Runtime.getRuntime().availableProcessors());
            final PredictLoad.Result rest = PredictLoad.rest(url, body, expected, clients, calls);
            System.out.println("REST (HTTP/1.1 JSON): " + rest);
            final PredictLoad.Result grpc = PredictLoad.grpc(run.baseUrl(), request, reference, clients, calls);
            System.out.println("gRPC (HTTP/2 protobuf): " + grpc);
            if (rest.errors + grpc.errors > 0) {
                System.out.println("first errors: " + rest.firstErrors + ' ' + grpc.firstErrors);
                System.exit(1);
            }
        }
    }

    /** chimera's predict body for a table. */
    static String body(Table table) {
        final ObjectNode body = Rest.JSON.createObjectNode();
        table.columns().forEach(body.putArray("X_pred_columns")::add);
        final ArrayNode out = body.putArray("X_pred_rows");
        for (int r = 0; r < table.rows(); r++) {
            final ArrayNode row = out.addArray();
            for (int c = 0; c < table.cols(); c++) {
                row.add(table.get(r, c));
            }
        }
        return body.toString();
    }

    private PredictLoadBenchmark() {}
}
