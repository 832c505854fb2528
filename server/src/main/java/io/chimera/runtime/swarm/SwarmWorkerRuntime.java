package io.chimera.runtime.swarm;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.InspectImageResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.ContainerSpec;
import com.github.dockerjava.api.model.EndpointSpec;
import com.github.dockerjava.api.model.LocalNodeState;
import com.github.dockerjava.api.model.Network;
import com.github.dockerjava.api.model.NetworkAttachmentConfig;
import com.github.dockerjava.api.model.PortConfig;
import com.github.dockerjava.api.model.PortConfigProtocol;
import com.github.dockerjava.api.model.PushResponseItem;
import com.github.dockerjava.api.model.ResourceRequirements;
import com.github.dockerjava.api.model.ResourceSpecs;
import com.github.dockerjava.api.model.Service;
import com.github.dockerjava.api.model.ServiceModeConfig;
import com.github.dockerjava.api.model.ServicePlacement;
import com.github.dockerjava.api.model.ServiceReplicatedModeOptions;
import com.github.dockerjava.api.model.ServiceRestartCondition;
import com.github.dockerjava.api.model.ServiceRestartPolicy;
import com.github.dockerjava.api.model.ServiceSpec;
import com.github.dockerjava.api.model.SwarmInfo;
import com.github.dockerjava.api.model.TaskSpec;

import io.chimera.runtime.WorkerSpec;
import io.chimera.runtime.WorkerStartException;
import io.chimera.runtime.docker.DockerRuntimeBase;
import io.chimera.runtime.docker.DockerWorkerRuntime;
import io.chimera.runtime.docker.internal.DockerClients;
import io.chimera.runtime.docker.internal.DockerCommon;
import io.chimera.runtime.docker.internal.RunIdentity;
import io.chimera.runtime.docker.internal.WorkerImages;
import io.chimera.runtime.internal.StartChecks;
import io.chimera.runtime.internal.WorkerOutput;
import io.chimera.server.config.ChimeraConfig;

/**
 * Runs each worker as a Docker Swarm service with one replica, so that workers can spread over the machines
 * of a swarm; the same images, worker code and checks as {@link DockerWorkerRuntime}.
 *
 * <p>{@link #start(List)} needs this Docker to be a swarm manager. It:
 * <ol>
 *   <li>checks, before creating anything, what the docker runtime checks, and that the swarm is active here,
 *       and that a swarm of several nodes has {@code CHIMERA_SWARM_REGISTRY} to push the images to;</li>
 *   <li>creates the attachable overlay network {@code CHIMERA_NETWORK_NAME} ({@code PREFIX.0/MASK}), or
 *       reuses it;</li>
 *   <li>builds the worker images like the docker runtime, and pushes them to the registry when there is
 *       one (a one-node swarm uses its local images);</li>
 *   <li>creates one service per worker, named after it: the worker's image, command and environment, user
 *       1000, a CPU reservation of {@code shares / 1024} CPUs (Docker's scale: 1024 shares are one CPU), the
 *       restart policy {@code any} (Swarm reschedules a task that dies, and the worker rejoins at the next
 *       fit), the placement constraints of {@code CHIMERA_SWARM_CONSTRAINTS}, the network with the worker's
 *       name as alias, and {@code CHIMERA_WORKERS_PORT} published in host mode on its mapped port;</li>
 *   <li>follows each service's logs and waits until each answers its health check on
 *       {@code http://<address of its node>:<mapped port>}.</li>
 * </ol>
 * {@link #close()} removes the services, then the network if chimera created it; it never leaves the swarm
 * (the swarm is the user's).
 */
public final class SwarmWorkerRuntime extends DockerRuntimeBase<ServiceWorker> {

    private static final long STOP_GRACE_NANOS = TimeUnit.SECONDS.toNanos(5);
    private static final long RESTART_DELAY_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final Duration REMOVE_TIMEOUT = Duration.ofSeconds(30);

    /** Returns a new builder for the network, ports, base image and swarm settings of {@code config}. */
    public static SwarmWorkerRuntimeBuilder builder(ChimeraConfig config) {
        return new SwarmWorkerRuntimeBuilder(config);
    }

    /** The service specs, to scale them down and up again; guarded by {@code this}. */
    private final Map<String, ServiceSpec> specsByName = new LinkedHashMap<>();

