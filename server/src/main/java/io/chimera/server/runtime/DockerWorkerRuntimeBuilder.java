package io.chimera.server.runtime;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

import io.chimera.server.config.ChimeraConfig;

/** Builds a {@link DockerWorkerRuntime}. */
public final class DockerWorkerRuntimeBuilder {

    private static final Pattern REPOSITORY = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*" +
                                                              "(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*");

    private final ChimeraConfig config;
    private String classpath = System.getProperty("java.class.path");
    private Path projectDirectory = Path.of("").toAbsolutePath();
    private Path logDirectory;
    private List<String> jvmOptions = WorkerRuntimes.DEFAULT_WORKER_JVM_OPTIONS;
    private String imageRepository = DockerWorkerRuntime.DEFAULT_IMAGE_REPOSITORY;
    private Duration startupTimeout;
    private boolean stopOnJvmExit = true;

    DockerWorkerRuntimeBuilder(ChimeraConfig config) {
        this.config = requireNonNull(config, "config");
        startupTimeout = config.startupTimeout();
    }

    /** Sets the classpath copied into the worker images. Default: this JVM's, {@code java.class.path}. */
    public DockerWorkerRuntimeBuilder classpath(String classpath) {
        this.classpath = requireNonNull(classpath, "classpath");
        return this;
    }

    /**
     * Sets the folder that worker entries and data folders are relative to; the logs go to
     * {@code .chimera/logs} in it unless set. Default: the working directory.
     */
    public DockerWorkerRuntimeBuilder projectDirectory(Path projectDirectory) {
        this.projectDirectory = requireNonNull(projectDirectory, "projectDirectory").toAbsolutePath();
        return this;
    }

    /** Sets where each worker's output is written as {@code <name>.log}. */
    public DockerWorkerRuntimeBuilder logDirectory(Path logDirectory) {
        this.logDirectory = requireNonNull(logDirectory, "logDirectory");
        return this;
    }

    /** Sets the JVM options of the workers. Default: {@link WorkerRuntimes#DEFAULT_WORKER_JVM_OPTIONS}. */
    public DockerWorkerRuntimeBuilder jvmOptions(String... jvmOptions) {
        return jvmOptions(Arrays.asList(jvmOptions));
    }

    /** Sets the JVM options of the workers. */
    public DockerWorkerRuntimeBuilder jvmOptions(List<String> jvmOptions) {
        this.jvmOptions = List.copyOf(requireNonNull(jvmOptions, "jvmOptions"));
        return this;
    }

    /** Sets the repository of the worker images (e.g. for tests, to remove them after). Default {@code chimera-worker}. */
    public DockerWorkerRuntimeBuilder imageRepository(String imageRepository) {
        requireNonNull(imageRepository, "imageRepository");
        if (!REPOSITORY.matcher(imageRepository).matches()) {
            throw new IllegalArgumentException("imageRepository: " + imageRepository +
                                               " (expected: a lower-case Docker repository name)");
        }
        this.imageRepository = imageRepository;
        return this;
    }

    /** Sets how long to wait for every worker to answer. Default: the configuration's startup timeout. */
    public DockerWorkerRuntimeBuilder startupTimeout(Duration startupTimeout) {
        requireNonNull(startupTimeout, "startupTimeout");
        if (startupTimeout.isNegative() || startupTimeout.isZero()) {
            throw new IllegalArgumentException("startupTimeout: " + startupTimeout + " (expected: > 0)");
        }
        this.startupTimeout = startupTimeout;
        return this;
    }

    /** Sets whether the containers are removed when the JVM exits normally or on SIGTERM. Default {@code true}. */
    public DockerWorkerRuntimeBuilder stopOnJvmExit(boolean stopOnJvmExit) {
        this.stopOnJvmExit = stopOnJvmExit;
        return this;
    }

    /** Returns a new runtime, connected to the daemon lazily on {@link DockerWorkerRuntime#start(List)}. */
    public DockerWorkerRuntime build() {
        return new DockerWorkerRuntime(config, classpath, projectDirectory,
                                       logDirectory != null ? projectDirectory.resolve(logDirectory)
                                                            : projectDirectory.resolve(".chimera").resolve("logs"),
                                       jvmOptions, imageRepository, startupTimeout, stopOnJvmExit);
    }
}
