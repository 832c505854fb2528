package io.chimera.examples;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.chimera.core.data.CsvDatasetLoader;
import io.chimera.core.data.Dataset;
import io.chimera.core.metrics.Metrics;
import io.chimera.server.Chimera;
import io.chimera.server.ChimeraRun;
import io.chimera.server.config.ChimeraConfig;
import io.chimera.strategy.aggregation.AggregationMaster;

/**
 * The README's demo: an {@link AggregationMaster} with three bagged decision-tree workers, each a child JVM
 * on loopback (no Docker needed), fitted on breast-cancer through chimera's REST API; it predicts the
 * holdout rows and prints the accuracy and ROC AUC, then stops everything.
 *
 * <p>Arguments: the mode, {@code once} (the default: run, report, stop) or {@code serve} (then keep the
 * master serving on port 8080, workers on 8081-8083, for curl, until Ctrl-C); the demo project folder
 * (default {@code demo}) and the dataset folder (default {@code ../data/breast-cancer}), both relative to the
 * working directory.
 */
public final class Demo {

    private static final List<String> WORKERS = List.of("tree1", "tree2", "tree3");
    private static final ObjectMapper JSON = new ObjectMapper();

    public static void main(String[] args) throws Exception {
        final boolean serve = args.length > 0 && "serve".equals(args[0]);
        final Path project = Path.of(args.length > 1 ? args[1] : "demo").toAbsolutePath().normalize();
        final Path data = Path.of(args.length > 2 ? args[2] : "../data/breast-cancer").toAbsolutePath().normalize();
        System.out.println("chimera demo: AggregationMaster + " + WORKERS.size()
                           + " bagged decision trees (process runtime) on " + data.getFileName());
        for (String w : WORKERS) {
            final Path dir = Files.createDirectories(project.resolve("chimera_train_data").resolve(w));
            final Path train = data.resolve("chimera_train_data").resolve("w1");
            Files.copy(train.resolve("X_train.csv"), dir.resolve("X_train.csv"), StandardCopyOption.REPLACE_EXISTING);
            Files.copy(train.resolve("y_train.csv"), dir.resolve("y_train.csv"), StandardCopyOption.REPLACE_EXISTING);
        }
        final ChimeraConfig config = ChimeraConfig.builder()
                                                  .workerNames(WORKERS)
                                                  .mappedPorts(serve ? new int[] {8081, 8082, 8083}
                                                                     : freePorts(WORKERS.size()))
                                                  .runtime("process")
                                                  .build();
        final long start = System.nanoTime();
        try (ChimeraRun run = Chimera.builder(new AggregationMaster()).port(serve ? 8080 : 0).config(config)
                                     .projectDirectory(project).start()) {
            System.out.printf("master on %s, workers up in %.1f s: %s%n", run.baseUrl(),
                              (System.nanoTime() - start) / 1e9, run.workers());
            final HttpClient http = HttpClient.newHttpClient();

            final HttpResponse<String> fit = post(http, run.baseUrl() + "/v1/chimera/aggregation/fit", null);
            System.out.println("POST /v1/chimera/aggregation/fit -> " + fit.statusCode() + ' ' + fit.body());

            final Dataset test = CsvDatasetLoader.load(data.resolve("X_test.csv"), data.resolve("y_test.csv"));
            final HttpResponse<String> predict = post(http, run.baseUrl() + "/v1/chimera/aggregation/predict",
                                                      predictBody(test));
            if (predict.statusCode() != 200) {
                System.out.println("predict failed: " + predict.statusCode() + ' ' + predict.body());
                System.exit(1);
            }
            final JsonNode rows = JSON.readTree(predict.body()).get("y_pred_rows");
            final double[] p = new double[rows.size()];
            for (int i = 0; i < p.length; i++) {
                p[i] = rows.get(i).asDouble();
            }
            System.out.println("POST /v1/chimera/aggregation/predict (" + test.rows() + " holdout rows) -> "
                               + p.length + " probabilities");
            System.out.printf("holdout accuracy = %.4f%n", Metrics.binaryAccuracy(p, test.labels()));
            System.out.printf("holdout ROC AUC  = %.4f%n", Metrics.rocAuc(p, test.labels()));
            if (serve) {
                System.out.println("serving on " + run.baseUrl() + " (API browser: " + run.baseUrl()
                                   + "/docs/); press Ctrl-C to stop");
                run.stopOnJvmExit();
                run.awaitTermination();
            }
        }
        System.out.println("master and workers stopped; logs in " + project.resolve("chimera_status.log")
                           + " and chimera_time.log");
    }

    static String predictBody(Dataset test) throws IOException {
        final ObjectNode body = JSON.createObjectNode();
        final ArrayNode columns = body.putArray("X_pred_columns");
        test.featureNames().forEach(columns::add);
        final ArrayNode rows = body.putArray("X_pred_rows");
        for (int r = 0; r < test.rows(); r++) {
            final ArrayNode row = rows.addArray();
            for (int c = 0; c < test.cols(); c++) {
                row.add(test.feature(r, c));
            }
        }
        return JSON.writeValueAsString(body);
    }

    static HttpResponse<String> post(HttpClient http, String url, String json) throws Exception {
        final HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url));
        if (json == null) {
            b.POST(HttpRequest.BodyPublishers.noBody());
        } else {
            b.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** {@code n} free loopback ports for the workers' mapped ports. */
    static int[] freePorts(int n) {
        return io.chimera.runtime.LocalPorts.free(n);
    }

    private Demo() {}
}
