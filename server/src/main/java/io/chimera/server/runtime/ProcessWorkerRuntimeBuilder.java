package io.chimera.server.runtime;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Builds a {@link ProcessWorkerRuntime}. */
public final class ProcessWorkerRuntimeBuilder {

    private static final Duration DEFAULT_STARTUP_TIMEOUT = Duration.ofSeconds(60);
    private static final Path DEFAULT_LOG_DIRECTORY = Path.of(".chimera", "logs");

    private String classpath = System.getProperty("java.class.path");
    private Path javaExecutable = Path.of(System.getProperty("java.home"), "bin", "java");
    private Path workingDirectory = Path.of("").toAbsolutePath();
    private Duration startupTimeout = DEFAULT_STARTUP_TIMEOUT;
    private Path logDirectory = DEFAULT_LOG_DIRECTORY;
    private final List<String> jvmOptions = new ArrayList<>();
    private boolean stopOnJvmExit = true;

    ProcessWorkerRuntimeBuilder() {}

    /** Sets the workers' classpath. Default: this JVM's, {@code java.class.path}. */
    public ProcessWorkerRuntimeBuilder classpath(String classpath) {
        this.classpath = requireNonNull(classpath, "classpath");
        return this;
    }

    /** Sets the {@code java} executable. Default: {@code <java.home>/bin/java}, this JVM's. */
    public ProcessWorkerRuntimeBuilder javaExecutable(Path javaExecutable) {
        this.javaExecutable = requireNonNull(javaExecutable, "javaExecutable");
        return this;
    }

    /**
     * Sets the workers' working directory, against which relative data folders, source files and the log
     * directory resolve. Default: the current directory.
     */
    public ProcessWorkerRuntimeBuilder workingDirectory(Path workingDirectory) {
        this.workingDirectory = requireNonNull(workingDirectory, "workingDirectory").toAbsolutePath();
        return this;
    }

    /** Sets how long {@code start} and {@code restart} wait for workers to be healthy. Default 60 s. */
    public ProcessWorkerRuntimeBuilder startupTimeout(Duration startupTimeout) {
        requireNonNull(startupTimeout, "startupTimeout");
        if (startupTimeout.isNegative() || startupTimeout.isZero()) {
            throw new IllegalArgumentException("startupTimeout: " + startupTimeout + " (expected: > 0)");
        }
        this.startupTimeout = startupTimeout;
        return this;
    }

    /** Sets where {@code <name>.log} of each worker goes. Default {@code .chimera/logs} in the working directory. */
    public ProcessWorkerRuntimeBuilder logDirectory(Path logDirectory) {
        this.logDirectory = requireNonNull(logDirectory, "logDirectory");
        return this;
    }

    /** Adds JVM options for every worker, e.g. {@code -Xmx1g} or {@code -Dai.djl.offline=true}. */
    public ProcessWorkerRuntimeBuilder jvmOptions(String... jvmOptions) {
        return jvmOptions(Arrays.asList(requireNonNull(jvmOptions, "jvmOptions")));
    }

    /** Adds JVM options for every worker. */
    public ProcessWorkerRuntimeBuilder jvmOptions(Iterable<String> jvmOptions) {
        requireNonNull(jvmOptions, "jvmOptions").forEach(o -> this.jvmOptions.add(requireNonNull(o, "jvmOption")));
        return this;
    }

    /**
     * Sets whether a JVM shutdown hook stops the workers when this JVM exits (Ctrl-C, SIGTERM, the end of
     * {@code main}) before {@code close()} is called. Default {@code true}.
     */
    public ProcessWorkerRuntimeBuilder stopOnJvmExit(boolean stopOnJvmExit) {
        this.stopOnJvmExit = stopOnJvmExit;
        return this;
    }

    /** Returns a new runtime; it starts nothing until {@link ProcessWorkerRuntime#start(List)}. */
    public ProcessWorkerRuntime build() {
        return new ProcessWorkerRuntime(classpath, javaExecutable, workingDirectory, startupTimeout,
                                        workingDirectory.resolve(logDirectory), jvmOptions, stopOnJvmExit);
    }
}
