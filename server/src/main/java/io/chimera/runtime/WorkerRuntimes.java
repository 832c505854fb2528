package io.chimera.runtime;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;

import io.chimera.server.config.ChimeraConfig;
import io.chimera.server.config.WorkerInjection;
import io.chimera.workers.WorkerEnvironment;

/** Builds the worker runtime and the worker specs that a {@link ChimeraConfig} asks for. */
public final class WorkerRuntimes {

    private static final String PROCESS = "process";

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
     *   <li>{@code process}: a {@link io.chimera.runtime.process.ProcessWorkerRuntime};</li>
     *   <li>{@code docker}: a {@link io.chimera.runtime.docker.DockerWorkerRuntime} on
     *       {@code CHIMERA_DOCKER_BASE_IMAGE};</li>
     *   <li>{@code swarm}: a {@link io.chimera.runtime.swarm.SwarmWorkerRuntime}, one Docker Swarm service per
     *       worker;</li>
     *   <li>any other {@link WorkerRuntimeProvider} on the classpath, by its name;</li>
     *   <li>{@code auto}: the first other runtime that {@linkplain WorkerRuntimeProvider#chosenByAuto wants it}
     *       (Docker when a daemon answers within 2 s and has the base image locally), else processes; the status
     *       log says which and why.</li>
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
        final String name = runtime.trim().toLowerCase(Locale.ROOT);
        final Map<String, WorkerRuntimeProvider> providers = providers();
        if ("auto".equals(name)) {
            for (WorkerRuntimeProvider p : providers.values()) {
                if (!PROCESS.equals(p.name()) && p.chosenByAuto(config)) {
                    return p.create(config, projectDirectory, options);
                }
            }
            return provider(providers, PROCESS).create(config, projectDirectory, options);
        }
        final WorkerRuntimeProvider provider = providers.get(name);
        if (provider == null) {
            throw new IllegalArgumentException("runtime: " + runtime + " (expected: " +
                                               String.join(", ", providers.keySet()) + " or auto)");
        }
        return provider.create(config, projectDirectory, options);
    }

    /** The runtimes on the classpath ({@link WorkerRuntimeProvider}s), by name, in the order they are found. */
    public static Map<String, WorkerRuntimeProvider> providers() {
        final Map<String, WorkerRuntimeProvider> byName = new LinkedHashMap<>();
        for (WorkerRuntimeProvider p : ServiceLoader.load(WorkerRuntimeProvider.class,
                                                          WorkerRuntimeProvider.class.getClassLoader())) {
            byName.putIfAbsent(p.name(), p);
        }
        return byName;
    }

    private static WorkerRuntimeProvider provider(Map<String, WorkerRuntimeProvider> providers, String name) {
        final WorkerRuntimeProvider p = providers.get(name);
        if (p == null) {
            throw new IllegalStateException("no '" + name + "' worker runtime on the classpath (META-INF/services/" +
                                            WorkerRuntimeProvider.class.getName() + ')');
        }
        return p;
    }

    /**
     * Returns one spec per worker of {@code config}, in order: its name, index, mapped port and CPU shares,
     * its entry found in {@code workersDir} by {@link WorkerLaunch#discover(Path, String)}, its data in
     * {@code chimera_train_data/<name>}, and {@code CHIMERA_SEED} in its environment, with what
     * {@code CHIMERA_WORKERS_INJECT} injects into it ({@code CHIMERA_INJECT_STEP_DELAY_MS}, {@code CHIMERA_INJECT_LATENCY_MS},
     * {@code CHIMERA_INJECT_EXIT_AT_STEP}).
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
            final WorkerSpecBuilder spec = WorkerSpec.builder()
                                                     .name(name)
                                                     .index(i)
                                                     .mappedPort(config.mappedPort(i))
                                                     .cpuShares(config.cpuShares(i))
                                                     .launch(WorkerLaunch.discover(workersDir, name))
                                                     .dataDirectory(dataRoot.resolve(name))
                                                     .environment(ChimeraConfig.SEED, Long.toString(config.seed()));
            final WorkerInjection injection = config.injection(name);
            if (injection.stepDelayMillis() > 0) {
                spec.environment(WorkerEnvironment.INJECT_STEP_DELAY_MS, Integer.toString(injection.stepDelayMillis()));
            }
            if (injection.latencyMillis() > 0) {
                spec.environment(WorkerEnvironment.INJECT_LATENCY_MS, Integer.toString(injection.latencyMillis()));
            }
            if (injection.exitAtStep() > 0) {
                spec.environment(WorkerEnvironment.INJECT_EXIT_AT_STEP, Integer.toString(injection.exitAtStep()));
            }
            specs.add(spec.build());
        }
        return specs;
    }

    private WorkerRuntimes() {}
}
