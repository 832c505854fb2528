package io.chimera.client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import io.chimera.server.Chimera;
import io.chimera.server.ChimeraRun;
import io.chimera.server.config.ChimeraConfig;
import io.chimera.strategy.Master;

/**
 * A master with worker processes in a throw-away project: {@code chimera_workers/<name>.java} programs and
 * {@code chimera_train_data/<name>/} folders with a bundled dataset's training rows, as a user lays them out.
 */
final class TestCluster {

    /** A bundled dataset, {@code data/<name>} of the repository. */
    static Path dataset(String name) {
        for (Path p : List.of(Path.of("../data", name), Path.of("data", name))) {
            if (Files.isDirectory(p)) {
                return p.toAbsolutePath().normalize();
            }
        }
        throw new IllegalStateException("dataset " + name + " not found from " + Path.of("").toAbsolutePath());
    }

    /** Ports that were free a moment ago. */
    static int[] freePorts(int n) {
        final List<ServerSocket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                sockets.add(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
            }
            final int[] ports = sockets.stream().mapToInt(ServerSocket::getLocalPort).toArray();
            for (ServerSocket s : sockets) {
                s.close();
            }
            return ports;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Starts {@code master} with {@code n} workers {@code <prefix>1..n} running {@code statement}, each on all
     * training rows of {@code dataset}. Bagging workers derive their seed from their name.
     */
    static ChimeraRun start(Master master, Path dir, String prefix, int n, String statement, String dataset) {
        return start(master, dir, prefix, n, statement, dataset, Map.of());
    }

    /** As above, with the master's {@code environment} (its variables, e.g. {@code CHIMERA_API_TOKEN}). */
    static ChimeraRun start(Master master, Path dir, String prefix, int n, String statement, String dataset,
                            Map<String, String> environment) {
        final Path train = dataset(dataset).resolve("chimera_train_data").resolve("w1");
        final List<String> names = new ArrayList<>();
        try {
            final Path workers = Files.createDirectories(dir.resolve("chimera_workers"));
            for (int i = 1; i <= n; i++) {
                final String name = prefix + i;
                Files.writeString(workers.resolve(name + ".java"),
                                  "import io.chimera.workers.*;\nimport io.chimera.strategy.aggregation.*;\nimport io.chimera.strategy.parameterserver.*;\n"
                                  + "import io.chimera.core.learn.*;\n\n"
                                  + "public class " + name + " {\n"
                                  + "    public static void main(String[] args) {\n"
                                  + "        " + statement + "\n"
                                  + "    }\n"
                                  + "}\n");
                final Path data = Files.createDirectories(dir.resolve("chimera_train_data").resolve(name));
                Files.copy(train.resolve("X_train.csv"), data.resolve("X_train.csv"));
                Files.copy(train.resolve("y_train.csv"), data.resolve("y_train.csv"));
                names.add(name);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // Isolated from this JVM's environment, so a CHIMERA_* variable on the build machine changes nothing.
        final ChimeraConfig config = ChimeraConfig.builder()
                                                  .environment(environment)
                                                  .systemProperties(new Properties())
                                                  .workerNames(names)
                                                  .mappedPorts(freePorts(n))
                                                  .runtime("process")
                                                  .build();
        return Chimera.builder(master).port(0).config(config).projectDirectory(dir).start();
    }

    private TestCluster() {}
}
