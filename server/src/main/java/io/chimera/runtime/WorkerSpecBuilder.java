package io.chimera.runtime;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import io.chimera.server.config.ChimeraConfig;

/** Builds a {@link WorkerSpec}. */
public final class WorkerSpecBuilder {

    private static final int DEFAULT_CPU_SHARES = 2;
    /** chimera's data folder; each worker reads its own {@code <name>} folder in it. */
    private static final String TRAIN_DATA_FOLDER = "chimera_train_data";

    private String name;
    private int index;
    private int mappedPort;
    private int cpuShares = DEFAULT_CPU_SHARES;
    private WorkerLaunch launch;
    private Path dataDirectory;
    private final Map<String, String> environment = new LinkedHashMap<>();

    WorkerSpecBuilder() {}

    /** Sets the worker's name: a letter or digit, then letters, digits, {@code _}, {@code .} or {@code -}. */
    public WorkerSpecBuilder name(String name) {
        requireNonNull(name, "name");
        if (!ChimeraConfig.isValidName(name)) {
            throw new IllegalArgumentException(
                    "name: " + name + " (expected: a letter or digit, then letters, digits, '_', '.' or '-')");
        }
        this.name = name;
        return this;
    }

    /** Sets the worker's 0-based index. Default 0. */
    public WorkerSpecBuilder index(int index) {
        if (index < 0) {
            throw new IllegalArgumentException("index: " + index + " (expected: >= 0)");
        }
        this.index = index;
        return this;
    }

    /** Sets the port on {@code 127.0.0.1} where the master reaches the worker. Required. */
    public WorkerSpecBuilder mappedPort(int mappedPort) {
        if (mappedPort < 1 || mappedPort > 65535) {
            throw new IllegalArgumentException("mappedPort: " + mappedPort + " (expected: 1-65535)");
        }
        this.mappedPort = mappedPort;
        return this;
    }

    /** Sets the worker's CPU shares. Default 2, chimera's minimum. */
    public WorkerSpecBuilder cpuShares(int cpuShares) {
        if (cpuShares < 2) {
            throw new IllegalArgumentException("cpuShares: " + cpuShares + " (expected: >= 2)");
        }
        this.cpuShares = cpuShares;
        return this;
    }

    /** Sets how the worker's JVM starts. Required. */
    public WorkerSpecBuilder launch(WorkerLaunch launch) {
        this.launch = requireNonNull(launch, "launch");
        return this;
    }

    /** Sets the worker's data folder. Default {@code chimera_train_data/<name>}. */
    public WorkerSpecBuilder dataDirectory(Path dataDirectory) {
        this.dataDirectory = requireNonNull(dataDirectory, "dataDirectory");
        return this;
    }

    /** Adds an environment variable for the worker. */
    public WorkerSpecBuilder environment(String key, String value) {
        environment.put(requireNonNull(key, "key"), requireNonNull(value, "value"));
        return this;
    }

    /** Adds environment variables for the worker. */
    public WorkerSpecBuilder environment(Map<String, String> environment) {
        requireNonNull(environment, "environment").forEach(this::environment);
        return this;
    }

    /**
     * Returns a new spec.
     *
     * @throws IllegalStateException if {@code name}, {@code mappedPort} or {@code launch} is not set
     */
    public WorkerSpec build() {
        if (name == null || mappedPort == 0 || launch == null) {
            throw new IllegalStateException("name, mappedPort and launch must be set (name: " + name +
                                            ", mappedPort: " + mappedPort + ", launch: " + launch + ')');
        }
        return new WorkerSpec(name, index, mappedPort, cpuShares, launch,
                              dataDirectory != null ? dataDirectory : Path.of(TRAIN_DATA_FOLDER, name),
                              environment);
    }
}
