package io.chimera.server.runtime;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.slf4j.Logger;

import io.chimera.common.ChimeraPaths;
import io.chimera.server.logging.ChimeraLogs;

/**
 * Runs each worker as a child JVM that serves directly on its mapped port on {@code 127.0.0.1}: the
 * embedded runtime where no Docker daemon answers, and the one most tests use.
 *
 * <p>A worker's JVM runs {@code <java> <JVM options> -cp <classpath> <launch>} in the working directory with
 * the environment of {@link WorkerEnvironment} ({@code CHIMERA_WORKERS_HOST=127.0.0.1},
 * {@code CHIMERA_WORKERS_PORT=<mapped port>}, ...). Its stdout and stderr go to {@code <log dir>/<name>.log}
 * and, line by line prefixed {@code [<name>] }, to the {@code chimera_status} logger. CPU shares are not
 * applied to processes.
 *
 * <pre>{@code
 * try (ProcessWorkerRuntime runtime = ProcessWorkerRuntime.builder().jvmOptions("-Xmx512m").build()) {
 *     List<WorkerEndpoint> endpoints = runtime.start(specs);
 *     ...
 * }
 * }</pre>
 */
public final class ProcessWorkerRuntime implements WorkerRuntime {

    private static final Logger logger = ChimeraLogs.status();
    private static final Duration POLL_INTERVAL = Duration.ofMillis(50);
    private static final Duration PROBE_TIMEOUT = Duration.ofMillis(500);
    private static final Duration STOP_GRACE = Duration.ofSeconds(5);

    /** Returns a new builder. */
    public static ProcessWorkerRuntimeBuilder builder() {
        return new ProcessWorkerRuntimeBuilder();
    }

    private final String classpath;
    private final Path javaExecutable;
    private final Path workingDirectory;
    private final Duration startupTimeout;
    private final Path logDirectory;
    private final List<String> jvmOptions;
    private final boolean stopOnJvmExit;
    private final HttpClient httpClient = HttpClient.newBuilder()
                                                    .version(HttpClient.Version.HTTP_1_1)
                                                    .connectTimeout(PROBE_TIMEOUT)
                                                    .build();
    /** Every worker started and not given up on, by name; guarded by {@code this}. */
    private final Map<String, WorkerProcess> workers = new LinkedHashMap<>();
    /** Guarded by {@code this}. */
    private Thread shutdownHook;
    private volatile boolean closed;

    ProcessWorkerRuntime(String classpath, Path javaExecutable, Path workingDirectory, Duration startupTimeout,
                         Path logDirectory, List<String> jvmOptions, boolean stopOnJvmExit) {
        this.classpath = classpath;
        this.javaExecutable = javaExecutable;
        this.workingDirectory = workingDirectory;
        this.startupTimeout = startupTimeout;
        this.logDirectory = logDirectory;
        this.jvmOptions = List.copyOf(jvmOptions);
        this.stopOnJvmExit = stopOnJvmExit;
    }

    /** Returns {@code process}. */
    @Override
    public String name() {
        return "process";
    }

    /**
     * Checks that every name and port is new, every source or JSON file exists and every port is free on
     * {@code 127.0.0.1}, then launches all workers and waits for all of them in parallel.
     *
     * @throws IllegalArgumentException if a name or port is repeated or already used by this runtime
     * @throws WorkerStartException if a file is missing, a port is in use (nothing is launched then), or a
     *                              worker exits or stays unhealthy past the startup timeout (every worker
     *                              of this call is stopped then)
     */
    @Override
    public List<WorkerEndpoint> start(List<WorkerSpec> specs) {
        requireNonNull(specs, "specs");
        final List<WorkerProcess> launched = launchAll(List.copyOf(specs));
        try {
            awaitHealthy(launched);
        } catch (WorkerStartException e) {
            synchronized (this) {
                launched.forEach(w -> workers.remove(w.spec().name(), w));
            }
            throw e;
        }
        return specs.stream().map(s -> WorkerEndpoint.of(s.name(), s.mappedPort())).collect(Collectors.toList());
    }

    @Override
    public synchronized boolean isRunning(String workerName) {
        final WorkerProcess worker = workers.get(requireNonNull(workerName, "workerName"));
        return worker != null && worker.isAlive();
    }

    @Override
    public void stop(String workerName) {
        stopAll(List.of(known(workerName)));
    }

    @Override
    public void restart(String workerName) {
        final WorkerProcess worker = known(workerName);
        stopAll(List.of(worker));
        synchronized (this) {
            checkOpen();
            checkPortsFree(List.of(worker.spec()));
            launch(worker, true);
        }
        awaitHealthy(List.of(worker));
    }

