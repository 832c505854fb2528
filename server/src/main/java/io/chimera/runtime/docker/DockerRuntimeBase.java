package io.chimera.runtime.docker;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.slf4j.Logger;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Network;

import io.chimera.observe.logging.ChimeraLogs;
import io.chimera.runtime.WorkerEndpoint;
import io.chimera.runtime.WorkerRuntime;
import io.chimera.runtime.WorkerSpec;
import io.chimera.runtime.WorkerStartException;
import io.chimera.runtime.docker.internal.DockerClients;
import io.chimera.runtime.docker.internal.DockerCommon;
import io.chimera.runtime.docker.internal.RunIdentity;
import io.chimera.runtime.internal.HealthWaiter;
import io.chimera.runtime.internal.StartingWorker;
import io.chimera.server.config.ChimeraConfig;

/**
 * What the docker and swarm runtimes share: their settings, the workers they started, the start and close
 * sequences, and the network chimera creates and removes.
 *
 * @param <W> how the runtime runs one worker: a container, a service
 */
public abstract class DockerRuntimeBase<W extends DockerRuntimeBase.RunningWorker> implements WorkerRuntime {

    /** A worker as the base sees it. */
    public interface RunningWorker extends StartingWorker {

        /** Returns whether it runs now. */
        boolean isRunning();

        /** Returns where the master reaches it once healthy. */
        WorkerEndpoint endpoint();
    }

    public static final Logger logger = ChimeraLogs.status();
    private static final Duration REMOVE_TIMEOUT = Duration.ofSeconds(30);

    public final ChimeraConfig config;
    public final String classpath;
    public final Path projectDirectory;
    public final Path logDirectory;
    public final List<String> jvmOptions;
    public final String imageRepository;
    public final DockerClient docker;
    public final HealthWaiter health;
    /** The project, run and owner that this runtime's containers, services and network carry. */
    public final RunIdentity identity;
    /** Every worker started and not given up on, by name; guarded by {@code this}. */
    public final Map<String, W> workers = new LinkedHashMap<>();
    /** The network to remove on close, if chimera created it; guarded by {@code this}. */
    protected String networkToRemove;
    protected volatile boolean closed;
    private final CountDownLatch closeDone = new CountDownLatch(1);

    public DockerRuntimeBase(ContainerRuntimeBuilder<?> builder) {
        config = builder.config;
        classpath = builder.classpath;
        projectDirectory = builder.projectDirectory;
        logDirectory = builder.logDirectory();
        jvmOptions = List.copyOf(builder.jvmOptions);
        imageRepository = builder.imageRepository;
        health = new HealthWaiter(builder.startupTimeout);
        docker = DockerClients.create();
        identity = RunIdentity.of(projectDirectory);
    }

    /**
     * Checks, creates and starts every worker of {@code specs} and adds it to {@link #workers}; called with
     * this runtime's lock held. On failure, removes what it created and throws.
     */
    protected abstract List<W> launchAll(List<WorkerSpec> specs);

    /** Stops and removes the workers, and what runs them. Never throws. */
    protected abstract void removeAll(List<W> removing);

    /** Called once by {@link #close()}, with the lock held, before anything is removed. */
    protected void closing() {}

    /** Called once by {@link #close()} after everything is removed. */
    protected void closed() {}

