package io.chimera.server.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

import io.chimera.node.client.WorkerTransport;

/**
 * The immutable configuration of a chimera master and its workers: chimera's {@code CHIMERA_*} variables
 * with the same names, defaults and checks, plus {@code CHIMERA_RUNTIME}, {@code CHIMERA_SEED} and
 * {@code CHIMERA_WORKERS_STARTUP_TIMEOUT}.
 *
 * <p>Each variable is taken from the first source that sets it:
 * <ol>
 *   <li>a value set in code on the {@link ChimeraConfigBuilder};</li>
 *   <li>a {@code -D} system property of the same name, e.g. {@code -DCHIMERA_WORKERS_NODES_NAMES=["w1"]};</li>
 *   <li>an environment variable of the same name;</li>
 *   <li>the default.</li>
 * </ol>
 * Code wins because it is the most explicit; {@code -D} beats the environment because it is given for
 * one run of one JVM, whereas the environment is inherited from the shell.
 *
 * <p>Where chimera's behaviour surprises users this class differs, on purpose:
 * <ul>
 *   <li>a one-element {@code CHIMERA_WORKERS_CPU_SHARES} list applies to every worker;</li>
 *   <li>a one-element {@code CHIMERA_WORKERS_MAPPED_PORTS} list {@code [p]} with N workers means the N
 *       consecutive ports {@code p, p+1, ..., p+N-1}; when the variable is not set at all, workers get
 *       8081, 8082, ...; any other length that differs from the number of workers is an error;</li>
 *   <li>{@code CHIMERA_WORKERS_HOST} defaults to {@code 127.0.0.1} (chimera binds {@code 0.0.0.0}, which
 *       exposes every worker on every network interface of the host);</li>
 *   <li>a {@code CHIMERA_NETWORK_PREFIX} of fewer than three octets is padded with {@code .0}, so that
 *       {@code 10.1} gives the subnet {@code 10.1.0.0/MASK} and worker {@code i} the address
 *       {@code 10.1.0.(i+2)}.</li>
 * </ul>
 * Every violation is reported at once by {@link ChimeraConfigBuilder#build()} as a
 * {@link ChimeraConfigException}.
 */
public final class ChimeraConfig {

    /** Name of the Docker network. Default {@code chimera-network}. */
    public static final String NETWORK_NAME = "CHIMERA_NETWORK_NAME";
    /** IPv4 prefix of the Docker network, 1 to 3 octets. Default {@code 192.168.10}. */
    public static final String NETWORK_PREFIX = "CHIMERA_NETWORK_PREFIX";
    /** Subnet mask of the Docker network, 0 to 32. Default {@code 24}. */
    public static final String NETWORK_SUBNET_MASK = "CHIMERA_NETWORK_SUBNET_MASK";
    /** JSON list of the unique worker names. Required. */
    public static final String WORKERS_NODES_NAMES = "CHIMERA_WORKERS_NODES_NAMES";
    /** JSON list of CPU shares (integers {@code >= 2}), one per worker or one for all. Default {@code [2]}. */
    public static final String WORKERS_CPU_SHARES = "CHIMERA_WORKERS_CPU_SHARES";
    /** JSON list of unique host ports, one per worker or the first of consecutive ones. Default 8081, 8082, .... */
    public static final String WORKERS_MAPPED_PORTS = "CHIMERA_WORKERS_MAPPED_PORTS";
    /** Host address the worker ports bind to. Default {@code 127.0.0.1}. */
    public static final String WORKERS_HOST = "CHIMERA_WORKERS_HOST";
    /** Port a worker listens on inside its container. Default {@code 80}. */
    public static final String WORKERS_PORT = "CHIMERA_WORKERS_PORT";
    /** Retries per master to worker call, {@code >= 0}. Default {@code 0}. */
    public static final String WORKERS_ENDPOINTS_MAX_RETRIES = "CHIMERA_WORKERS_ENDPOINTS_MAX_RETRIES";
    /** Seconds per master to worker call, {@code > 0}. Default {@code 100.0}. */
    public static final String WORKERS_ENDPOINTS_TIMEOUT = "CHIMERA_WORKERS_ENDPOINTS_TIMEOUT";
    /** Worker runtime: {@code process}, {@code docker}, {@code swarm} or {@code auto}. Default {@code auto}. */
    public static final String RUNTIME = "CHIMERA_RUNTIME";
    /** Base seed (a long) from which every worker gets its own stream. Default {@code 0}, the random_state of chimera's bootstrapper. */
    public static final String SEED = "CHIMERA_SEED";
    /** Seconds to wait for every worker to answer its health check, {@code > 0}. Default {@code 60}. */
    public static final String WORKERS_STARTUP_TIMEOUT = "CHIMERA_WORKERS_STARTUP_TIMEOUT";