    protected SwarmWorkerRuntime(SwarmWorkerRuntimeBuilder builder) {
        super(builder);
    }

    /** Returns {@code swarm}. */
    @Override
    public String name() {
        return "swarm";
    }

    /** Scales the worker's service to 0 replicas (it is kept, for {@link #restart(String)}, until {@link #close()}). */
    @Override
    public void stop(String workerName) {
        final ServiceWorker worker = known(workerName);
        scale(worker, 0);
        final long deadline = System.nanoTime() + REMOVE_TIMEOUT.toNanos();
        while (worker.isRunning() && System.nanoTime() < deadline) {
            sleep(100);
        }
        logger.info("stopped worker {} (service scaled to 0)", workerName);
    }

    /** Scales the worker's service back to 1 replica (a new task) and waits until it is healthy. */
    @Override
    public void restart(String workerName) {
        final ServiceWorker worker = known(workerName);
        scale(worker, 0);
        scale(worker, 1);
        try {
            worker.followLogs(true);
        } catch (IOException e) {
            throw new WorkerStartException("cannot follow the logs of worker " + workerName + ": " + e, e);
        }
        logger.info("restarted worker {} (service {})", workerName, DockerCommon.shortId(worker.serviceId()));
        health.await(List.of(worker), () -> closed, w -> {});
    }

    @Override
    protected List<ServiceWorker> launchAll(List<WorkerSpec> specs) {
        StartChecks.checkNew(specs, workers.values().stream().map(ServiceWorker::spec).collect(Collectors.toList()));
        StartChecks.checkFilesExist(specs, projectDirectory);
        DockerCommon.checkData(specs, projectDirectory);
        DockerCommon.checkSubnet(specs, config);
        DockerCommon.ping(docker);
        final int nodes = checkSwarm();
        removeDeadRuns();
        final Map<String, Service> leftovers = leftovers(specs);
        StartChecks.checkPortsFree(specs.stream().filter(s -> !leftovers.containsKey(s.name()))
                                        .collect(Collectors.toList()), "0.0.0.0");
        final InspectImageResponse base = DockerCommon.baseImage(docker, config);
        final Network existing = findNetwork("overlay");
        try {
            Files.createDirectories(logDirectory);
        } catch (IOException e) {
            throw new WorkerStartException("cannot create the worker log directory " + logDirectory + ": " + e, e);
        }
        final List<ServiceWorker> started = new ArrayList<>();
        try {
            final String network = existing != null ? existing.getId() : createNetwork("overlay");
            final boolean nativeInBase = DockerCommon.env(base).containsKey("PYTORCH_LIBRARY_PATH");
            final Map<String, WorkerImages.WorkerImage> images =
                    new WorkerImages(docker, imageRepository, identity.project())
                            .build(specs, config.dockerBaseImage(), base.getId(), classpath, nativeInBase);
            leftovers.forEach((name, service) -> {
                logger.info("replacing the service {} that an earlier run left behind", name);
                removeService(service.getId());
            });
            for (WorkerSpec spec : specs) {
                final String image = publish(images.get(spec.name()).image, nodes);
                final ServiceSpec serviceSpec = serviceSpec(spec, specs, network, image,
                                                            DockerCommon.command(jvmOptions, images.get(spec.name())),
                                                            nativeInBase);
                final String id = docker.createServiceCmd(serviceSpec).exec().getId();
                final ServiceWorker worker = new ServiceWorker(docker, spec, id, new WorkerOutput(
                        spec.name(), logDirectory.resolve(spec.name() + ".log")));
                started.add(worker);
                worker.followLogs(false);
                workers.put(spec.name(), worker);
                specsByName.put(spec.name(), serviceSpec);
                logger.info("created service {} for worker {} ({}, cpu reservation {} CPUs, port {} -> {}, " +
                            "constraints {})", DockerCommon.shortId(id), spec.name(), image,
                            spec.cpuShares() / 1024.0, spec.mappedPort(), config.workersPort(),
                            config.swarmConstraints(spec.name()));
            }
        } catch (IOException | RuntimeException e) {
            // Any failure, not only the daemon's: what this call created goes (see DockerWorkerRuntime).
            undo(started);
            started.forEach(w -> specsByName.remove(w.spec().name()));
            if (e instanceof WorkerStartException) {
                throw (WorkerStartException) e;
            }
            throw new WorkerStartException("cannot start the worker services: " + e.getMessage(), e);
        }
        return started;
    }

