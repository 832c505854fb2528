package io.chimera.workers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.chimera.core.data.DataLoadException;
import io.chimera.core.learn.DecisionTreeClassifier;
import io.chimera.core.learn.DecisionTreeRegressor;
import io.chimera.node.NodeServer;
import io.chimera.strategy.aggregation.ClassificationWorker;
import io.chimera.strategy.aggregation.RegressionWorker;
import io.chimera.strategy.parameterserver.SGDWorker;

/** A worker loads its data before it serves: bad data stops it with the loader's one line, before any port. */
class WorkerStartTest {

    @TempDir
    Path dir;

    static final Map<String, Supplier<Worker>> KINDS = Map.of(
            "classification", () -> new ClassificationWorker(DecisionTreeClassifier.builder().maxDepth(2).build()),
            "regression", () -> new RegressionWorker(DecisionTreeRegressor.builder().maxDepth(2).build()),
            "sgd", SGDWorker::new);

    private WorkerEnvironment environment(int port) {
        return WorkerEnvironment.from(Map.of(WorkerEnvironment.NAME, "w1",
                                             WorkerEnvironment.PORT, Integer.toString(port),
                                             WorkerEnvironment.TRAIN_DATA_DIR, dir.toString()));
    }

    private void data(String x, String y) throws IOException {
        Files.writeString(dir.resolve("X_train.csv"), x);
        Files.writeString(dir.resolve("y_train.csv"), y);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** A bad data folder per row: X_train.csv and y_train.csv ({@code \\n} for a line break), the file named. */
    @ParameterizedTest(name = "{0} worker, {1}")
    @CsvSource(delimiter = '|', value = {
            "classification|non-numeric cell|a,b\\n1,2\\n3,x|y\\n0\\n1|X_train.csv|: data row 2: 'x' in column 'b' is not a number",
            "regression|ragged row|a,b\\n1,2\\n3|y\\n0\\n1|X_train.csv|: data row 2: expected 2 cells, found 1",
            "sgd|row counts differ|a\\n1\\n2|y\\n0|X_train.csv|has 2 data rows but ",
            "sgd|two label columns|a\\n1|y,z\\n0,1|y_train.csv|: header: expected exactly one label column, found 2",
    })
    void badData_refusesToStart_withTheLoadersLine_andBindsNoPort(String kind, String name, String x, String y,
                                                                  String file, String message) throws IOException {
        data(x.replace("\\n", "\n"), y.replace("\\n", "\n"));
        final int port = freePort();
        assertThatThrownBy(() -> KINDS.get(kind).get().start(environment(port)))
                .isInstanceOf(DataLoadException.class)
                .hasMessageStartingWith(dir.resolve(file).toString())
                .hasMessageContaining(message)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            assertThat(s.getLocalPort()).isEqualTo(port);
        }
    }

    @Test
    void classificationWorker_singleClass_refusesNamingTheLabelsFile() throws IOException {
        data("a\n1\n2\n3\n", "Label\n1\n1\n1\n");
        assertThatThrownBy(() -> KINDS.get("classification").get().start(environment(0)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(dir.resolve("y_train.csv") + ": label column 'label' has a single class (1.0) in all 3 "
                            + "data rows; a classifier needs at least two");
    }

    @Test
    void regressionWorker_singleLabelValue_starts() throws Exception {
        data("a\n1\n2\n3\n", "y\n1\n1\n1\n");
        final NodeServer server = KINDS.get("regression").get().start(environment(0));
        try {
            final HttpResponse<String> health = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/v1/chimera/health"))
                               .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
        } finally {
            server.close();
        }
    }
}