    /**
     * How the master talks to workers: {@code grpc} (protobuf binary, the fastest) or {@code rest} (chimera's
     * JSON API, for workers written in anything). Default {@code grpc}.
     */
    public static final String WORKERS_TRANSPORT = "CHIMERA_WORKERS_TRANSPORT";

    /**
     * The image that worker images are built {@code FROM} on the docker runtime. Default
     * {@code eclipse-temurin:17-jre}, for users with a registry; with none, build the offline one with
     * {@code docker/build-base-image.sh} and set {@code chimera/jre:17}. Never pulled when present locally.
     */
    public static final String DOCKER_BASE_IMAGE = "CHIMERA_DOCKER_BASE_IMAGE";

    /**
     * On the swarm runtime, the registry the worker images are pushed to so that every node can pull them,
     * e.g. {@code registry.example.com:5000/chimera}. Required when the swarm has more than one node; not set
     * by default (a one-node swarm uses its local images).
     */
    public static final String SWARM_REGISTRY = "CHIMERA_SWARM_REGISTRY";

    /**
     * On the swarm runtime, placement constraints per worker, a JSON object of lists, e.g.
     * {@code {"w1": ["node.hostname==lab-1"], "w2": ["node.labels.gpu==yes"]}}. Default {@code {}}.
     */
    public static final String SWARM_CONSTRAINTS = "CHIMERA_SWARM_CONSTRAINTS";

    /**
     * Whether the master prints a progress line during a fit: {@code auto} (when it runs on a terminal),
     * {@code on} or {@code off}. Default {@code auto}.
     */
    public static final String PROGRESS = "CHIMERA_PROGRESS";

    /**
     * Seconds between two health probes of each worker by the master ({@code GET /v1/chimera/health}),
     * {@code >= 0}; {@code 0} turns the probe off (the master's own calls still tell). Default {@code 5}.
     */
    public static final String WORKERS_HEALTH_INTERVAL = "CHIMERA_WORKERS_HEALTH_INTERVAL";
    /**
     * A token every client call to the master must carry ({@code Authorization: Bearer <token>}), the health route
     * and the dashboard page aside; unset by default (the master listens on 127.0.0.1 only). At least 16
     * characters of {@code A-Z a-z 0-9 - . _ ~ + / =}.
     */
    public static final String API_TOKEN = "CHIMERA_API_TOKEN";

    /**
     * Conditions injected into workers on purpose, a JSON object by worker name, e.g.
     * {@code {"sgd2": {"step_delay_ms": 50}, "sgd3": {"latency_ms": 5}}}: {@code step_delay_ms} before each
     * training step (a straggler), {@code latency_ms} before each answer (a slow link), 0 to 600000 each;
     * {@code exit_at_step}: the worker exits at that step (1 for the first), a worker lost mid-fit. The worker
     * applies them itself, on every runtime ({@link WorkerInjection}). Default {@code {}}: none.
     */
    public static final String WORKERS_INJECT = "CHIMERA_WORKERS_INJECT";

    /** Every variable, in the order of the configuration table. */
    public static final List<String> VARIABLES = List.of(
            NETWORK_NAME, NETWORK_PREFIX, NETWORK_SUBNET_MASK, WORKERS_NODES_NAMES, WORKERS_CPU_SHARES,
            WORKERS_MAPPED_PORTS, WORKERS_HOST, WORKERS_PORT, WORKERS_ENDPOINTS_MAX_RETRIES,
            WORKERS_ENDPOINTS_TIMEOUT, RUNTIME, SEED, WORKERS_STARTUP_TIMEOUT, WORKERS_TRANSPORT, DOCKER_BASE_IMAGE, SWARM_REGISTRY,
            SWARM_CONSTRAINTS, PROGRESS, WORKERS_HEALTH_INTERVAL, API_TOKEN, WORKERS_INJECT);

    /** The rule of {@link #isValidName(String)}, in words. */
    static final String NAME_RULE = "a letter or digit, then letters, digits, '_', '.' or '-'";

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");

    /** Returns a new builder; see the class comment for where values come from. */
    public static ChimeraConfigBuilder builder() {
        return new ChimeraConfigBuilder();
    }

