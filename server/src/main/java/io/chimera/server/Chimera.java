package io.chimera.server;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.chimera.models.ModelMaster;
import io.chimera.observe.logging.ChimeraLogs;
import io.chimera.runtime.WorkerRuntime;
import io.chimera.runtime.WorkerRuntimes;
import io.chimera.runtime.WorkerStartException;
import io.chimera.server.config.ChimeraConfig;
import io.chimera.server.config.ChimeraConfigException;
import io.chimera.strategy.Master;
import io.chimera.strategy.aggregation.AggregationMaster;

/**
 * The entry point of a chimera master program.
 *
 * <pre>{@code
 * public final class Master {
 *     public static void main(String[] args) {
 *         Chimera.run(new AggregationMaster(), 8080);
 *     }
 * }
 * }</pre>
 *
 * {@code run} reads the configuration (environment variables, {@code -D} properties), starts one worker per
 * name in {@code CHIMERA_WORKERS_NODES_NAMES} from {@code chimera_workers/<name>.java}, waits until every
 * worker answers, then serves the master until the JVM is stopped (Ctrl-C, SIGTERM), and on stop stops every
 * worker it started. {@code serveModel} serves a model exported from a master, with no workers.
 */
public final class Chimera {

    private static final Logger status = LoggerFactory.getLogger("chimera_status");

    /**
     * Runs {@code master} on {@code port} with its workers until the JVM stops. When it cannot start (bad
     * configuration, a worker that does not come up), it says why in one message and exits with status 1.
     */
    public static void run(Master master, int port) {
        runUntilStopped(() -> builder(master).port(port).start());
    }

    /**
     * Runs {@code master} on {@code port} with its workers until the JVM stops, with {@code config} instead of the
     * configuration read from the environment; a project's {@code Master.java} can so name its workers in code.
     * When it cannot start, it says why in one message and exits with status 1.
     */
    public static void run(Master master, int port, ChimeraConfig config) {
        requireNonNull(config, "config");
        runUntilStopped(() -> builder(master).port(port).config(config).start());
    }

    /**
     * Serves the model exported to {@code artifact} (the JSON of {@code GET /v1/chimera/<kind>/model}, or its
     * protobuf binary form) on {@code port} until the JVM stops, with no workers: a {@link ModelMaster} answering
     * predict on the path of the master that exported it. When the artifact is missing or invalid, it says why in
     * one message and exits with status 1.
     */
    public static void serveModel(Path artifact, int port) {
        runUntilStopped(() -> builder(ModelMaster.read(artifact)).port(port).start());
    }

    private static void runUntilStopped(Supplier<ChimeraRun> start) {
        final ChimeraRun run;
        try {
            run = start.get();
        } catch (ChimeraConfigException | WorkerStartException | IllegalArgumentException e) {
            status.error("chimera cannot start: {}", e.getMessage());
            System.err.println("chimera cannot start: " + e.getMessage());
            System.exit(1);
            return;
        }
        run.stopOnJvmExit();
        run.awaitTermination();
    }

    /**
     * Runs a master from the command line in the current directory, the chimera way: the workers come from
     * {@code CHIMERA_WORKERS_NODES_NAMES} and {@code chimera_workers/}, the runtime from
     * {@code CHIMERA_RUNTIME}; or serves an exported model with no workers ({@link #serveModel}).
     *
     * <pre>{@code
     * java -cp <classpath> io.chimera.server.Chimera aggregation 8080
     * java -cp <classpath> io.chimera.server.Chimera parameter-server 8080
     * java -cp <classpath> io.chimera.server.Chimera parameter-server --loss log_loss 8080
     * java -cp <classpath> io.chimera.server.Chimera serve-model model.json 8090
     * }</pre>
     *
     * A parameter server trains on squared error unless {@code --loss} names another loss ({@code log_loss} or
     * {@code hinge} for classification). Wrong arguments get one line saying what is wrong and exit status 2.
     */
    public static void main(String[] args) {
        final MainArguments arguments;
        try {
            arguments = MainArguments.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        arguments.run();
    }

    /** A builder for running a master in-process with more control: tests, demos, embedding. */
    public static Builder builder(Master master) {
        return new Builder(master);
    }

    /** Builds and starts a {@link ChimeraRun}. */
    public static final class Builder {
        private final Master master;
        private int port = 8080;
        private ChimeraConfig config;
        private Path projectDirectory = Path.of("").toAbsolutePath();
        private final List<String> workerJvmOptions = new ArrayList<>();
        private WorkerRuntime runtime;
        private Consumer<String> progressOutput = System.out::println;

        Builder(Master master) {
            this.master = requireNonNull(master, "master");
        }

        /** The master's port on 127.0.0.1 (0 picks a free one); 8080 by default. */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port: " + port + " (expected: 0..65535)");
            }
            this.port = port;
            return this;
        }

        /** The configuration; by default read from the environment and system properties. */
        public Builder config(ChimeraConfig config) {
            this.config = requireNonNull(config, "config");
            return this;
        }

        /**
         * The folder holding {@code chimera_workers/} and {@code chimera_train_data/}, where the logs are
         * written; the working directory by default.
         */
        public Builder projectDirectory(Path projectDirectory) {
            this.projectDirectory = requireNonNull(projectDirectory, "projectDirectory").toAbsolutePath();
            return this;
        }

        /**
         * JVM options for worker processes, e.g. {@code -Xmx1g}; they replace
         * {@link io.chimera.runtime.WorkerRuntimes#DEFAULT_WORKER_JVM_OPTIONS}.
         */
        public Builder workerJvmOptions(String... options) {
            workerJvmOptions.addAll(List.of(options));
            return this;
        }

        /**
         * The runtime that starts the workers, instead of the one {@code CHIMERA_RUNTIME} names (e.g. a
         * {@link io.chimera.runtime.docker.DockerWorkerRuntime} built with its own image repository). The run
         * closes it.
         */
        public Builder runtime(WorkerRuntime runtime) {
            this.runtime = requireNonNull(runtime, "runtime");
            return this;
        }

        /**
         * Where the progress lines of a fit go when {@code CHIMERA_PROGRESS} allows them (on a terminal, or
         * {@code on}); standard output by default.
         */
        public Builder progressOutput(Consumer<String> progressOutput) {
            this.progressOutput = requireNonNull(progressOutput, "progressOutput");
            return this;
        }

        /**
         * Starts the workers and the master; returns once both serve. A {@link ModelMaster} has no workers: it
         * starts alone, and the configuration, runtime and worker JVM options are not used.
         *
         * @throws ChimeraConfigException when the configuration is invalid, or the master's port is in use (checked
         *         before any worker starts)
         * @throws WorkerStartException when a worker does not come up
         */
        public ChimeraRun start() {
            ChimeraLogs.install(projectDirectory);
            MasterPort.requireFree(port);
            if (master instanceof ModelMaster) {
                return ChimeraRun.startWithoutWorkers(master, port, config != null
                        ? config.apiToken().orElse(null) : ChimeraConfig.apiTokenOfProcess().orElse(null));
            }
            final ChimeraConfig cfg = config != null ? config : ChimeraConfig.builder().build();
            final WorkerRuntime workers = runtime != null ? runtime
                                                          : WorkerRuntimes.forName(cfg.runtime(), cfg, projectDirectory,
                                                                                   List.copyOf(workerJvmOptions));
            return ChimeraRun.start(master, port, cfg, projectDirectory, workers, progressOutput);
        }
    }

    private Chimera() {}
}
