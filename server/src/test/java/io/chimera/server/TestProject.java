package io.chimera.server;

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

import io.chimera.server.config.ChimeraConfig;

/**
 * A throw-away chimera project for tests: {@code chimera_workers/<name>.java} worker programs and
 * {@code chimera_train_data/<name>/} folders cut from the bundled datasets, laid out exactly as a user's.
 */
public final class TestProject {

    /** A bundled dataset ({@code data/<name>}): {@code X_test.csv} here, training rows in {@link #train}. */
    static Path dataset(String name) {
        final List<Path> candidates = new ArrayList<>(List.of(Path.of("../data", name), Path.of("data", name)));
        final String env = System.getenv("CHIMERA_DATASETS");
        if (env != null && !env.isBlank()) {
            candidates.add(Path.of(env, name));
        }
        candidates.add(Path.of("../../shared/datasets", name));
        candidates.add(Path.of("../shared/datasets", name));
        for (Path p : candidates) {
            if (Files.isDirectory(p)) {
                return p.toAbsolutePath().normalize();
            }
        }
        throw new IllegalStateException("dataset " + name + " not found in " + candidates + " from "
                                        + Path.of("").toAbsolutePath() + "; set CHIMERA_DATASETS");
    }

    /** The training files of a bundled dataset: {@code chimera_train_data/w1/}. */
    public static Path train(String name) {
        return dataset(name).resolve("chimera_train_data").resolve("w1");
    }

    static List<Integer> freePorts(int n) {
        final List<ServerSocket> sockets = new ArrayList<>();
        final List<Integer> ports = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                final ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
                sockets.add(s);
                ports.add(s.getLocalPort());
            }
            for (ServerSocket s : sockets) {
                s.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return ports;
    }

    private final Path dir;
    private final List<String> names = new ArrayList<>();

    TestProject(Path dir) {
        this.dir = dir;
    }

    Path dir() {
        return dir;
    }

    List<String> names() {
        return names;
    }

    /** Adds a worker whose main runs {@code statement} (e.g. {@code new ClassificationWorker(...).serve();}). */
    TestProject worker(String name, String statement, Path xCsv, Path yCsv) {
        try {
            final Path workers = Files.createDirectories(dir.resolve("chimera_workers"));
            Files.writeString(workers.resolve(name + ".java"),
                              "import io.chimera.workers.*;\nimport io.chimera.strategy.aggregation.*;\nimport io.chimera.strategy.parameterserver.*;\n"
                              + "import io.chimera.core.learn.*;\n\n"
                              + "public class " + name + " {\n"
                              + "    public static void main(String[] args) {\n"
                              + "        " + statement + "\n"
                              + "    }\n"
                              + "}\n");
            if (xCsv != null) {
                final Path data = Files.createDirectories(dir.resolve("chimera_train_data").resolve(name));
                Files.copy(xCsv, data.resolve("X_train.csv"));
                Files.copy(yCsv, data.resolve("y_train.csv"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        names.add(name);
        return this;
    }

    /** Adds a declarative worker: {@code chimera_workers/<name>.json} holding {@code json}, on all rows. */
    TestProject declarative(String name, String json, String dataset) {
        try {
            final Path workers = Files.createDirectories(dir.resolve("chimera_workers"));
            Files.writeString(workers.resolve(name + ".json"), json);
            final Path data = Files.createDirectories(dir.resolve("chimera_train_data").resolve(name));
            Files.copy(train(dataset).resolve("X_train.csv"), data.resolve("X_train.csv"));
            Files.copy(train(dataset).resolve("y_train.csv"), data.resolve("y_train.csv"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        names.add(name);
        return this;
    }

    /** Adds {@code n} workers running {@code statement}, each on all of {@code dataset}'s training rows. */
    TestProject sameData(String prefix, int n, String statement, String dataset) {
        final Path d = train(dataset);
        for (int i = 1; i <= n; i++) {
            worker(prefix + i, statement, d.resolve("X_train.csv"), d.resolve("y_train.csv"));
        }
        return this;
    }

    /** Adds {@code n} workers running {@code statement}, each on its own contiguous part of the rows. */
    TestProject partitioned(String prefix, int n, String statement, String dataset) {
        final Path d = train(dataset);
        try {
            final List<String> x = Files.readAllLines(d.resolve("X_train.csv"));
            final List<String> y = Files.readAllLines(d.resolve("y_train.csv"));
            final int rows = x.size() - 1;
            final Path tmp = Files.createDirectories(dir.resolve("parts"));
            for (int i = 0; i < n; i++) {
                final int from = 1 + i * rows / n;
                final int to = 1 + (i + 1) * rows / n;
                final Path xp = tmp.resolve(prefix + (i + 1) + "_X.csv");
                final Path yp = tmp.resolve(prefix + (i + 1) + "_y.csv");
                final List<String> xs = new ArrayList<>(List.of(x.get(0)));
                xs.addAll(x.subList(from, to));
                final List<String> ys = new ArrayList<>(List.of(y.get(0)));
                ys.addAll(y.subList(from, to));
                Files.write(xp, xs);
                Files.write(yp, ys);
                worker(prefix + (i + 1), statement, xp, yp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** A configuration for these workers on free ports, isolated from this JVM's environment. */
    ChimeraConfig config(Map<String, String> env) {
        return ChimeraConfig.builder()
                            .environment(env)
                            .systemProperties(new Properties())
                            .workerNames(names)
                            .mappedPorts(freePorts(names.size()).stream().mapToInt(Integer::intValue).toArray())
                            .runtime("process")
                            .build();
    }

    ChimeraConfig config() {
        return config(Map.of());
    }

    /**
     * A configuration for these workers on the docker runtime: network {@code network} with prefix
     * {@code prefix}, {@code cpuShares} for every worker, free mapped ports, the test base image.
     */
    ChimeraConfig dockerConfig(String network, String prefix, int... cpuShares) {
        return ChimeraConfig.builder()
                            .environment(Map.of())
                            .systemProperties(new Properties())
                            .workerNames(names)
                            .mappedPorts(freePorts(names.size()).stream().mapToInt(Integer::intValue).toArray())
                            .cpuShares(cpuShares.length == 0 ? new int[] {2} : cpuShares)
                            .networkName(network)
                            .networkPrefix(prefix)
                            .runtime("docker")
                            .dockerBaseImage(DockerSupport.BASE_IMAGE)
                            .build();
    }
}