    /**
     * Returns whether {@code name} can name a worker (its entry in {@code chimera_workers/}, its data folder,
     * its log file and its container) or a Docker network: a letter or digit, then letters, digits,
     * {@code _}, {@code .} or {@code -}.
     */
    public static boolean isValidName(String name) {
        return NAME.matcher(name).matches();
    }

    private final String networkName;
    private final String networkPrefix;
    private final int subnetMask;
    private final List<String> workerNames;
    private final List<Integer> cpuShares;
    private final List<Integer> mappedPorts;
    private final String workersHost;
    private final int workersPort;
    private final int endpointsMaxRetries;
    private final Duration timeout;
    private final String runtime;
    private final long seed;
    private final Duration startupTimeout;
    private final WorkerTransport transport;
    private final String dockerBaseImage;
    private final String swarmRegistry;
    private final Map<String, List<String>> swarmConstraints;
    private final String progress;
    private final Duration healthInterval;
    private final String apiToken;
    private final Map<String, WorkerInjection> injections;
    /** {@link #networkPrefix} padded to three octets. */
    private final String threeOctets;

    ChimeraConfig(String networkName, String networkPrefix, int subnetMask, List<String> workerNames,
                  List<Integer> cpuShares, List<Integer> mappedPorts, String workersHost, int workersPort,
                  int endpointsMaxRetries, Duration timeout, String runtime, long seed,
                  Duration startupTimeout, WorkerTransport transport, String dockerBaseImage,
                  String swarmRegistry, Map<String, List<String>> swarmConstraints, String progress,
                  Duration healthInterval, String apiToken, Map<String, WorkerInjection> injections) {
        this.networkName = networkName;
        this.networkPrefix = networkPrefix;
        this.subnetMask = subnetMask;
        this.workerNames = List.copyOf(workerNames);
        this.cpuShares = List.copyOf(cpuShares);
        this.mappedPorts = List.copyOf(mappedPorts);
        this.workersHost = workersHost;
        this.workersPort = workersPort;
        this.endpointsMaxRetries = endpointsMaxRetries;
        this.timeout = timeout;
        this.runtime = runtime;
        this.seed = seed;
        this.startupTimeout = startupTimeout;
        this.transport = transport;
        this.dockerBaseImage = dockerBaseImage;
        this.swarmRegistry = swarmRegistry;
        this.swarmConstraints = Map.copyOf(swarmConstraints);
        this.progress = progress;
        this.healthInterval = healthInterval;
        this.apiToken = apiToken;
        this.injections = Map.copyOf(injections);
        threeOctets = networkPrefix + ".0".repeat(3 - networkPrefix.split("\\.").length);
    }

    /** Returns what is injected into worker {@code name} ({@code CHIMERA_WORKERS_INJECT}); none by default. */
    public WorkerInjection injection(String name) {
        return injections.getOrDefault(name, WorkerInjection.NONE);
    }

    /** Returns the Docker network name ({@code CHIMERA_NETWORK_NAME}). */
    public String networkName() {
        return networkName;
    }

    /** Returns the network prefix as given ({@code CHIMERA_NETWORK_PREFIX}), e.g. {@code 192.168.10}. */
    public String networkPrefix() {
        return networkPrefix;
    }

    /** Returns the subnet mask ({@code CHIMERA_NETWORK_SUBNET_MASK}). */
    public int subnetMask() {
        return subnetMask;
    }

    /** Returns the subnet in CIDR notation, {@code PREFIX.0/MASK}, e.g. {@code 192.168.10.0/24}. */
    public String subnet() {
        return threeOctets + ".0/" + subnetMask;
    }

    /** Returns the gateway of the network, {@code PREFIX.1}. */
    public String gateway() {
        return threeOctets + ".1";
    }

    /** Returns the number of workers. */
    public int workerCount() {
        return workerNames.size();
    }

    /** Returns the worker names in order ({@code CHIMERA_WORKERS_NODES_NAMES}); worker {@code i} is the i-th. */
    public List<String> workerNames() {
        return workerNames;
    }

    /** Returns the IP address of worker {@code i} (0-based) on the Docker network, {@code PREFIX.(i+2)}. */
    public String workerIp(int i) {
        Objects.checkIndex(i, workerNames.size());
        return threeOctets + '.' + (i + 2);
    }

    /** Returns the CPU shares of worker {@code i} (0-based). */
    public int cpuShares(int i) {
        return cpuShares.get(Objects.checkIndex(i, workerNames.size()));
    }

    /** Returns the host port of worker {@code i} (0-based). */
    public int mappedPort(int i) {
        return mappedPorts.get(Objects.checkIndex(i, workerNames.size()));
    }

