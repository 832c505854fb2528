package io.chimera.server.runtime;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.slf4j.Logger;

import io.chimera.server.config.ChimeraConfig;
import io.chimera.server.logging.ChimeraLogs;

/** Builds the worker runtime and the worker specs that a {@link ChimeraConfig} asks for. */
public final class WorkerRuntimes {

    private static final Logger logger = ChimeraLogs.status();

    /** chimera's folder of worker entries, {@code chimera_workers/<name>.java} or {@code .json}. */
    public static final String WORKERS_FOLDER = "chimera_workers";

    /**
     * JVM options of worker processes unless the master gives its own: the C1 compiler only (a worker starts
     * in about half the time, and several worker JVMs on a few cores do not spend them compiling with C2),
     * the serial collector (no concurrent GC threads), and one Armeria event loop (a worker serves one
     * master). Measured in docs/sgd.md: 200 synchronous SGD iterations with 4 workers on 2 cores went from
     * 1.4 s to 1.0 s; a depth-5 tree on 203k rows fits in 60 ms instead of 41 ms.
     */
    public static final List<String> DEFAULT_WORKER_JVM_OPTIONS =
            List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Dcom.linecorp.armeria.numCommonWorkers=1");

    /** chimera's folder of training data, {@code chimera_train_data/<name>/X_train.csv}. */
    public static final String TRAIN_DATA_FOLDER = "chimera_train_data";

    /**
     * Returns a new, unstarted runtime for {@code runtime} ({@code CHIMERA_RUNTIME}) with its defaults otherwise
     * (chimera's classpath, see {@link WorkerClasspath}; the current directory); see
     * {@link #forName(String, ChimeraConfig, Path, List)}.
     */
    public static WorkerRuntime forName(String runtime, ChimeraConfig config) {
        return forName(runtime, config, Path.of("").toAbsolutePath(), List.of());
    }

    /**
     * Returns a new, unstarted runtime for {@code runtime}, for the project in {@code projectDirectory}
     * (worker entries and data folders are relative to it; the logs go to {@code .chimera/logs} in it), giving
     * worker JVMs {@code jvmOptions}, or {@link #DEFAULT_WORKER_JVM_OPTIONS} when empty:
     * <ul>
     *   <li>{@code process}: a {@link ProcessWorkerRuntime};</li>
     *   <li>{@code docker}: a {@link DockerWorkerRuntime} on {@code CHIMERA_DOCKER_BASE_IMAGE};</li>
     *   <li>{@code swarm}: a {@link SwarmWorkerRuntime}, one Docker Swarm service per worker;</li>
     *   <li>{@code auto}: Docker when a daemon answers within 2 s and has the base image locally, else
     *       processes; the status log says which and why.</li>
     * </ul>
     *
     * @throws IllegalArgumentException for any other name
     */
    public static WorkerRuntime forName(String runtime, ChimeraConfig config, Path projectDirectory,
                                        List<String> jvmOptions) {
        requireNonNull(runtime, "runtime");
        requireNonNull(config, "config");
        requireNonNull(projectDirectory, "projectDirectory");
        requireNonNull(jvmOptions, "jvmOptions");
        final List<String> options = jvmOptions.isEmpty() ? DEFAULT_WORKER_JVM_OPTIONS : jvmOptions;
        switch (runtime.trim().toLowerCase(Locale.ROOT)) {
            case "process":
                return process(config, projectDirectory, options);
            case "docker":
                return docker(config, projectDirectory, options);
            case "swarm":
                return SwarmWorkerRuntime.builder(config).projectDirectory(projectDirectory).jvmOptions(options)
                                         .build();
            case "auto":
                if (!DockerClients.answers()) {
                    logger.info("CHIMERA_RUNTIME=auto: no Docker daemon answers at {}, so workers run as local " +
                                "processes", DockerClients.host());
                    return process(config, projectDirectory, options);
                }
                if (!DockerClients.hasImage(config.dockerBaseImage())) {
                    logger.info("CHIMERA_RUNTIME=auto: Docker answers but the base image {} ({}) is not here, " +
                                "so workers run as local processes; set CHIMERA_RUNTIME=docker to pull it",
                                config.dockerBaseImage(), ChimeraConfig.DOCKER_BASE_IMAGE);
                    return process(config, projectDirectory, options);
                }
                logger.info("CHIMERA_RUNTIME=auto: Docker answers at {} and has {}, so workers run in containers",
                            DockerClients.host(), config.dockerBaseImage());
                return docker(config, projectDirectory, options);
            default:
                throw new IllegalArgumentException("runtime: " + runtime + " (expected: process, docker, swarm or auto)");
        }
    }

    private static WorkerRuntime process(ChimeraConfig config, Path projectDirectory, List<String> options) {
        return ProcessWorkerRuntime.builder()
                                   .startupTimeout(config.startupTimeout())
                                   .workingDirectory(projectDirectory)
                                   .logDirectory(projectDirectory.resolve(".chimera").resolve("logs"))
                                   .jvmOptions(options)
                                   .build();
    }

    private static WorkerRuntime docker(ChimeraConfig config, Path projectDirectory, List<String> options) {
        return DockerWorkerRuntime.builder(config)
                                  .projectDirectory(projectDirectory)
                                  .jvmOptions(options)
                                  .build();
    }

    /**
     * Returns one spec per worker of {@code config}, in order: its name, index, mapped port and CPU shares,
     * its entry found in {@code workersDir} by {@link WorkerLaunch#discover(Path, String)}, its data in
     * {@code chimera_train_data/<name>}, and {@code CHIMERA_SEED} in its environment.
     *
     * @throws WorkerStartException if a worker has no entry in {@code workersDir}
     */
    public static List<WorkerSpec> specs(ChimeraConfig config, Path workersDir) {
        return specs(config, workersDir, Path.of(TRAIN_DATA_FOLDER));
    }

    /**
     * As {@link #specs(ChimeraConfig, Path)}, with each worker's data in {@code dataRoot/<name>}.
     */
    public static List<WorkerSpec> specs(ChimeraConfig config, Path workersDir, Path dataRoot) {
        requireNonNull(config, "config");
        requireNonNull(workersDir, "workersDir");
        requireNonNull(dataRoot, "dataRoot");
        final List<WorkerSpec> specs = new ArrayList<>(config.workerCount());
        for (int i = 0; i < config.workerCount(); i++) {
            final String name = config.workerNames().get(i);
            specs.add(WorkerSpec.builder()
                                .name(name)
                                .index(i)
                                .mappedPort(config.mappedPort(i))
                                .cpuShares(config.cpuShares(i))
                                .launch(WorkerLaunch.discover(workersDir, name))
                                .dataDirectory(dataRoot.resolve(name))
                                .environment(ChimeraConfig.SEED, Long.toString(config.seed()))
                                .build());
        }
        return specs;
    }

    private WorkerRuntimes() {}
}
