package io.chimera.server.runtime;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;

import io.chimera.server.logging.ChimeraLogs;

/**
 * One worker as a child JVM: launches it, copies its output to its log file and to the status logger,
 * keeps its last lines for error messages, and stops it. Only ever touches the process it launched.
 */
final class WorkerProcess {

    private static final Logger logger = ChimeraLogs.status();
    private static final int TAIL_LINES = 20;
    /** How long to wait for the output of an exited process to be read to its end. */
    private static final long DRAIN_MILLIS = 2000;

    private final WorkerSpec spec;
    private final List<String> command;
    private final Map<String, String> environment;
    private final Path workingDirectory;
    private final Path logFile;
    private final Deque<String> tail = new ArrayDeque<>(TAIL_LINES);
    private Process process;
    private Thread pump;

    WorkerProcess(WorkerSpec spec, List<String> command, Map<String, String> environment, Path workingDirectory,
                  Path logFile) {
        this.spec = spec;
        this.command = List.copyOf(command);
        this.environment = Map.copyOf(environment);
        this.workingDirectory = workingDirectory;
        this.logFile = logFile;
    }

    WorkerSpec spec() {
        return spec;
    }

    Path logFile() {
        return logFile;
    }

    /**
     * Starts the JVM. The log file is overwritten, or appended to when {@code appendLog} (a restart), so that
     * the output of the run before is kept.
     */
    synchronized void launch(boolean appendLog) throws IOException {
        final ProcessBuilder builder = new ProcessBuilder(command).directory(workingDirectory.toFile())
                                                                  .redirectErrorStream(true);
        builder.environment().putAll(environment);
        final BufferedWriter log = Files.newBufferedWriter(
                logFile, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                appendLog ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING);
        final Process started;
        try {
            started = builder.start();
        } catch (IOException e) {
            log.close();
            throw e;
        }
        // The worker reads no input: let it see the end of its stdin rather than a pipe nobody writes to.
        started.getOutputStream().close();
        synchronized (tail) {
            tail.clear();
        }
        process = started;
        pump = new Thread(() -> pump(started.getInputStream(), log), "chimera-worker-output-" + spec.name());
        pump.setDaemon(true);
        pump.start();
        logger.info("started worker {} (pid {}) for port {}: {}", spec.name(), started.pid(), spec.mappedPort(),
                    spec.launch());
    }

    synchronized boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** Returns the exit code of the last run; only call once it is not alive. */
    synchronized int exitCode() {
        return process.exitValue();
    }

    /** Asks the process to stop (SIGTERM) without waiting. */
    synchronized void destroy() {
        if (isAlive()) {
            logger.info("stopping worker {} (pid {})", spec.name(), process.pid());
            process.destroy();
        }
    }

    /** Waits until {@code deadlineNanos} (of {@link System#nanoTime()}) for the process to exit, then kills it. */
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
            }
        } catch (InterruptedException e) {
            current.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** Returns the last lines of output of the last run, after reading what an exited process left. */
    List<String> tail() {
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
        synchronized (tail) {
            return List.copyOf(tail);
        }
    }

    private void pump(InputStream output, Writer log) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(output, Charset.defaultCharset()));
             Writer out = log) {
            String line;
            while ((line = reader.readLine()) != null) {
                out.write(line);
                out.write(System.lineSeparator());
                out.flush();
                logger.info("[{}] {}", spec.name(), line);
                synchronized (tail) {
                    if (tail.size() == TAIL_LINES) {
                        tail.removeFirst();
                    }
                    tail.addLast(line);
                }
            }
        } catch (IOException e) {
            // The stream closes when the process is killed; what was read is already in the log.
            logger.debug("output of worker {} ended: {}", spec.name(), e.toString());
        }
    }
}
