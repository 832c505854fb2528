package io.chimera.server;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.chimera.common.server.NodeServer;
import io.chimera.common.server.NodeServerBuilder;
import io.chimera.server.config.ChimeraConfig;
import io.chimera.server.internal.WorkerClient;
import io.chimera.server.logging.ChimeraLogs;
import io.chimera.server.runtime.WorkerEndpoint;
import io.chimera.server.runtime.WorkerRuntime;
import io.chimera.server.runtime.WorkerRuntimes;
import io.chimera.server.runtime.WorkerSpec;

/**
 * A running master with its workers. {@link #close()} stops the master, then every worker it started.
 */
public final class ChimeraRun implements AutoCloseable {

    private static final Logger status = LoggerFactory.getLogger("chimera_status");

    static ChimeraRun start(Master master, int port, ChimeraConfig config, Path projectDirectory,
                            WorkerRuntime runtime) {
        status.info("Starting {} worker(s) {} on the {} runtime", config.workerNames().size(),
                    config.workerNames(), runtime.name());
        try {
            final List<WorkerSpec> specs = WorkerRuntimes.specs(
                    config, projectDirectory.resolve(WorkerRuntimes.WORKERS_FOLDER),
                    projectDirectory.resolve(WorkerRuntimes.TRAIN_DATA_FOLDER));
            final List<WorkerEndpoint> endpoints = runtime.start(specs);
            master.configure(config);
            final List<WorkerClient> clients = new ArrayList<>();
            for (WorkerEndpoint e : endpoints) {
                clients.add(new WorkerClient(e.name(), e.baseUrl(), config.timeout(), config.endpointsMaxRetries(),
                                             config.transport(),
                                             (url, secs) -> ChimeraLogs.timeLine(url, "worker", secs)));
            }
            return serve(master, port, clients, runtime, endpoints);
        } catch (RuntimeException e) {
            runtime.close();
            throw e;
        }
    }

    /** Serves a master with no workers: a {@link ModelMaster}. */
    static ChimeraRun startWithoutWorkers(Master master, int port) {
        return serve(master, port, List.of(), new NoWorkers(), List.of());
    }

    private static ChimeraRun serve(Master master, int port, List<WorkerClient> clients, WorkerRuntime runtime,
                                    List<WorkerEndpoint> endpoints) {
        final NodeServerBuilder builder = NodeServer.builder()
                                                   .name(master.toString())
                                                   .host("127.0.0.1")
                                                   .port(port)
                                                   .latencyObserver((url, secs) -> ChimeraLogs.timeLine(
                                                           url, "master", secs));
        master.addServices(builder, clients);
        final NodeServer server = builder.build().start();
        status.info("Serving {} at port {}...", master, server.port());
        return new ChimeraRun(master, server, runtime, endpoints);
    }

    private final Master master;
    private final NodeServer server;
    private final WorkerRuntime runtime;
    private final List<WorkerEndpoint> workers;
    private final AtomicBoolean closed = new AtomicBoolean();

    private ChimeraRun(Master master, NodeServer server, WorkerRuntime runtime, List<WorkerEndpoint> workers) {
        this.master = master;
        this.server = server;
        this.runtime = runtime;
        this.workers = List.copyOf(workers);
    }

    /** The master's port on 127.0.0.1. */
    public int port() {
        return server.port();
    }

    /** The master's base URL, e.g. {@code http://127.0.0.1:8080}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + port();
    }

    /** The master. */
    public Master master() {
        return master;
    }

    /** The running workers. */
    public List<WorkerEndpoint> workers() {
        return workers;
    }

    /**
     * The runtime that started the workers (to stop or restart one in tests); a {@link ModelMaster}'s has none
     * (its name is {@code none}).
     */
    public WorkerRuntime runtime() {
        return runtime;
    }

    /** Stops everything when the JVM is asked to stop (Ctrl-C, SIGTERM). */
    public ChimeraRun stopOnJvmExit() {
        Runtime.getRuntime().addShutdownHook(new Thread(this::close, "chimera-shutdown"));
        return this;
    }

    /** Blocks until the master has stopped. */
    public void awaitTermination() {
        server.whenClosed().join();
    }

    /** Stops the master, then its workers; idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        status.info("Stopping {} and its workers", master);
        try {
            server.close();
        } finally {
            runtime.close();
        }
        status.info("Stopped");
    }

    /** The runtime of a master that has no workers. */
    private static final class NoWorkers implements WorkerRuntime {
        @Override
        public String name() {
            return "none";
        }

        @Override
        public List<WorkerEndpoint> start(List<WorkerSpec> workers) {
            throw new UnsupportedOperationException("this master has no workers");
        }

        @Override
        public boolean isRunning(String workerName) {
            return false;
        }

        @Override
        public void stop(String workerName) {
            throw new IllegalArgumentException("no worker named " + workerName + ": this master has no workers");
        }

        @Override
        public void restart(String workerName) {
            stop(workerName);
        }

        @Override
        public void close() {}
    }
}
