package io.chimera.runtime.docker;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;

import com.github.dockerjava.api.command.InspectImageResponse;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Network;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;

import io.chimera.runtime.WorkerSpec;
import io.chimera.runtime.WorkerStartException;
import io.chimera.runtime.docker.internal.DockerCommon;
import io.chimera.runtime.docker.internal.RunIdentity;
import io.chimera.runtime.docker.internal.WorkerImages;
import io.chimera.runtime.internal.StartChecks;
import io.chimera.runtime.internal.WorkerOutput;
import io.chimera.server.config.ChimeraConfig;

/**
 * Runs each worker in its own Docker container, as chimera's {@code WorkersServer} does, through the Docker
 * API (never the {@code docker} command), and cleans up after itself.
 *
 * <p>{@link #start(List)}:
 * <ol>
 *   <li>checks everything it can before touching Docker: names, data folders, worker entries, that each
 *       mapped port is free on {@code CHIMERA_WORKERS_HOST}, that the subnet is a network address with room
 *       for every worker, that the daemon answers, that the base image is here (pulled only when it is not),
 *       that the network, if it exists, has the configured subnet and no running master's workers on it, and
 *       that no container of the same name exists that chimera did not create or that a running master owns
 *       (containers and networks of runs whose master died are removed first);</li>
 *   <li>creates the bridge network {@code CHIMERA_NETWORK_NAME} with subnet {@code PREFIX.0/MASK} and
 *       gateway {@code PREFIX.1}, or reuses it;</li>
 *   <li>builds the worker images ({@code docker/worker-shared.Dockerfile} once, {@code worker-data.Dockerfile}
 *       per worker), or reuses them when nothing changed;</li>
 *   <li>replaces containers that an earlier run left behind (same name, chimera's label, owner gone), then
 *       creates one container per worker, named {@code <project>-<key>-<worker>} (see {@link RunIdentity}),
 *       with the worker's name as host name, IP {@code PREFIX.(i+2)}, its CPU shares,
 *       {@code CHIMERA_WORKERS_HOST:<mapped port>} bound to {@code CHIMERA_WORKERS_PORT}, and a host entry
 *       for every other worker;</li>
 *   <li>follows each container's output into {@code .chimera/logs/<name>.log} and the status log, and waits
 *       until each answers {@code GET http://127.0.0.1:<mapped port>/v1/chimera/health}.</li>
 * </ol>
 * {@link #close()} removes the containers, and the network if chimera created it; the images stay as a
 * cache for the next run, and the older images of this project are pruned. Everything it creates carries the
 * label {@value #MANAGED_LABEL} and its run's owner, and it never removes anything without the first, nor
 * anything whose owner runs.
 */
public final class DockerWorkerRuntime extends DockerRuntimeBase<ContainerWorker> {

    /** The label on every container, network and image chimera creates. */
    public static final String MANAGED_LABEL = "io.chimera.managed";
    /** The label naming the worker of a container or per-worker image. */
    public static final String WORKER_LABEL = "io.chimera.worker";
    /** The default repository of worker images. */
    public static final String DEFAULT_IMAGE_REPOSITORY = "chimera-worker";
    /** The user worker processes run as in their containers (not root). */
    public static final String CONTAINER_USER = "1000:1000";

    private static final int STOP_SECONDS = 5;

    /** Returns a new builder for the network, ports and base image of {@code config}. */
    public static DockerWorkerRuntimeBuilder builder(ChimeraConfig config) {
        return new DockerWorkerRuntimeBuilder(config);
    }

    private final boolean stopOnJvmExit;
    /** Guarded by {@code this}. */
    private Thread shutdownHook;
    /** Creates and starts containers side by side; daemon threads, so it never holds the JVM. */
    private final ExecutorService startExecutor = Executors.newCachedThreadPool(r -> {
        final Thread t = new Thread(r, "chimera-start-container");
        t.setDaemon(true);
        return t;
    });

