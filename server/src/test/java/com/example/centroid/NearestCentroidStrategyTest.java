package com.example.centroid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.chimera.common.Table;
import io.chimera.models.ModelMaster;
import io.chimera.server.Chimera;
import io.chimera.server.ChimeraRun;
import io.chimera.server.config.ChimeraConfig;

/**
 * A strategy defined here, in a package of its own, with chimera's public API only, runs end to end on the
 * process runtime: fit, predict in chimera's JSON, history, status, export, and the export served with no
 * workers. Nothing outside this package knows of it.
 */
class NearestCentroidStrategyTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final int FEATURES = 3;

    /** Two classes, Gaussian around (0, 0, 0) and (2, 2, 2); label 1 for the second. */
    private static double[][] rows(int n, long seed) {
        final SplittableRandom random = new SplittableRandom(seed);
        final double[][] out = new double[n][FEATURES + 1];
        for (int r = 0; r < n; r++) {
            final int label = random.nextInt(2);
            for (int j = 0; j < FEATURES; j++) {
                out[r][j] = 2 * label + gaussian(random);
            }
            out[r][FEATURES] = label;
        }
        return out;
    }

    private static double gaussian(SplittableRandom random) {
        return Math.sqrt(-2 * Math.log(1 - random.nextDouble())) * Math.cos(2 * Math.PI * random.nextDouble());
    }

    private static List<String> project(Path dir, int workers) throws IOException {
        final List<String> names = new ArrayList<>();
        for (int w = 1; w <= workers; w++) {
            final String name = "centroid" + w;
            names.add(name);
            Files.createDirectories(dir.resolve("chimera_workers"));
            Files.writeString(dir.resolve("chimera_workers").resolve(name + ".java"),
                              "public class " + name + " {\n    public static void main(String[] args) {\n"
                              + "        new com.example.centroid.NearestCentroidWorker().serve();\n    }\n}\n");
            final Path data = Files.createDirectories(dir.resolve("chimera_train_data").resolve(name));
            final StringBuilder x = new StringBuilder("f1,f2,f3\n");
            final StringBuilder y = new StringBuilder("label\n");
            for (double[] row : rows(200, w)) {
                x.append(row[0]).append(',').append(row[1]).append(',').append(row[2]).append('\n');
                y.append((int) row[3]).append('\n');
            }
            Files.writeString(data.resolve("X_train.csv"), x);
            Files.writeString(data.resolve("y_train.csv"), y);
        }
        return names;
    }

    private static int[] freePorts(int n) throws IOException {
        final List<ServerSocket> sockets = new ArrayList<>();
        final int[] ports = new int[n];
        for (int i = 0; i < n; i++) {
            final ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            sockets.add(s);
            ports[i] = s.getLocalPort();
        }
        for (ServerSocket s : sockets) {
            s.close();
        }
        return ports;
    }

    private static HttpResponse<String> send(String method, String url, String body) throws Exception {
        return send(method, url, body, null);
    }

    private static HttpResponse<String> send(String method, String url, String body, String token)
            throws Exception {
        final HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                                                 .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                                                                              : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void fitsPredictsReportsAndExports(@TempDir Path dir) throws Exception {
        final List<String> names = project(dir, 3);
        final ChimeraConfig config = ChimeraConfig.builder().environment(Map.of())
                                                  .systemProperties(new Properties()).workerNames(names)
                                                  .mappedPorts(freePorts(3)).runtime("process").build();
        final double[][] holdout = rows(300, 99);
        final StringBuilder body = new StringBuilder("{\"X_pred_columns\": [\"f1\", \"f2\", \"f3\"], \"X_pred_rows\": [");
        for (int r = 0; r < holdout.length; r++) {
            body.append(r == 0 ? "" : ",").append('[').append(holdout[r][0]).append(',').append(holdout[r][1])
                .append(',').append(holdout[r][2]).append(']');
        }
        body.append("]}");
        try (ChimeraRun run = Chimera.builder(new NearestCentroidMaster()).port(0).config(config)
                                     .projectDirectory(dir).start()) {
            final String base = run.baseUrl() + "/v1/chimera/nearest-centroid";
            // Before a fit: predict and export say so, with chimera's error body.
            final HttpResponse<String> early = send("POST", base + "/predict", body.toString());
            assertThat(early.statusCode()).isEqualTo(409);
            assertThat(JSON.readTree(early.body()).at("/details/errorMessage").asText()).isEqualTo("NotFittedError");

            final HttpResponse<String> fit = send("POST", base + "/fit", null);
            assertThat(fit.statusCode()).as(fit.body()).isEqualTo(200);
            assertThat(fit.body()).isEqualTo("{\"fit\":\"ok\"}");

            final HttpResponse<String> predicted = send("POST", base + "/predict", body.toString());
            assertThat(predicted.statusCode()).as(predicted.body()).isEqualTo(200);
            final JsonNode answer = JSON.readTree(predicted.body());
            int right = 0;
            for (int r = 0; r < holdout.length; r++) {
                final double p = answer.get("y_pred_rows").get(r).asDouble();
                right += (p > 0.5 ? 1 : 0) == (int) holdout[r][FEATURES] ? 1 : 0;
            }
            // Bayes accuracy for these two clusters is about 0.96.
            assertThat(right / (double) holdout.length).isGreaterThan(0.9);

            final HttpResponse<String> wrongColumns = send("POST", base + "/predict",
                                                           "{\"X_pred_columns\": [\"f1\"], \"X_pred_rows\": [[1]]}");
            assertThat(wrongColumns.statusCode()).isEqualTo(400);

            final JsonNode status = JSON.readTree(send("GET", run.baseUrl() + "/v1/chimera/status", null).body());
            assertThat(status.get("master").asText()).isEqualTo("NearestCentroidMaster");
            assertThat(status.at("/model/strategy").asText()).isEqualTo("nearest-centroid");
            assertThat(status.at("/model/state").asText()).isEqualTo("fitted");
            assertThat(status.at("/model/feature_columns").toString()).isEqualTo("[\"f1\",\"f2\",\"f3\"]");
            assertThat(status.get("workers").size()).isEqualTo(3);
            assertThat(status.get("workers").get(0).get("last_endpoint").asText())
                    .isEqualTo("/v1/chimera/nearest-centroid/steps/class-sums");

            final JsonNode history = JSON.readTree(send("GET", base + "/history", null).body());
            assertThat(history.get("state").asText()).isEqualTo("fitted");
            assertThat(history.get("iterations").size()).isEqualTo(1);

            // A worker's step route, called (with the run's secret) with a step it does not have: a 404 naming the
            // steps it has.
            final String worker = run.workers().get(0).baseUrl();
            final HttpResponse<String> unknown = send("POST", worker + "/v1/chimera/nearest-centroid/steps/nope", "{}",
                                                      run.workerSecret().orElseThrow());
            assertThat(unknown.statusCode()).isEqualTo(404);
            assertThat(unknown.body()).contains("class-sums");

            final HttpResponse<String> exported = send("GET", base + "/model", null);
            assertThat(exported.statusCode()).isEqualTo(200);
            final Path file = dir.resolve("model.json");
            Files.writeString(file, exported.body());
            final ModelMaster served = ModelMaster.read(file);
            assertThat(served.artifact().getKind()).isEqualTo("nearest-centroid");
            assertThat(served.artifact().getStrategyModel().getModelClass())
                    .isEqualTo(NearestCentroidModel.class.getName());
            final double[] values = new double[holdout.length * FEATURES];
            for (int r = 0; r < holdout.length; r++) {
                System.arraycopy(holdout[r], 0, values, r * FEATURES, FEATURES);
            }
            final List<Double> again = served.predict(Table.of(List.of("f1", "f2", "f3"), values, holdout.length))
                                             .getYPredRowsList();
            for (int r = 0; r < holdout.length; r++) {
                assertThat(again.get(r)).isCloseTo(answer.get("y_pred_rows").get(r).asDouble(), within(1e-12));
            }
        }
    }
}