    private ServiceSpec serviceSpec(WorkerSpec spec, List<WorkerSpec> all, String network, String image,
                                    List<String> command, boolean nativeInBase) {
        final Map<String, String> labels = identity.labels(spec.name());
        final ContainerSpec container =
                new ContainerSpec().withImage(image)
                                   .withCommand(command)
                                   .withEnv(DockerCommon.environmentLines(
                                           DockerCommon.environment(spec, all, config, nativeInBase)))
                                   .withUser(DockerWorkerRuntime.CONTAINER_USER)
                                   .withHostname(spec.name())
                                   .withLabels(labels)
                                   .withStopGracePeriod(STOP_GRACE_NANOS);
        final TaskSpec task =
                new TaskSpec().withContainerSpec(container)
                              .withResources(new ResourceRequirements().withReservations(
                                      new ResourceSpecs().withNanoCPUs(spec.cpuShares() * 1_000_000_000L / 1024)))
                              .withRestartPolicy(new ServiceRestartPolicy().withCondition(ServiceRestartCondition.ANY)
                                                                           .withDelay(RESTART_DELAY_NANOS))
                              .withPlacement(new ServicePlacement().withConstraints(
                                      config.swarmConstraints(spec.name())))
                              .withNetworks(List.of(new NetworkAttachmentConfig().withTarget(network)
                                                                                 .withAliases(List.of(spec.name()))));
        return new ServiceSpec().withName(identity.resourceName(spec.name()))
                                .withLabels(labels)
                                .withTaskTemplate(task)
                                .withMode(new ServiceModeConfig().withReplicated(
                                        new ServiceReplicatedModeOptions().withReplicas(1)))
                                .withEndpointSpec(new EndpointSpec().withPorts(List.of(
                                        new PortConfig().withPublishMode(PortConfig.PublishMode.host)
                                                        .withProtocol(PortConfigProtocol.TCP)
                                                        .withTargetPort(config.workersPort())
                                                        .withPublishedPort(spec.mappedPort()))));
    }

    /** Returns the number of nodes; throws unless this Docker is an active swarm manager. */
    private int checkSwarm() {
        final SwarmInfo swarm = docker.infoCmd().exec().getSwarm();
        if (swarm == null || swarm.getLocalNodeState() != LocalNodeState.ACTIVE) {
            throw new WorkerStartException(
                    "the swarm runtime needs this Docker (" + DockerClients.host() + ") to be in a swarm; it is " +
                    (swarm == null ? "not" : swarm.getLocalNodeState()) + ": run `docker swarm init` (see " +
                    "docs/swarm.md), or use CHIMERA_RUNTIME=docker for one machine");
        }
        if (!Boolean.TRUE.equals(swarm.getControlAvailable())) {
            throw new WorkerStartException("the swarm runtime creates services, which needs a swarm manager: run " +
                                           "the master on a manager node, or promote this one " +
                                           "(docker node promote)");
        }
        final int nodes = swarm.getNodes() == null ? 1 : swarm.getNodes();
        if (nodes > 1 && config.swarmRegistry().isEmpty()) {
            throw new WorkerStartException(
                    "the swarm has " + nodes + " nodes, and each must pull the worker images: set " +
                    ChimeraConfig.SWARM_REGISTRY + " to a registry they can all reach, e.g. registry.lab:5000/chimera");
        }
        return nodes;
    }