    protected DockerWorkerRuntime(DockerWorkerRuntimeBuilder builder, boolean stopOnJvmExit) {
        super(builder);
        this.stopOnJvmExit = stopOnJvmExit;
    }

    /** Returns {@code docker}. */
    @Override
    public String name() {
        return "docker";
    }

    /** Stops the worker's container (it is kept, for {@link #restart(String)}, until {@link #close()}). */
    @Override
    public void stop(String workerName) {
        stopContainer(known(workerName));
    }

    @Override
    public void restart(String workerName) {
        final ContainerWorker worker = known(workerName);
        stopContainer(worker);
        synchronized (this) {
            checkOpen();
            StartChecks.checkPortsFree(List.of(worker.spec()), config.workersHost());
            try {
                worker.start(true);
            } catch (IOException | DockerException e) {
                throw new WorkerStartException("cannot restart the container of worker " + workerName + ": " +
                                               e.getMessage(), e);
            }
        }
        logger.info("restarted worker {} in container {}", workerName, DockerCommon.shortId(worker.containerId()));
        health.await(List.of(worker), () -> closed, w -> {});
    }

    @Override
    protected void closing() {
        if (shutdownHook != null && Thread.currentThread() != shutdownHook) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException e) {
                // The JVM is shutting down; the hook runs or has run.
            }
        }
    }

    @Override
    protected void closed() {
        startExecutor.shutdown();
    }

    @Override
    protected List<ContainerWorker> launchAll(List<WorkerSpec> specs) {
        // 1. Everything that needs no daemon.
        StartChecks.checkNew(specs, workers.values().stream().map(ContainerWorker::spec).collect(Collectors.toList()));
        StartChecks.checkFilesExist(specs, projectDirectory);
        DockerCommon.checkData(specs, projectDirectory);
        DockerCommon.checkSubnet(specs, config);
        // 2. What the daemon knows; still nothing is created.
        DockerCommon.ping(docker);
        removeDeadRuns();
        final Map<String, Container> leftovers = leftovers(specs);
        // A port held by a container an earlier run left behind is freed when that container is replaced.
        StartChecks.checkPortsFree(specs.stream().filter(s -> !publishes(leftovers.get(s.name()), s.mappedPort()))
                                        .collect(Collectors.toList()), config.workersHost());
        final InspectImageResponse base = DockerCommon.baseImage(docker, config);
        final Network existing = findNetwork("bridge");
        // 3. Create.
        try {
            Files.createDirectories(logDirectory);
        } catch (IOException e) {
            throw new WorkerStartException("cannot create the worker log directory " + logDirectory + ": " + e, e);
        }
        if (existing == null) {
            createNetwork("bridge");
        }
        final List<ContainerWorker> started = new ArrayList<>();
        try {
            final boolean nativeInBase = DockerCommon.env(base).containsKey("PYTORCH_LIBRARY_PATH");
            final Map<String, WorkerImages.WorkerImage> images =
                    new WorkerImages(docker, imageRepository, identity.project())
                            .build(specs, config.dockerBaseImage(), base.getId(), classpath, nativeInBase);
            removeLeftovers(leftovers);
            // Created and started side by side: each takes the daemon a few hundred milliseconds.
            final List<CompletableFuture<ContainerWorker>> creating = new ArrayList<>();
            for (WorkerSpec spec : specs) {
                creating.add(CompletableFuture.supplyAsync(
                        () -> create(spec, specs, images.get(spec.name()), nativeInBase), startExecutor));
            }
            RuntimeException failure = null;
            for (CompletableFuture<ContainerWorker> c : creating) {
                try {
                    started.add(c.join());
                } catch (CompletionException e) {
                    failure = failure != null ? failure : (RuntimeException) e.getCause();
                }
            }
            if (failure != null) {
                throw failure;
            }
            for (ContainerWorker worker : started) {
                final WorkerSpec spec = worker.spec();
                workers.put(spec.name(), worker);
                logger.debug("started worker {} in container {} ({}, ip {}, cpu shares {}, {}:{} -> {})",
                             spec.name(), DockerCommon.shortId(worker.containerId()), images.get(spec.name()).image,
                             worker.ip(), spec.cpuShares(), config.workersHost(), spec.mappedPort(),
                             config.workersPort());
            }
        } catch (RuntimeException e) {
            // Any failure, not only the daemon's: what this call created goes, the network with it, so that a
            // master that dies after a failed start leaves nothing behind (a missing image template once left
            // a network).
            undo(started);
            if (e instanceof WorkerStartException) {
                throw (WorkerStartException) e;
            }
            throw new WorkerStartException("cannot start the worker containers: " + e.getMessage(), e);
        }
        if (stopOnJvmExit && shutdownHook == null) {
            shutdownHook = new Thread(this::close, "chimera-remove-worker-containers");
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        }
        return started;
    }

    private ContainerWorker create(WorkerSpec spec, List<WorkerSpec> all, WorkerImages.WorkerImage image,
                                   boolean nativeInBase) {
        final String ip = config.workerIp(spec.index());
        final Map<String, String> environment = DockerCommon.environment(spec, all, config, nativeInBase);
        final List<String> command = DockerCommon.command(jvmOptions, image);
        final List<String> extraHosts = all.stream().filter(s -> !s.name().equals(spec.name()))
                                           .map(s -> s.name() + ':' + config.workerIp(s.index()))
                                           .collect(Collectors.toList());
        final ExposedPort port = ExposedPort.tcp(config.workersPort());
        final HostConfig host = HostConfig.newHostConfig()
                                          .withNetworkMode(config.networkName())
                                          .withCpuShares(spec.cpuShares())
                                          .withPortBindings(new PortBinding(
                                                  Ports.Binding.bindIpAndPort(config.workersHost(),
                                                                              spec.mappedPort()), port))
                                          .withExtraHosts(extraHosts.toArray(String[]::new))
                                          // A non-root user may listen on CHIMERA_WORKERS_PORT 80.
                                          .withSysctls(Map.of("net.ipv4.ip_unprivileged_port_start", "0"));
        final String id = docker.createContainerCmd(image.image)
                                .withName(identity.resourceName(spec.name()))
                                .withHostName(spec.name())
                                .withLabels(identity.labels(spec.name()))
                                .withEnv(DockerCommon.environmentLines(environment))
                                .withCmd(command)
                                .withUser(CONTAINER_USER)
                                .withExposedPorts(port)
                                .withIpv4Address(ip)
                                .withHostConfig(host)
                                .exec()
                                .getId();
        final ContainerWorker worker = new ContainerWorker(docker, spec, id, ip, new WorkerOutput(
                spec.name(), logDirectory.resolve(spec.name() + ".log")));
        try {
            worker.start(false);
        } catch (IOException | RuntimeException e) {
            try {
                docker.removeContainerCmd(id).withForce(true).exec();
            } catch (RuntimeException ignored) {
                // Reported below with the cause.
            }
            throw new WorkerStartException("cannot start the container of worker " + spec.name() + ": " +
                                           e.getMessage(), e);
        }
        return worker;
    }

    /**
     * Returns the containers of this project's workers that a run whose master is gone left behind, by worker
     * name. A container of such a name that chimera did not create, or that a running master owns, is not ours
     * to remove: throws.
     */
    private Map<String, Container> leftovers(List<WorkerSpec> specs) {
        final Map<String, Container> leftovers = new LinkedHashMap<>();
        final List<String> problems = new ArrayList<>();
        for (WorkerSpec spec : specs) {
            final String name = identity.resourceName(spec.name());
            final Container existing = containerNamed(name);
            if (existing == null) {
                continue;
            }
            if (!DockerCommon.isManaged(existing.getLabels())) {
                problems.add("a container named " + name + " exists (" + existing.getImage() + ", " +
                             existing.getStatus() + ") and was not created by chimera: remove or rename it, or " +
                             "rename the worker");
            } else if (identity.ownership(existing.getLabels()) == RunIdentity.Ownership.LIVE) {
                problems.add("the container " + name + " of worker " + spec.name() + " belongs to " +
                             RunIdentity.describeOwner(existing.getLabels()) + ", which is running: stop that " +
                             "master first (one project's workers run under one master at a time)");
            } else {
                leftovers.put(spec.name(), existing);
            }
        }
        if (!problems.isEmpty()) {
            throw new WorkerStartException(String.join("\n", problems));
        }
        return leftovers;
    }

    /**
     * Removes the containers, and then the networks, of runs whose master is gone (killed with -9, or the
     * machine restarted), whatever their project; a swarm's task containers are left to the swarm runtime.
     */
    private void removeDeadRuns() {
        for (Container c : docker.listContainersCmd().withShowAll(true)
                                 .withLabelFilter(Map.of(MANAGED_LABEL, "true")).exec()) {
            final Map<String, String> labels = c.getLabels() == null ? Map.of() : c.getLabels();
            if (labels.containsKey("com.docker.swarm.service.id") ||
                identity.ownership(labels) != RunIdentity.Ownership.DEAD) {
                continue;
            }
            logger.info("removing the container {} ({}) that a run of {} left behind when its master died",
                        c.getNames() == null || c.getNames().length == 0 ? DockerCommon.shortId(c.getId())
                                                                         : c.getNames()[0].substring(1),
                        c.getStatus(), labels.getOrDefault(RunIdentity.PROJECT_LABEL, "another project"));
            try {
                docker.removeContainerCmd(c.getId()).withForce(true).withRemoveVolumes(true).exec();
            } catch (NotFoundException e) {
                // Gone meanwhile.
            }
        }
        removeDeadNetworks();
    }

    private static boolean publishes(Container container, int hostPort) {
        return container != null && container.getPorts() != null &&
               Arrays.stream(container.getPorts()).anyMatch(p -> p.getPublicPort() != null &&
                                                                 p.getPublicPort() == hostPort);
    }

    /** Removes the containers an earlier run left behind (same name, chimera's label). */
    private void removeLeftovers(Map<String, Container> leftovers) {
        leftovers.forEach((name, leftover) -> {
            logger.info("replacing the container {} ({}) that an earlier run left behind", name, leftover.getStatus());
            try {
                docker.removeContainerCmd(leftover.getId()).withForce(true).withRemoveVolumes(true).exec();
            } catch (NotFoundException e) {
                // Gone meanwhile.
            }
        });
    }

    private Container containerNamed(String name) {
        return docker.listContainersCmd().withShowAll(true).withNameFilter(List.of(name)).exec().stream()
                     .filter(c -> c.getNames() != null && Arrays.asList(c.getNames()).contains('/' + name))
                     .findFirst().orElse(null);
    }

    private void stopContainer(ContainerWorker worker) {
        try {
            if (worker.isRunning()) {
                logger.info("stopping worker {} (container {})", worker.spec().name(),
                            DockerCommon.shortId(worker.containerId()));
                docker.stopContainerCmd(worker.containerId()).withTimeout(STOP_SECONDS).exec();
            }
        } catch (NotFoundException e) {
            // Already gone.
        } finally {
            worker.closeLogs();
        }
    }

    /** Stops (SIGTERM, then SIGKILL after 5 s) and removes the containers, all at once. */
    @Override
    protected void removeAll(List<ContainerWorker> removing) {
        final List<Thread> threads = new ArrayList<>();
        for (ContainerWorker worker : removing) {
            final Thread thread = new Thread(() -> remove(worker), "chimera-remove-" + worker.spec().name());
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void remove(ContainerWorker worker) {
        try {
            stopContainer(worker);
            docker.removeContainerCmd(worker.containerId()).withForce(true).withRemoveVolumes(true).exec();
            logger.info("removed the container of worker {}", worker.spec().name());
        } catch (NotFoundException e) {
            // Already gone.
        } catch (RuntimeException e) {
            logger.warn("cannot remove the container {} of worker {}: {}", DockerCommon.shortId(worker.containerId()),
                        worker.spec().name(), e.toString());
        }
    }
}
