package io.chimera.server;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.chimera.models.ModelMaster;
import io.chimera.models.internal.ModelStore;
import io.chimera.node.NodeMetrics;
import io.chimera.node.NodeServer;
import io.chimera.node.NodeServerBuilder;
import io.chimera.node.client.WorkerClient;
import io.chimera.observe.internal.Dashboard;
import io.chimera.observe.internal.LatencyBook;
import io.chimera.observe.internal.MasterStatusService;
import io.chimera.observe.internal.ProgressReporter;
import io.chimera.observe.internal.WorkerMonitor;
import io.chimera.observe.logging.ChimeraLogs;
import io.chimera.runtime.WorkerEndpoint;
import io.chimera.runtime.WorkerRuntime;
import io.chimera.runtime.WorkerRuntimes;
import io.chimera.runtime.WorkerSpec;
import io.chimera.server.config.ChimeraConfig;
import io.chimera.strategy.Master;
import io.chimera.strategy.internal.MasterAccess;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * A running master with its workers. Besides its strategy's routes the master serves its status
 * ({@code /v1/chimera/status}), its latencies ({@code /v1/chimera/latencies}), its metrics
 * ({@code /v1/chimera/metrics}) and a dashboard ({@code /dashboard}), watches its workers' health and prints the
 * progress of a fit where {@code CHIMERA_PROGRESS} allows. {@link #close()} stops the master, then every worker
 * it started.
 */
public final class ChimeraRun implements AutoCloseable {

    private static final Logger status = LoggerFactory.getLogger("chimera_status");

    /** Where a master keeps its last fitted model, in the project folder (docs/reliability.md). */
    static final Path MODEL_FOLDER = Path.of(".chimera", "models");

    /**
     * Starts the workers of {@code config} on {@code runtime}, then serves {@code master} on {@code port};
     * progress lines go to {@code progressOutput} when {@code CHIMERA_PROGRESS} allows them.
     */
    static ChimeraRun start(Master master, int port, ChimeraConfig config, Path projectDirectory,
                            WorkerRuntime runtime, Consumer<String> progressOutput) {
        status.info("Starting {} worker(s) {} on the {} runtime", config.workerNames().size(),
                    config.workerNames(), runtime.name());
        WorkerMonitor monitor = null;
        try {
            // A secret per run: the workers take calls carrying it only (docs/reliability.md).
            final String secret = RunSecret.generate();
            final List<WorkerSpec> specs = RunSecret.handTo(WorkerRuntimes.specs(
                    config, projectDirectory.resolve(WorkerRuntimes.WORKERS_FOLDER),
                    projectDirectory.resolve(WorkerRuntimes.TRAIN_DATA_FOLDER)), secret);
            final List<WorkerEndpoint> endpoints = runtime.start(specs);
            MasterAccess.of(master).configure(master, config);
            MasterAccess.of(master).persistTo(master, new ModelStore(projectDirectory.resolve(MODEL_FOLDER)));
            final PrometheusMeterRegistry registry = NodeMetrics.newRegistry();
            monitor = new WorkerMonitor(endpoints, registry);
            final LatencyBook latencies = new LatencyBook();
            final WorkerMonitor health = monitor;
            final WorkerClient.CallObserver observer = (worker, path, seconds, error) -> {
                final String url = worker.baseUrl() + path;
                ChimeraLogs.timeLine(url, "worker", seconds);
                latencies.record(url, "worker", seconds);
                health.callCompleted(worker.name(), path, seconds, error);
            };
            final List<WorkerClient> clients = new ArrayList<>();
            for (WorkerEndpoint e : endpoints) {
                clients.add(new WorkerClient(e.name(), e.baseUrl(), config.timeout(), config.endpointsMaxRetries(),
                                             config.transport(), observer, secret));
            }
            final ProgressReporter reporter = config.progressEnabled(System.console() != null)
                                              ? new ProgressReporter(progressOutput) : null;
            MasterAccess.of(master).fitTracker(master).observe(master.toString(), reporter, registry);
            monitor.startProbing(config.healthInterval());
            return serve(master, port, clients, runtime, endpoints, registry, monitor, latencies,
                         config.apiToken().orElse(null), secret);
        } catch (RuntimeException e) {
            if (monitor != null) {
                monitor.close();
            }
            runtime.close();
            throw e;
        }
    }

    /** Serves a master with no workers: a {@link ModelMaster}. */
    static ChimeraRun startWithoutWorkers(Master master, int port, String apiToken) {
        final PrometheusMeterRegistry registry = NodeMetrics.newRegistry();
        MasterAccess.of(master).fitTracker(master).observe(master.toString(), null, registry);
        return serve(master, port, List.of(), new NoWorkers(), List.of(), registry,
                     new WorkerMonitor(List.of(), registry), new LatencyBook(), apiToken, null);
    }

    private static ChimeraRun serve(Master master, int port, List<WorkerClient> clients, WorkerRuntime runtime,
                                    List<WorkerEndpoint> endpoints, PrometheusMeterRegistry registry,
                                    WorkerMonitor monitor, LatencyBook latencies, String apiToken,
                                    String secret) {
        final NodeServerBuilder builder =
                NodeServer.builder()
                          .name(master.toString())
                          .host("127.0.0.1")
                          .port(port)
                          .meterRegistry(registry)
                          .monitoringService(new MasterStatusService(master.getClass().getSimpleName(),
                                                                     runtime.name(), MasterAccess.of(master).fitTracker(master),
                                                                     monitor, latencies))
                          .latencyObserver((url, seconds) -> {
                              ChimeraLogs.timeLine(url, "master", seconds);
                              latencies.record(url, "master", seconds);
                          });
        MasterAccess.of(master).addServices(master, builder, clients);
        Dashboard.addTo(builder);
        if (apiToken != null) {
            // The dashboard's page and files are open; its calls carry the token (docs/reliability.md).
            builder.requireToken(apiToken, Dashboard.PAGES, "this master requires its API token "
                                                            + "(CHIMERA_API_TOKEN): send Authorization: Bearer <token>");
        }
        final NodeServer server = builder.build().start();
        status.info("Serving {} at port {}... (dashboard: http://127.0.0.1:{}/dashboard)", master, server.port(),
                    server.port());
        return new ChimeraRun(master, server, runtime, endpoints, monitor, secret);
    }

    private final Master master;
    private final NodeServer server;
    private final WorkerRuntime runtime;
    private final List<WorkerEndpoint> workers;
    private final WorkerMonitor monitor;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** The run's secret, which its workers require; null for a master with no workers. */
    private final String secret;

    private ChimeraRun(Master master, NodeServer server, WorkerRuntime runtime, List<WorkerEndpoint> workers,
                       WorkerMonitor monitor, String secret) {
        this.secret = secret;
        this.master = master;
        this.server = server;
        this.runtime = runtime;
        this.workers = List.copyOf(workers);
        this.monitor = monitor;
    }

    /**
     * The run's secret, which its workers require of every call but health ({@code Authorization: Bearer <secret>});
     * for the program that started the run, to call a worker directly (a test, a debugging session). Empty for a
     * master with no workers.
     */
    public java.util.Optional<String> workerSecret() {
        return java.util.Optional.ofNullable(secret);
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
        monitor.close();
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
