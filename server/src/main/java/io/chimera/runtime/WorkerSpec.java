package io.chimera.runtime;

import java.nio.file.Path;
import java.util.Map;

/** What a runtime needs to start one worker: its name, index, ports, launch and data. */
public final class WorkerSpec {

    /** Returns a new builder. {@code name}, {@code mappedPort} and {@code launch} must be set. */
    public static WorkerSpecBuilder builder() {
        return new WorkerSpecBuilder();
    }

    private final String name;
    private final int index;
    private final int mappedPort;
    private final int cpuShares;
    private final WorkerLaunch launch;
    private final Path dataDirectory;
    private final Map<String, String> environment;

    WorkerSpec(String name, int index, int mappedPort, int cpuShares, WorkerLaunch launch, Path dataDirectory,
               Map<String, String> environment) {
        this.name = name;
        this.index = index;
        this.mappedPort = mappedPort;
        this.cpuShares = cpuShares;
        this.launch = launch;
        this.dataDirectory = dataDirectory;
        this.environment = Map.copyOf(environment);
    }

    /** Returns the worker's name, as in {@code CHIMERA_WORKERS_NODES_NAMES}. */
    public String name() {
        return name;
    }

    /** Returns the worker's 0-based position in {@code CHIMERA_WORKERS_NODES_NAMES}. */
    public int index() {
        return index;
    }

    /** Returns the port on {@code 127.0.0.1} where the master reaches the worker. */
    public int mappedPort() {
        return mappedPort;
    }

    /** Returns the worker's CPU shares (a relative weight; used by container runtimes). */
    public int cpuShares() {
        return cpuShares;
    }

    /** Returns how the worker's JVM starts. */
    public WorkerLaunch launch() {
        return launch;
    }

    /** Returns the folder of the worker's {@code X_train.csv} and {@code y_train.csv}; relative to the runtime's working directory unless absolute. */
    public Path dataDirectory() {
        return dataDirectory;
    }

    /** Returns the extra environment variables of the worker, e.g. {@code CHIMERA_SEED}. */
    public Map<String, String> environment() {
        return environment;
    }

    @Override
    public String toString() {
        return "WorkerSpec{name=" + name + ", index=" + index + ", mappedPort=" + mappedPort +
               ", cpuShares=" + cpuShares + ", launch=" + launch + ", dataDirectory=" + dataDirectory +
               ", environment=" + shown(environment) + '}';
    }

    /** The environment with the run's secret, which must never reach a log, masked. */
    private static Map<String, String> shown(Map<String, String> environment) {
        if (!environment.containsKey("CHIMERA_RUN_SECRET")) {
            return environment;
        }
        final Map<String, String> copy = new java.util.LinkedHashMap<>(environment);
        copy.put("CHIMERA_RUN_SECRET", "(secret)");
        return copy;
    }
}
