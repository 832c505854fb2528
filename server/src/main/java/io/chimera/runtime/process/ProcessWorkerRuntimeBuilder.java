package io.chimera.runtime.process;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.chimera.runtime.WorkerClasspath;

/** Builds a {@link ProcessWorkerRuntime}. */
public final class ProcessWorkerRuntimeBuilder {

    private static final Duration DEFAULT_STARTUP_TIMEOUT = Duration.ofSeconds(60);
    private static final Path DEFAULT_LOG_DIRECTORY = Path.of(".chimera", "logs");
    private static final Path DEFAULT_CACHE_DIRECTORY = Path.of(".chimera");

    private String classpath = WorkerClasspath.resolve();
    private Path javaExecutable = Path.of(System.getProperty("java.home"), "bin", "java");
    private Path workingDirectory = Path.of("").toAbsolutePath();
    private Duration startupTimeout = DEFAULT_STARTUP_TIMEOUT;
    private Path logDirectory = DEFAULT_LOG_DIRECTORY;
    private final List<String> jvmOptions = new ArrayList<>();
    private boolean stopOnJvmExit = true;
    private Path cacheDirectory = DEFAULT_CACHE_DIRECTORY;
    private boolean classDataSharing = true;

    ProcessWorkerRuntimeBuilder() {}

    /** Sets the workers' classpath. Default: chimera's, as {@link WorkerClasspath#resolve()} finds it. */
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

    /**
     * Sets where compiled worker entries ({@code workers/}) and class-data archives ({@code cds/}) are cached.
     * Default {@code .chimera} in the working directory.
     */
    public ProcessWorkerRuntimeBuilder cacheDirectory(Path cacheDirectory) {
        this.cacheDirectory = requireNonNull(cacheDirectory, "cacheDirectory");
        return this;
    }

    /**
     * Sets whether workers share a class-data archive ({@code -XX:SharedArchiveFile}), written by the first run
     * of a classpath and JVM options; only applies where the classpath is all jars. Default {@code true}.
     */
    public ProcessWorkerRuntimeBuilder classDataSharing(boolean classDataSharing) {
        this.classDataSharing = classDataSharing;
        return this;
    }

    /** Returns a new runtime; it starts nothing until {@link ProcessWorkerRuntime#start(List)}. */
    public ProcessWorkerRuntime build() {
        return new ProcessWorkerRuntime(classpath, javaExecutable, workingDirectory, startupTimeout,
                                        workingDirectory.resolve(logDirectory), jvmOptions, stopOnJvmExit,
                                        workingDirectory.resolve(cacheDirectory), classDataSharing);
    }
}