    /**
     * Starts every worker and waits until all are healthy.
     *
     * @throws IllegalArgumentException if a name or port is repeated or already used by this runtime
     * @throws WorkerStartException if a check fails (nothing was created then), an image cannot be built, or a
     *                              worker exits or stays unhealthy past the startup timeout (the workers of
     *                              this call are removed then)
     */
    @Override
    public List<WorkerEndpoint> start(List<WorkerSpec> specs) {
        requireNonNull(specs, "specs");
        final List<W> started;
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("this runtime is closed");
            }
            started = launchAll(List.copyOf(specs));
        }
        try {
            health.await(started, () -> closed, this::removeAll);
        } catch (WorkerStartException e) {
            synchronized (this) {
                started.forEach(w -> workers.remove(w.spec().name(), w));
            }
            throw e;
        }
        return started.stream().map(RunningWorker::endpoint).collect(Collectors.toList());
    }

    @Override
    public synchronized boolean isRunning(String workerName) {
        final W worker = workers.get(requireNonNull(workerName, "workerName"));
        return worker != null && worker.isRunning();
    }

    /**
     * Removes every worker this runtime started, then the network if chimera created it. Never throws; a
     * second call (e.g. from another shutdown hook) waits for the first to finish.
     */
    @Override
    public void close() {
        final List<W> all;
        final String network;
        synchronized (this) {
            if (closed) {
                all = null;
                network = null;
            } else {
                closed = true;
                all = new ArrayList<>(workers.values());
                workers.clear();
                network = networkToRemove;
                networkToRemove = null;
                closing();
            }
        }
        if (all == null) {
            try {
                if (!closeDone.await(REMOVE_TIMEOUT.toSeconds() * 2, TimeUnit.SECONDS)) {
                    logger.warn("the workers of the {} runtime are still being removed", name());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return;
        }
        try {
            removeAll(all);
            if (network != null) {
                removeNetwork(network);
            }
        } catch (RuntimeException e) {
            logger.warn("could not remove every worker of the {} runtime", name(), e);
        } finally {
            try {
                docker.close();
            } catch (IOException e) {
                logger.debug("closing the Docker client: {}", e.toString());
            }
            closed();
            closeDone.countDown();
        }
    }

    /** Undoes a failed {@link #launchAll}: removes {@code started}, then the network if nothing else uses it. */
    protected void undo(List<W> started) {
        removeAll(started);
        started.forEach(w -> workers.remove(w.spec().name(), w));
        if (networkToRemove != null && workers.isEmpty()) {
            removeNetwork(networkToRemove);
            networkToRemove = null;
        }
    }

    protected synchronized W known(String workerName) {
        final W worker = workers.get(requireNonNull(workerName, "workerName"));
        if (worker == null) {
            throw new IllegalArgumentException("workerName: " + workerName + " (expected: one of " +
                                               workers.keySet() + ')');
        }
        return worker;
    }

    protected void checkOpen() {
        if (closed) {
            throw new IllegalStateException("this runtime is closed");
        }
    }

    /**
     * Returns the network {@code CHIMERA_NETWORK_NAME}, or null when there is none; throws when it exists with
     * another driver or subnet, or when a running master's workers use it (their addresses are the ones this
     * run would take). A network with chimera's label is removed on close.
     */
    protected Network findNetwork(String driver) {
        final Network network = docker.listNetworksCmd().withNameFilter(config.networkName()).exec().stream()
                                      .filter(n -> config.networkName().equals(n.getName()))
                                      .findFirst().orElse(null);
        if (network == null) {
            return null;
        }
        final List<String> subnets = network.getIpam() == null || network.getIpam().getConfig() == null
                                     ? List.of()
                                     : network.getIpam().getConfig().stream().map(Network.Ipam.Config::getSubnet)
                                              .filter(Objects::nonNull).collect(Collectors.toList());
        if (!driver.equals(network.getDriver()) || !subnets.contains(config.subnet())) {
            throw new WorkerStartException(
                    "the Docker network " + config.networkName() + " exists (driver " + network.getDriver() +
                    ", subnet " + (subnets.isEmpty() ? "(none)" : String.join(", ", subnets)) + "), not as a " +
                    driver + " network with subnet " + config.subnet() + ": remove it (docker network rm " +
                    config.networkName() + ") or choose another CHIMERA_NETWORK_NAME or CHIMERA_NETWORK_PREFIX");
        }
        final List<Map<String, String>> live = attachedLabels(network.getId()).stream()
                .filter(l -> identity.ownership(l) == RunIdentity.Ownership.LIVE).collect(Collectors.toList());
        if (!live.isEmpty()) {
            throw new WorkerStartException(
                    "the Docker network " + config.networkName() + " is in use by the workers of " +
                    RunIdentity.describeOwner(live.get(0)) + ", and this run would take the same addresses: " +
                    "give this project its own CHIMERA_NETWORK_NAME and CHIMERA_NETWORK_PREFIX (and " +
                    "CHIMERA_WORKERS_MAPPED_PORTS), or stop that master first");
        }
        if (DockerCommon.isManaged(network.getLabels())) {
            networkToRemove = network.getId();
        }
        logger.info("reusing the Docker network {} ({}, {})", config.networkName(), driver, config.subnet());
        return network;
    }

    /** The labels of the containers attached to the network {@code id} (none when it is gone). */
    protected List<Map<String, String>> attachedLabels(String id) {
        final Map<String, Network.ContainerNetworkConfig> attached;
        try {
            attached = docker.inspectNetworkCmd().withNetworkId(id).exec().getContainers();
        } catch (NotFoundException e) {
            return List.of();
        }
        if (attached == null) {
            return List.of();
        }
        final List<Map<String, String>> labels = new ArrayList<>();
        for (String container : attached.keySet()) {
            try {
                final var config = docker.inspectContainerCmd(container).exec().getConfig();
                labels.add(config == null || config.getLabels() == null ? Map.of() : config.getLabels());
            } catch (NotFoundException e) {
                // Detached meanwhile.
            }
        }
        return labels;
    }

    /** Creates the network {@code CHIMERA_NETWORK_NAME} with chimera's label, to be removed on close. */
    protected String createNetwork(String driver) {
        try {
            final String id = docker.createNetworkCmd()
                                    .withName(config.networkName())
                                    .withDriver(driver)
                                    .withAttachable("overlay".equals(driver) ? true : null)
                                    .withIpam(new Network.Ipam().withConfig(new Network.Ipam.Config()
                                                                                    .withSubnet(config.subnet())
                                                                                    .withGateway(config.gateway())))
                                    .withLabels(identity.labels(null))
                                    .exec().getId();
            networkToRemove = id;
            logger.info("created the Docker network {} ({}, {}, gateway {})", config.networkName(), driver,
                        config.subnet(), config.gateway());
            return id;
        } catch (DockerException e) {
            final String message = String.valueOf(e.getMessage()).trim();
            throw new WorkerStartException(
                    "cannot create the Docker network " + config.networkName() + " with subnet " + config.subnet() +
                    ": " + message + (message.contains("overlaps")
                                      ? " (another network uses these addresses: choose another " +
                                        "CHIMERA_NETWORK_PREFIX)" : ""), e);
        }
    }

    /**
     * Removes the network, retrying while the last containers of this run detach from it; leaves it when
     * containers of another run use it.
     */
    protected void removeNetwork(String id) {
        final long deadline = System.nanoTime() + REMOVE_TIMEOUT.toNanos();
        while (true) {
            final long others = attachedLabels(id).stream()
                                                   .filter(l -> identity.ownership(l) != RunIdentity.Ownership.OURS)
                                                   .count();
            if (others > 0) {
                logger.info("leaving the Docker network {}: {} container(s) of another run use it",
                            config.networkName(), others);
                return;
            }
            try {
                docker.removeNetworkCmd(id).exec();
                logger.info("removed the Docker network {}", config.networkName());
                return;
            } catch (NotFoundException e) {
                return;
            } catch (RuntimeException e) {
                if (System.nanoTime() > deadline) {
                    logger.warn("cannot remove the Docker network {}: {}", config.networkName(), e.toString());
                    return;
                }
                sleep(200);
            }
        }
    }

    /** Removes chimera's networks whose run's master is gone and that no container uses any more. */
    protected void removeDeadNetworks() {
        for (Network n : docker.listNetworksCmd()
                               .withFilter("label", List.of(DockerWorkerRuntime.MANAGED_LABEL + "=true")).exec()) {
            if (identity.ownership(n.getLabels() == null ? Map.of() : n.getLabels()) == RunIdentity.Ownership.DEAD &&
                attachedLabels(n.getId()).isEmpty()) {
                try {
                    docker.removeNetworkCmd(n.getId()).exec();
                    logger.info("removed the Docker network {} that a run of {} left behind when its master died",
                                n.getName(), n.getLabels().getOrDefault(RunIdentity.PROJECT_LABEL, "another project"));
                } catch (RuntimeException e) {
                    logger.debug("cannot remove the Docker network {}: {}", n.getName(), e.toString());
                }
            }
        }
    }

    protected static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