    /** Returns the host address that worker ports bind to ({@code CHIMERA_WORKERS_HOST}). */
    public String workersHost() {
        return workersHost;
    }

    /** Returns the port a worker listens on inside its container ({@code CHIMERA_WORKERS_PORT}). */
    public int workersPort() {
        return workersPort;
    }

    /** Returns how many times a failed master to worker call is retried. */
    public int endpointsMaxRetries() {
        return endpointsMaxRetries;
    }

    /** Returns the timeout of one master to worker call ({@code CHIMERA_WORKERS_ENDPOINTS_TIMEOUT}). */
    public Duration timeout() {
        return timeout;
    }

    /** Returns the worker runtime: {@code process}, {@code docker}, {@code swarm} or {@code auto}. */
    public String runtime() {
        return runtime;
    }

    /** Returns the base seed ({@code CHIMERA_SEED}). */
    public long seed() {
        return seed;
    }

    /** Returns how long to wait for every worker to answer its health check. */
    public Duration startupTimeout() {
        return startupTimeout;
    }

    /** Returns how the master talks to its workers ({@code CHIMERA_WORKERS_TRANSPORT}). */
    public WorkerTransport transport() {
        return transport;
    }

    /** Returns the image worker images are built from on the docker runtime ({@code CHIMERA_DOCKER_BASE_IMAGE}). */
    public String dockerBaseImage() {
        return dockerBaseImage;
    }

    /**
     * {@code CHIMERA_API_TOKEN} of the process (a {@code -D} property or the environment), for a master with no
     * workers, which reads no other variable.
     *
     * @throws ChimeraConfigException when it is set but not a token
     */
    public static Optional<String> apiTokenOfProcess() {
        return Optional.ofNullable(ConfigResolver.apiToken(System.getProperties(), System.getenv()));
    }

    /** Returns the token clients must send the master ({@code CHIMERA_API_TOKEN}); empty when not set. */
    public Optional<String> apiToken() {
        return Optional.ofNullable(apiToken);
    }

    /** Returns the registry worker images are pushed to on the swarm runtime; empty when not set. */
    public Optional<String> swarmRegistry() {
        return Optional.ofNullable(swarmRegistry);
    }

    /** Returns the swarm placement constraints of worker {@code name}; empty when it has none. */
    public List<String> swarmConstraints(String name) {
        return swarmConstraints.getOrDefault(name, List.of());
    }

    /** Returns when the master prints progress lines during a fit: {@code auto}, {@code on} or {@code off}. */
    public String progress() {
        return progress;
    }

    /**
     * Returns whether progress lines are printed: {@code on}, or {@code auto} and {@code terminal} (whether the
     * JVM runs on a terminal, {@code System.console() != null}).
     */
    public boolean progressEnabled(boolean terminal) {
        return "on".equals(progress) || "auto".equals(progress) && terminal;
    }

    /** Returns the time between two health probes of each worker; {@link Duration#ZERO} when off. */
    public Duration healthInterval() {
        return healthInterval;
    }

    @Override
    public String toString() {
        return "ChimeraConfig{" + NETWORK_NAME + '=' + networkName + ", " + NETWORK_PREFIX + '=' + networkPrefix +
               ", " + NETWORK_SUBNET_MASK + '=' + subnetMask + ", " + WORKERS_NODES_NAMES + '=' + workerNames +
               ", " + WORKERS_CPU_SHARES + '=' + cpuShares + ", " + WORKERS_MAPPED_PORTS + '=' + mappedPorts +
               ", " + WORKERS_HOST + '=' + workersHost + ", " + WORKERS_PORT + '=' + workersPort +
               ", " + WORKERS_ENDPOINTS_MAX_RETRIES + '=' + endpointsMaxRetries +
               ", " + WORKERS_ENDPOINTS_TIMEOUT + '=' + timeout + ", " + RUNTIME + '=' + runtime +
               ", " + SEED + '=' + seed + ", " + WORKERS_STARTUP_TIMEOUT + '=' + startupTimeout +
               ", " + WORKERS_TRANSPORT + '=' + transport + ", " + DOCKER_BASE_IMAGE + '=' + dockerBaseImage +
               ", " + SWARM_REGISTRY + '=' + swarmRegistry + ", " + SWARM_CONSTRAINTS + '=' + swarmConstraints +
               ", " + PROGRESS + '=' + progress + ", " + WORKERS_HEALTH_INTERVAL + '=' + healthInterval +
               ", " + API_TOKEN + '=' + (apiToken == null ? "null" : "(set)") + '}';
    }
}
