package io.chimera.runtime.process;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import org.slf4j.Logger;

import io.chimera.observe.logging.ChimeraLogs;
import io.chimera.runtime.SourceJars;
import io.chimera.runtime.WorkerClasspath;
import io.chimera.runtime.WorkerEndpoint;
import io.chimera.runtime.WorkerRuntime;
import io.chimera.runtime.WorkerSpec;
import io.chimera.runtime.WorkerStartException;
import io.chimera.runtime.internal.HealthWaiter;
import io.chimera.runtime.internal.LaunchEnvironment;
import io.chimera.runtime.internal.PortHolders;
import io.chimera.runtime.internal.StartChecks;
import io.chimera.workers.WorkerEnvironment;
import io.chimera.workers.internal.MasterWatch;

/**
 * Runs each worker as a child JVM that serves directly on its mapped port on {@code 127.0.0.1}: the
 * embedded runtime where no Docker daemon answers, and the one most tests use.
 *
 * <p>A worker's JVM runs {@code <java> <JVM options> -cp <classpath> <launch>} in the working directory with
 * the environment of {@link WorkerEnvironment} ({@code CHIMERA_WORKERS_HOST=127.0.0.1},
 * {@code CHIMERA_WORKERS_PORT=<mapped port>}, ...). A {@code .java} entry is compiled here first, once, into a
 * jar cached in {@code .chimera/workers} ({@link SourceJars}), which the worker's JVM loads its main class from.
 * Where the classpath is all jars, workers share a class-data archive in {@code .chimera/cds}
 * ({@link ClassDataArchives}). Its stdout and stderr go to {@code <log dir>/<name>.log} only. CPU shares are
 * not applied to processes.
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
    private static final Duration STOP_GRACE = Duration.ofSeconds(5);
    private static final Duration ARCHIVE_STOP_GRACE = Duration.ofSeconds(30);

    /** Returns a new builder. */
    public static ProcessWorkerRuntimeBuilder builder() {
        return new ProcessWorkerRuntimeBuilder();
    }

    private final String classpath;
    private final Path javaExecutable;
    private final Path workingDirectory;
    private final Path logDirectory;
    private final List<String> jvmOptions;
    private final boolean stopOnJvmExit;
    private final SourceJars jars;
    private final Optional<ClassDataArchives> archives;
    private final HealthWaiter health;
    /** Every worker started and not given up on, by name; guarded by {@code this}. */
    private final Map<String, WorkerProcess> workers = new LinkedHashMap<>();
    /** Guarded by {@code this}. */
    private Thread shutdownHook;
    private volatile boolean closed;

    ProcessWorkerRuntime(String classpath, Path javaExecutable, Path workingDirectory, Duration startupTimeout,
                         Path logDirectory, List<String> jvmOptions, boolean stopOnJvmExit, Path cacheDirectory,
                         boolean classDataSharing) {
        this.classpath = classpath;
        this.javaExecutable = javaExecutable;
        this.workingDirectory = workingDirectory;
        this.logDirectory = logDirectory;
        this.jvmOptions = List.copyOf(jvmOptions);
        this.stopOnJvmExit = stopOnJvmExit;
        final Path shared = WorkerClasspath.cacheDirectory(classpath, cacheDirectory);
        jars = new SourceJars(shared.resolve("workers"));
        archives = classDataSharing ? Optional.of(new ClassDataArchives(shared.resolve("cds"))) : Optional.empty();
        health = new HealthWaiter(startupTimeout);
    }

    /** Returns {@code process}. */
    @Override
    public String name() {
        return "process";
    }

    /**
     * Checks that every name and port is new, every source or JSON file exists and every port is free on
     * {@code 127.0.0.1}, compiles the {@code .java} entries not compiled yet, then launches all workers and
     * waits for all of them in parallel.
     *
     * @throws IllegalArgumentException if a name or port is repeated or already used by this runtime
     * @throws WorkerStartException if a file is missing, a source does not compile or a port is in use
     *                              (nothing is launched then), or a worker exits or stays unhealthy past the
     *                              startup timeout (every worker of this call is stopped then)
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
            StartChecks.checkPortsFree(List.of(worker.spec()), WorkerEndpoint.HOST);
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
        StartChecks.checkNew(specs, workers.values().stream().map(WorkerProcess::spec).collect(Collectors.toList()));
        StartChecks.checkFilesExist(specs, workingDirectory);
        StartChecks.checkPortsFree(specs, WorkerEndpoint.HOST);
        try {
            Files.createDirectories(logDirectory);
        } catch (IOException e) {
            throw new WorkerStartException("cannot create the worker log directory " + logDirectory + ": " + e, e);
        }
        // Every source compiles before any worker starts, so that a compile error launches nothing.
        final String peers = LaunchEnvironment.peers(specs, s -> WorkerEndpoint.HOST + ':' + s.mappedPort());
        final List<WorkerProcess> prepared = specs.stream().map(s -> newProcess(s, peers))
                                                  .collect(Collectors.toList());
        final List<WorkerProcess> launched = new ArrayList<>();
        for (WorkerProcess worker : prepared) {
            final WorkerSpec spec = worker.spec();
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

    private WorkerProcess newProcess(WorkerSpec spec, String peers) {
        List<String> javaArguments = spec.launch().javaArguments();
        final Optional<Path> source = spec.launch().file().filter(f -> f.toString().endsWith(".java"));
        if (source.isPresent()) {
            final SourceJars.Compiled compiled = jars.compile(workingDirectory.resolve(source.get()), classpath);
            // Not on -cp: every worker keeps the classpath that the shared class-data archive was written with.
            javaArguments = List.of(SourceJars.LAUNCHER, compiled.jar().toString(), compiled.mainClass());
        }
        final Optional<ClassDataArchives.Use> archive =
                archives.flatMap(a -> a.use(javaExecutable, jvmOptions, classpath, spec.name()));
        final List<String> command = new ArrayList<>();
        command.add(javaExecutable.toString());
        command.addAll(jvmOptions);
        // Marks the JVM as this run's worker, so that a later start can tell a dead run's leftover (StartChecks).
        command.add("-D" + PortHolders.WORKER_MARK + '=' + spec.name());
        command.add("-D" + PortHolders.MASTER_MARK + '=' + ProcessHandle.current().pid());
        archive.ifPresent(a -> command.addAll(a.options));
        if (!classpath.isEmpty()) {
            command.add("-cp");
            command.add(classpath);
        }
        command.addAll(javaArguments);
        final Path dataDirectory = workingDirectory.resolve(spec.dataDirectory()).normalize();
        final Map<String, String> environment =
                new LinkedHashMap<>(LaunchEnvironment.of(spec, WorkerEndpoint.HOST, spec.mappedPort(), dataDirectory));
        environment.put(WorkerEnvironment.PEERS, peers);
        // The worker exits when this JVM is gone, however it ended: the other end of its stdin is ours alone.
        environment.put(WorkerEnvironment.EXIT_WITH_MASTER, MasterWatch.STDIN);
        return new WorkerProcess(spec, command, environment,
                                 workingDirectory, logDirectory.resolve(spec.name() + ".log"), archive);
    }

    private void awaitHealthy(List<WorkerProcess> starting) {
        health.await(starting, () -> closed, ProcessWorkerRuntime::stopAll);
    }

    private static void launch(WorkerProcess worker, boolean appendLog) {
        try {
            worker.launch(appendLog);
        } catch (IOException e) {
            throw new WorkerStartException("cannot launch worker " + worker.spec().name() + ": " + e, e);
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

    /**
     * Sends SIGTERM to all first, so that they stop in parallel, then waits up to 5 s before killing; 30 s for
     * a worker that writes the class-data archive as it exits (about 6 s on 2 busy cores).
     */
    private static void stopAll(List<WorkerProcess> stopping) {
        stopping.forEach(WorkerProcess::destroy);
        final long now = System.nanoTime();
        final long deadline = now + STOP_GRACE.toNanos();
        final long archiveDeadline = now + ARCHIVE_STOP_GRACE.toNanos();
        stopping.forEach(w -> w.awaitExit(w.writesArchive() ? archiveDeadline : deadline));
    }
}
