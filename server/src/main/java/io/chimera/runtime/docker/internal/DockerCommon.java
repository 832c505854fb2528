package io.chimera.runtime.docker.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectImageResponse;
import com.github.dockerjava.api.command.PullImageResultCallback;
import com.github.dockerjava.api.exception.NotFoundException;

import io.chimera.observe.logging.ChimeraLogs;
import io.chimera.runtime.WorkerSpec;
import io.chimera.runtime.WorkerStartException;
import io.chimera.runtime.docker.DockerWorkerRuntime;
import io.chimera.runtime.internal.LaunchEnvironment;
import io.chimera.server.config.ChimeraConfig;

/** What the docker and swarm runtimes share: the checks made before anything is created, a worker's environment and command in its container. */
public final class DockerCommon {

    private static final Logger logger = ChimeraLogs.status();
    private static final long PULL_TIMEOUT_SECONDS = 300;

    public static void checkData(List<WorkerSpec> specs, Path projectDirectory) {
        final List<String> problems = new ArrayList<>();
        for (WorkerSpec spec : specs) {
            final Path data = projectDirectory.resolve(spec.dataDirectory());
            if (!Files.isDirectory(data)) {
                problems.add("worker " + spec.name() + " has no data folder " + data + " (expected X_train.csv " +
                             "and y_train.csv in it)");
            } else {
                for (String file : List.of("X_train.csv", "y_train.csv")) {
                    if (!Files.isRegularFile(data.resolve(file))) {
                        problems.add("worker " + spec.name() + ": " + data.resolve(file) + " does not exist");
                    }
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new WorkerStartException(String.join("\n", problems));
        }
    }

    /** The subnet must be a network address (no host bits) with room for every worker's PREFIX.(i+2). */
    public static void checkSubnet(List<WorkerSpec> specs, ChimeraConfig config) {
        final int mask = config.subnetMask();
        final long network = ipv4(config.subnet().substring(0, config.subnet().indexOf('/')));
        final long hostBits = mask == 0 ? 0xFFFFFFFFL : (1L << (32 - mask)) - 1;
        if ((network & hostBits) != 0) {
            throw new WorkerStartException(
                    "CHIMERA_NETWORK_PREFIX " + config.networkPrefix() + " with CHIMERA_NETWORK_SUBNET_MASK " + mask +
                    " gives " + config.subnet() + ", which is not a network address: use a mask of at least " +
                    (32 - Long.numberOfTrailingZeros(network)) + " or a shorter prefix");
        }
        final int highestIndex = specs.stream().mapToInt(WorkerSpec::index).max().orElse(0);
        final long lastIp = ipv4(config.workerIp(highestIndex));
        if (lastIp >= (network | hostBits)) {
            throw new WorkerStartException(
                    "subnet " + config.subnet() + " has no room for worker " + (highestIndex + 1) + " at " +
                    config.workerIp(highestIndex) + ": lower CHIMERA_NETWORK_SUBNET_MASK");
        }
    }

    public static void ping(DockerClient docker) {
        try {
            docker.pingCmd().exec();
        } catch (RuntimeException e) {
            throw new WorkerStartException(
                    "the docker runtime needs a Docker daemon, and none answers at " + DockerClients.host() + " (" +
                    rootCause(e) + "): start it (dockerd, or Docker Desktop), set DOCKER_HOST, or use " +
                    "CHIMERA_RUNTIME=process", e);
        }
    }

    /** Returns the base image, pulling it only when it is not here. */
    public static InspectImageResponse baseImage(DockerClient docker, ChimeraConfig config) {
        final String image = config.dockerBaseImage();
        try {
            return docker.inspectImageCmd(image).exec();
        } catch (NotFoundException e) {
            logger.info("the base image {} is not here: pulling it", image);
        }
        try {
            docker.pullImageCmd(image).exec(new PullImageResultCallback())
                  .awaitCompletion(PULL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            return docker.inspectImageCmd(image).exec();
        } catch (RuntimeException e) {
            throw new WorkerStartException(
                    "the base image " + image + " (" + ChimeraConfig.DOCKER_BASE_IMAGE + ") is not here and cannot " +
                    "be pulled (" + rootCause(e) + "). With no registry, build the offline one with " +
                    "docker/build-base-image.sh and set " + ChimeraConfig.DOCKER_BASE_IMAGE + "=chimera/jre:17", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WorkerStartException("interrupted while pulling the base image " + image, e);
        }
    }

    public static boolean isManaged(Map<String, String> labels) {
        return labels != null && "true".equals(labels.get(DockerWorkerRuntime.MANAGED_LABEL));
    }

    public static Map<String, String> env(InspectImageResponse image) {
        final Map<String, String> env = new LinkedHashMap<>();
        if (image.getConfig() != null && image.getConfig().getEnv() != null) {
            for (String entry : image.getConfig().getEnv()) {
                final int eq = entry.indexOf('=');
                if (eq > 0) {
                    env.put(entry.substring(0, eq), entry.substring(eq + 1));
                }
            }
        }
        return env;
    }

    static long ipv4(String address) {
        long value = 0;
        for (String octet : address.split("\\.")) {
            value = value << 8 | Integer.parseInt(octet);
        }
        return value;
    }

    public static String shortId(String id) {
        return id.length() > 12 ? id.substring(0, 12) : id;
    }

    static String rootCause(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        final String message = t.getMessage();
        return message == null || message.isBlank() ? t.getClass().getSimpleName() : message.trim();
    }

    /**
     * The environment of a worker in a container: the launch environment (listening on
     * {@code 0.0.0.0:CHIMERA_WORKERS_PORT}, data in {@code /chimera/data}), and a writable DJL cache when the
     * base image does not carry PyTorch's native libraries. Every worker of {@code all} is its peer at
     * {@code <name>:CHIMERA_WORKERS_PORT}, the name Docker resolves on the project's network.
     */
    public static Map<String, String> environment(WorkerSpec spec, List<WorkerSpec> all, ChimeraConfig config,
                                                  boolean nativeInBase) {
        final Map<String, String> environment =
                new LinkedHashMap<>(LaunchEnvironment.of(spec, "0.0.0.0", config.workersPort(),
                                                         Path.of(WorkerImages.DATA_DIRECTORY)));
        environment.put(io.chimera.workers.WorkerEnvironment.PEERS,
                        LaunchEnvironment.peers(all, s -> s.name() + ':' + config.workersPort()));
        if (!nativeInBase) {
            // DJL extracts PyTorch into the container's own writable layer on first use.
            environment.put("DJL_CACHE_DIR", "/tmp/djl");
        }
        return environment;
    }

    /** {@code KEY=value} lines for the Docker API. */
    public static List<String> environmentLines(Map<String, String> environment) {
        final List<String> lines = new ArrayList<>();
        environment.forEach((k, v) -> lines.add(k + '=' + v));
        return lines;
    }

    /** The command of a worker in its container: {@code java -Duser.home=/tmp <JVM options> <arguments>}. */
    public static List<String> command(List<String> jvmOptions, WorkerImages.WorkerImage image) {
        final List<String> command = new ArrayList<>();
        command.add("java");
        command.add("-Duser.home=/tmp");
        command.addAll(jvmOptions);
        command.addAll(image.javaArguments);
        return command;
    }

    private DockerCommon() {}
}
