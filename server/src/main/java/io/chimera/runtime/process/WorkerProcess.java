package io.chimera.runtime.process;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;

import io.chimera.observe.logging.ChimeraLogs;
import io.chimera.runtime.WorkerSpec;
import io.chimera.runtime.internal.StartingWorker;
import io.chimera.runtime.internal.WorkerOutput;

/**
 * One worker as a child JVM: launches it, copies its output to its log file, keeps its last lines for error
 * messages, and stops it. Only ever touches the process it launched.
 */
final class WorkerProcess implements StartingWorker {

    private static final Logger logger = ChimeraLogs.status();
    /** How long to wait for the output of an exited process to be read to its end. */
    private static final long DRAIN_MILLIS = 2000;

    private final WorkerSpec spec;
    private final List<String> command;
    private final Map<String, String> environment;
    private final Path workingDirectory;
    private final WorkerOutput output;
    private final Optional<ClassDataArchives.Use> archive;
    private Process process;
    private Thread pump;

    WorkerProcess(WorkerSpec spec, List<String> command, Map<String, String> environment, Path workingDirectory,
                  Path logFile, Optional<ClassDataArchives.Use> archive) {
        this.spec = spec;
        this.command = List.copyOf(command);
        this.archive = archive;
        this.environment = Map.copyOf(environment);
        this.workingDirectory = workingDirectory;
        output = new WorkerOutput(spec.name(), logFile);
    }

    @Override
    public WorkerSpec spec() {
        return spec;
    }

    Path logFile() {
        return output.logFile();
    }

    /**
     * Starts the JVM. The log file is overwritten, or appended to when {@code appendLog} (a restart), so that
     * the output of the run before is kept.
     */
    synchronized void launch(boolean appendLog) throws IOException {
        final ProcessBuilder builder = new ProcessBuilder(command).directory(workingDirectory.toFile())
                                                                  .redirectErrorStream(true);
        builder.environment().putAll(environment);
        output.open(appendLog);
        final Process started;
        try {
            started = builder.start();
        } catch (IOException e) {
            output.close();
            throw e;
        }
        // Nothing is written to the worker's stdin: it is open while this JVM lives, and the worker exits when it
        // ends (CHIMERA_EXIT_WITH_MASTER=stdin), even if this JVM is killed.
        process = started;
        pump = new Thread(() -> pump(started.getInputStream()), "chimera-worker-output-" + spec.name());
        pump.setDaemon(true);
        pump.start();
        logger.debug("started worker {} (pid {}) for port {}: {}", spec.name(), started.pid(), spec.mappedPort(),
                     spec.launch());
    }

    @Override
    public synchronized Optional<String> ended() {
        return process == null || process.isAlive() ? Optional.empty()
                                                    : Optional.of("exited with code " + process.exitValue());
    }

    @Override
    public String outputLocation() {
        return output.logFile().toString();
    }

    /** Whether the JVM writes a class-data archive as it exits, which takes it a few seconds more. */
    boolean writesArchive() {
        return archive.map(a -> a.pending.isPresent()).orElse(false);
    }

    synchronized boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** Asks the process to stop (SIGTERM) without waiting. */
    synchronized void destroy() {
        if (isAlive()) {
            logger.info("stopping worker {} (pid {})", spec.name(), process.pid());
            process.destroy();
        }
    }

    /**
     * Waits until {@code deadlineNanos} (of {@link System#nanoTime()}) for the process to exit, then kills it;
     * then keeps the class-data archive it wrote at a clean exit.
     */
    void awaitExit(long deadlineNanos) {
        final Process current;
        synchronized (this) {
            current = process;
        }
        if (current == null) {
            return;
        }
        try {
            if (!current.waitFor(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                logger.warn("worker {} (pid {}) did not stop in time; killing it", spec.name(), current.pid());
                current.destroyForcibly().waitFor();
                archive.ifPresent(a -> a.publish(false));
            } else {
                // 143: the JVM's exit on SIGTERM, after its shutdown hooks and writing the archive.
                archive.ifPresent(a -> a.publish(current.exitValue() == 0 || current.exitValue() == 143));
            }
        } catch (InterruptedException e) {
            current.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** Returns the last lines of output of the last run, after reading what an exited process left. */
    @Override
    public List<String> tail() {
        final Thread currentPump;
        synchronized (this) {
            currentPump = process != null && !process.isAlive() ? pump : null;
        }
        if (currentPump != null) {
            try {
                currentPump.join(DRAIN_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return output.tail();
    }

    private void pump(InputStream stream) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, Charset.defaultCharset()))) {
            String line;
            while ((line = reader.readLine()) != null) {
                output.line(line);
            }
        } catch (IOException e) {
            // The stream closes when the process is killed; what was read is already in the log.
            logger.debug("output of worker {} ended: {}", spec.name(), e.toString());
        } finally {
            output.close();
        }
    }
}