    /** Stops every worker: SIGTERM, then SIGKILL for those still alive after 5 s. */
    @Override
    public void close() {
        final List<WorkerProcess> all;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            all = new ArrayList<>(workers.values());
            removeShutdownHook();
        }
        try {
            stopAll(all);
        } catch (RuntimeException e) {
            logger.warn("could not stop every worker", e);
        }
    }

    private synchronized List<WorkerProcess> launchAll(List<WorkerSpec> specs) {
        checkOpen();
        checkNew(specs);
        checkFilesExist(specs);
        checkPortsFree(specs);
        try {
            Files.createDirectories(logDirectory);
        } catch (IOException e) {
            throw new WorkerStartException("cannot create the worker log directory " + logDirectory + ": " + e, e);
        }
        final List<WorkerProcess> launched = new ArrayList<>();
        for (WorkerSpec spec : specs) {
            final WorkerProcess worker = newProcess(spec);
            try {
                launch(worker, false);
            } catch (WorkerStartException e) {
                stopAll(launched);
                launched.forEach(w -> workers.remove(w.spec().name()));
                throw e;
            }
            workers.put(spec.name(), worker);
            launched.add(worker);
        }
        if (stopOnJvmExit && shutdownHook == null && !launched.isEmpty()) {
            shutdownHook = new Thread(this::close, "chimera-stop-workers");
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        }
        return launched;
    }

    private WorkerProcess newProcess(WorkerSpec spec) {
        final List<String> command = new ArrayList<>();
        command.add(javaExecutable.toString());
        command.addAll(jvmOptions);
        if (!classpath.isEmpty()) {
            command.add("-cp");
            command.add(classpath);
        }
        command.addAll(spec.launch().javaArguments());
        final Path dataDirectory = workingDirectory.resolve(spec.dataDirectory()).normalize();
        return new WorkerProcess(spec, command,
                                 LaunchEnvironment.of(spec, WorkerEndpoint.HOST, spec.mappedPort(), dataDirectory),
                                 workingDirectory, logDirectory.resolve(spec.name() + ".log"));
    }

    private static void launch(WorkerProcess worker, boolean appendLog) {
        try {
            worker.launch(appendLog);
        } catch (IOException e) {
            throw new WorkerStartException("cannot launch worker " + worker.spec().name() + ": " + e, e);
        }
    }

    /** Polls every pending worker's health in parallel until all answer 200, one exits, or time is up. */
    private void awaitHealthy(List<WorkerProcess> starting) {
        final long start = System.nanoTime();
        final long deadline = start + startupTimeout.toNanos();
        final List<WorkerProcess> pending = new ArrayList<>(starting);
        while (true) {
            final List<CompletableFuture<Boolean>> probes =
                    pending.stream().map(this::probe).collect(Collectors.toList());
            for (int i = pending.size() - 1; i >= 0; i--) {
                if (probes.get(i).join()) {
                    final WorkerProcess healthy = pending.remove(i);
                    logger.info("worker {} is healthy on {} after {} s", healthy.spec().name(),
                                baseUrl(healthy.spec()), seconds(System.nanoTime() - start));
                }
            }
            if (pending.isEmpty()) {
                return;
            }
            if (closed) {
                throw failure(starting, pending, w -> "was still starting when the runtime was closed");
            }
            final List<WorkerProcess> exited = pending.stream().filter(w -> !w.isAlive())
                                                      .collect(Collectors.toList());
            if (!exited.isEmpty()) {
                throw failure(starting, exited, w -> "exited with code " + w.exitCode() + " before answering GET " +
                                                     healthUrl(w.spec()) + " with 200");
            }
            if (System.nanoTime() - deadline >= 0) {
                throw failure(starting, pending, w -> "did not answer GET " + healthUrl(w.spec()) + " with 200 within " +
                                                      seconds(startupTimeout.toNanos()) + " s (raise " +
                                                      "CHIMERA_WORKERS_STARTUP_TIMEOUT if it needs longer)");
            }
            try {
                Thread.sleep(POLL_INTERVAL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw failure(starting, pending, w -> "was still starting when the thread was interrupted");
            }
        }
    }

    private CompletableFuture<Boolean> probe(WorkerProcess worker) {
        final HttpRequest request = HttpRequest.newBuilder(URI.create(healthUrl(worker.spec())))
                                               .timeout(PROBE_TIMEOUT).GET().build();
        return httpClient.sendAsync(request, BodyHandlers.discarding())
                         .thenApply(response -> response.statusCode() == 200)
                         .exceptionally(e -> false)
                         .completeOnTimeout(false, PROBE_TIMEOUT.toMillis() * 2, TimeUnit.MILLISECONDS);
    }

    /** Stops every worker of {@code starting}, then describes each failed one with its last output lines. */
    private WorkerStartException failure(List<WorkerProcess> starting, List<WorkerProcess> failed,
                                         Function<WorkerProcess, String> reason) {
        final List<String> reasons = failed.stream().map(reason).collect(Collectors.toList());
        stopAll(starting);
        final StringBuilder message = new StringBuilder();
        for (int i = 0; i < failed.size(); i++) {
            final WorkerProcess worker = failed.get(i);
            final List<String> tail = worker.tail();
            if (i > 0) {
                message.append('\n');
            }
            message.append("worker ").append(worker.spec().name()).append(' ').append(reasons.get(i));
            if (tail.isEmpty()) {
                message.append("; it wrote nothing to ").append(worker.logFile());
            } else {
                message.append("; last ").append(tail.size() == 1 ? "line" : tail.size() + " lines")
                       .append(" of ").append(worker.logFile()).append(':');
                tail.forEach(line -> message.append("\n    | ").append(line));
            }
        }
        return new WorkerStartException(message.toString());
    }

    private void checkNew(List<WorkerSpec> specs) {
        final Set<String> names = new HashSet<>(workers.keySet());
        final Set<Integer> ports = workers.values().stream().map(w -> w.spec().mappedPort())
                                          .collect(Collectors.toCollection(HashSet::new));
        for (WorkerSpec spec : specs) {
            if (!names.add(spec.name())) {
                throw new IllegalArgumentException("worker " + spec.name() + " is repeated or was already started " +
                                                   "by this runtime (use restart)");
            }
            if (!ports.add(spec.mappedPort())) {
                throw new IllegalArgumentException("port " + spec.mappedPort() + " of worker " + spec.name() +
                                                   " is given to another worker of this runtime");
            }
        }
    }

    private void checkFilesExist(List<WorkerSpec> specs) {
        final List<String> missing = new ArrayList<>();
        for (WorkerSpec spec : specs) {
            spec.launch().file().map(workingDirectory::resolve).filter(f -> !Files.isRegularFile(f))
                .ifPresent(f -> missing.add("worker " + spec.name() + ": " + f + " does not exist"));
        }
        if (!missing.isEmpty()) {
            throw new WorkerStartException(String.join("\n", missing));
        }
    }

    private static void checkPortsFree(List<WorkerSpec> specs) {
        final List<String> taken = specs.stream().filter(s -> !isFree(s.mappedPort()))
                                        .map(s -> "port " + s.mappedPort() + " of worker " + s.name() +
                                                  " is already in use on " + WorkerEndpoint.HOST +
                                                  ": stop what uses it or choose other ports " +
                                                  "(CHIMERA_WORKERS_MAPPED_PORTS)")
                                        .collect(Collectors.toList());
        if (!taken.isEmpty()) {
            throw new WorkerStartException(String.join("\n", taken));
        }
    }

    private static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName(WorkerEndpoint.HOST), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private synchronized WorkerProcess known(String workerName) {
        final WorkerProcess worker = workers.get(requireNonNull(workerName, "workerName"));
        if (worker == null) {
            throw new IllegalArgumentException("workerName: " + workerName + " (expected: one of " +
                                               workers.keySet() + ')');
        }
        return worker;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("this runtime is closed");
        }
    }

    private void removeShutdownHook() {
        if (shutdownHook != null && Thread.currentThread() != shutdownHook) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException e) {
                // The JVM is shutting down; the hook runs or has run.
            }
        }
        shutdownHook = null;
    }

    /** Sends SIGTERM to all first, so that they stop in parallel, then waits up to 5 s before killing. */
    private static void stopAll(List<WorkerProcess> stopping) {
        stopping.forEach(WorkerProcess::destroy);
        final long deadline = System.nanoTime() + STOP_GRACE.toNanos();
        stopping.forEach(w -> w.awaitExit(deadline));
    }

    private static String baseUrl(WorkerSpec spec) {
        return WorkerEndpoint.of(spec.name(), spec.mappedPort()).baseUrl();
    }

    private static String healthUrl(WorkerSpec spec) {
        return baseUrl(spec) + ChimeraPaths.HEALTH;
    }

    private static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.1f", nanos / 1e9);
    }
}