    /** A one-node swarm runs the local image; with a registry, the image is tagged there and pushed. */
    private String publish(String image, int nodes) {
        if (config.swarmRegistry().isEmpty()) {
            return image;
        }
        final String tag = image.substring(image.lastIndexOf(':') + 1);
        final String repository = config.swarmRegistry().get() + '/' +
                                  image.substring(0, image.lastIndexOf(':')).replace('/', '-');
        docker.tagImageCmd(image, repository, tag).exec();
        try {
            docker.pushImageCmd(repository).withTag(tag).exec(new ResultCallback.Adapter<PushResponseItem>() {
                @Override
                public void onNext(PushResponseItem item) {
                    if (item.isErrorIndicated()) {
                        onError(new WorkerStartException("cannot push " + repository + ':' + tag + ": " +
                                                         (item.getErrorDetail() != null
                                                          ? item.getErrorDetail().getMessage() : item.getError())));
                    }
                }
            }).awaitCompletion(10, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WorkerStartException("interrupted while pushing " + repository + ':' + tag, e);
        }
        logger.info("pushed {}:{} for the {} nodes of the swarm", repository, tag, nodes);
        return repository + ':' + tag;
    }

    /**
     * Services of this project's workers that a run whose master is gone left behind, by worker name; one of
     * such a name that chimera did not create, or that a running master owns: throws.
     */
    private Map<String, Service> leftovers(List<WorkerSpec> specs) {
        final Map<String, Service> leftovers = new LinkedHashMap<>();
        final List<String> problems = new ArrayList<>();
        final Map<String, String> workerByName = new LinkedHashMap<>();
        specs.forEach(s -> workerByName.put(identity.resourceName(s.name()), s.name()));
        for (Service service : docker.listServicesCmd().withNameFilter(List.copyOf(workerByName.keySet())).exec()) {
            final String name = service.getSpec() == null ? null : service.getSpec().getName();
            if (name == null || !workerByName.containsKey(name)) {
                continue;
            }
            final Map<String, String> labels = service.getSpec().getLabels();
            if (!DockerCommon.isManaged(labels)) {
                problems.add("a swarm service named " + name + " exists and was not created by chimera: remove " +
                             "or rename it, or rename the worker");
            } else if (identity.ownership(labels) == RunIdentity.Ownership.LIVE) {
                problems.add("the swarm service " + name + " of worker " + workerByName.get(name) + " belongs " +
                             "to " + RunIdentity.describeOwner(labels) + ", which is running: stop that master " +
                             "first (one project's workers run under one master at a time)");
            } else {
                leftovers.put(workerByName.get(name), service);
            }
        }
        if (!problems.isEmpty()) {
            throw new WorkerStartException(String.join("\n", problems));
        }
        return leftovers;
    }

    /** Removes the services, and then the networks, of runs whose master is gone, whatever their project. */
    private void removeDeadRuns() {
        for (Service service : docker.listServicesCmd()
                                     .withLabelFilter(Map.of(DockerWorkerRuntime.MANAGED_LABEL, "true")).exec()) {
            final Map<String, String> labels = service.getSpec() == null || service.getSpec().getLabels() == null
                                               ? Map.of() : service.getSpec().getLabels();
            if (identity.ownership(labels) == RunIdentity.Ownership.DEAD) {
                logger.info("removing the service {} that a run of {} left behind when its master died",
                            service.getSpec().getName(),
                            labels.getOrDefault(RunIdentity.PROJECT_LABEL, "another project"));
                removeService(service.getId());
            }
        }
        removeDeadNetworks();
    }

    private void scale(ServiceWorker worker, long replicas) {
        final ServiceSpec spec;
        synchronized (this) {
            spec = specsByName.get(worker.spec().name());
        }
        final Service service = docker.inspectServiceCmd(worker.serviceId()).exec();
        spec.withMode(new ServiceModeConfig().withReplicated(new ServiceReplicatedModeOptions()
                                                                     .withReplicas((int) replicas)));
        docker.updateServiceCmd(worker.serviceId(), spec).withVersion(service.getVersion().getIndex()).exec();
    }

    /** Removes the services, then waits until their tasks' containers are gone (so the network can go). */
    @Override
    protected void removeAll(List<ServiceWorker> removing) {
        for (ServiceWorker worker : removing) {
            worker.closeLogs();
            removeService(worker.serviceId());
            logger.info("removed the service of worker {}", worker.spec().name());
        }
        final long deadline = System.nanoTime() + REMOVE_TIMEOUT.toNanos();
        for (ServiceWorker worker : removing) {
            while (System.nanoTime() < deadline &&
                   !docker.listContainersCmd().withShowAll(true)
                          .withLabelFilter(Map.of("com.docker.swarm.service.id", worker.serviceId()))
                          .exec().isEmpty()) {
                sleep(200);
            }
        }
    }

    private void removeService(String id) {
        try {
            docker.removeServiceCmd(id).exec();
        } catch (NotFoundException e) {
            // Already gone.
        }
    }
}
