package io.chimera.runtime.docker;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

import io.chimera.runtime.WorkerClasspath;
import io.chimera.runtime.WorkerRuntimes;
import io.chimera.runtime.swarm.SwarmWorkerRuntimeBuilder;
import io.chimera.server.config.ChimeraConfig;

/**
 * What the builders of the container runtimes ({@link DockerWorkerRuntimeBuilder},
 * {@link SwarmWorkerRuntimeBuilder}) have in common.
 *
 * @param <B> the concrete builder
 */
public abstract class ContainerRuntimeBuilder<B extends ContainerRuntimeBuilder<B>> {

    private static final Pattern REPOSITORY = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*" +
                                                              "(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*");

    final ChimeraConfig config;
    String classpath = WorkerClasspath.resolve();
    Path projectDirectory = Path.of("").toAbsolutePath();
    private Path logDirectory;
    List<String> jvmOptions = WorkerRuntimes.DEFAULT_WORKER_JVM_OPTIONS;
    String imageRepository = DockerWorkerRuntime.DEFAULT_IMAGE_REPOSITORY;
    Duration startupTimeout;

    public ContainerRuntimeBuilder(ChimeraConfig config) {
        this.config = requireNonNull(config, "config");
        startupTimeout = config.startupTimeout();
    }

    /**
     * Sets the classpath copied into the worker images. Default: chimera's, as {@link WorkerClasspath#resolve()}
     * finds it.
     */
    public B classpath(String classpath) {
        this.classpath = requireNonNull(classpath, "classpath");
        return self();
    }

    /**
     * Sets the folder that worker entries and data folders are relative to; the logs go to
     * {@code .chimera/logs} in it unless set. Default: the working directory.
     */
    public B projectDirectory(Path projectDirectory) {
        this.projectDirectory = requireNonNull(projectDirectory, "projectDirectory").toAbsolutePath();
        return self();
    }

    /** Sets where each worker's output is written as {@code <name>.log}. */
    public B logDirectory(Path logDirectory) {
        this.logDirectory = requireNonNull(logDirectory, "logDirectory");
        return self();
    }

    /** Sets the JVM options of the workers. Default: {@link WorkerRuntimes#DEFAULT_WORKER_JVM_OPTIONS}. */
    public B jvmOptions(String... jvmOptions) {
        return jvmOptions(Arrays.asList(jvmOptions));
    }

    /** Sets the JVM options of the workers. */
    public B jvmOptions(List<String> jvmOptions) {
        this.jvmOptions = List.copyOf(requireNonNull(jvmOptions, "jvmOptions"));
        return self();
    }

    /** Sets the repository of the worker images (e.g. for tests, to remove them after). Default {@code chimera-worker}. */
    public B imageRepository(String imageRepository) {
        requireNonNull(imageRepository, "imageRepository");
        if (!REPOSITORY.matcher(imageRepository).matches()) {
            throw new IllegalArgumentException("imageRepository: " + imageRepository +
                                               " (expected: a lower-case Docker repository name)");
        }
        this.imageRepository = imageRepository;
        return self();
    }

    /** Sets how long to wait for every worker to answer. Default: the configuration's startup timeout. */
    public B startupTimeout(Duration startupTimeout) {
        requireNonNull(startupTimeout, "startupTimeout");
        if (startupTimeout.isNegative() || startupTimeout.isZero()) {
            throw new IllegalArgumentException("startupTimeout: " + startupTimeout + " (expected: > 0)");
        }
        this.startupTimeout = startupTimeout;
        return self();
    }

    /** The log directory: the one set, else {@code .chimera/logs} in the project. */
    Path logDirectory() {
        return logDirectory != null ? projectDirectory.resolve(logDirectory)
                                    : projectDirectory.resolve(".chimera").resolve("logs");
    }

    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }
}
