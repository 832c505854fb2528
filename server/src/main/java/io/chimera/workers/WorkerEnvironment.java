package io.chimera.workers;

import static java.util.Objects.requireNonNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import io.chimera.server.config.WorkerInjection;

/**
 * What a worker learns from its environment, set by the runtime that starts it (a child process or a
 * container) and read the same way in both.
 *
 * <table>
 * <caption>Worker environment variables</caption>
 * <tr><th>variable</th><th>default</th><th>meaning</th></tr>
 * <tr><td>{@code CHIMERA_WORKER_NAME}</td><td>{@code worker}</td><td>the worker's name in
 * {@code CHIMERA_WORKERS_NODES_NAMES}</td></tr>
 * <tr><td>{@code CHIMERA_WORKER_INDEX}</td><td>0</td><td>its position in that list</td></tr>
 * <tr><td>{@code CHIMERA_WORKERS_HOST}</td><td>{@code 127.0.0.1}</td><td>address to bind (containers get
 * {@code 0.0.0.0} from the Docker runtime)</td></tr>
 * <tr><td>{@code CHIMERA_WORKERS_PORT}</td><td>80</td><td>port to serve on</td></tr>
 * <tr><td>{@code CHIMERA_TRAIN_DATA_DIR}</td><td>{@code chimera_train_data/<name>}, else
 * {@code chimera_train_data}</td><td>folder with {@code X_train.csv} and {@code y_train.csv}</td></tr>
 * <tr><td>{@code CHIMERA_SEED}</td><td>0</td><td>base seed; each worker derives its own stream from it
 * and its name</td></tr>
 * <tr><td>{@code CHIMERA_WORKERS_PEERS}</td><td>none</td><td>every worker of the run, itself included, in the
 * order of {@code CHIMERA_WORKERS_NODES_NAMES}: {@code name=host:port} separated by commas, where this worker
 * reaches each (loopback ports for processes, the names Docker resolves for containers)</td></tr>
 * <tr><td>{@code CHIMERA_RUN_SECRET}</td><td>none: any call is taken</td><td>the run's secret, which every call
 * but health and metrics must carry as {@code Authorization: Bearer <secret>} (401 {@code UnauthenticatedError}
 * without it);
 * every runtime sets it</td></tr>
 * <tr><td>{@code CHIMERA_EXIT_WITH_MASTER}</td><td>none</td><td>{@code stdin}: exit when the standard input
 * ends, that is when the master that launched the worker is gone (the process runtime sets it)</td></tr>
 * <tr><td>{@code CHIMERA_INJECT_STEP_DELAY_MS}</td><td>0</td><td>milliseconds to wait before each training step:
 * a straggler on purpose (the master sets it from {@code CHIMERA_WORKERS_INJECT})</td></tr>
 * <tr><td>{@code CHIMERA_INJECT_LATENCY_MS}</td><td>0</td><td>milliseconds to wait before each step's answer:
 * added network latency (idem)</td></tr>
 * <tr><td>{@code CHIMERA_INJECT_EXIT_AT_STEP}</td><td>0</td><td>the step at which the worker exits instead of
 * answering: a worker lost mid-fit (idem)</td></tr>
 * </table>
 */
public final class WorkerEnvironment {

    /** The worker's name. */
    public static final String NAME = "CHIMERA_WORKER_NAME";
    /** The worker's 0-based index in {@code CHIMERA_WORKERS_NODES_NAMES}. */
    public static final String INDEX = "CHIMERA_WORKER_INDEX";
    /** The address the worker listens on. */
    public static final String HOST = "CHIMERA_WORKERS_HOST";
    /** The port the worker listens on. */
    public static final String PORT = "CHIMERA_WORKERS_PORT";
    /** The folder of the worker's {@code X_train.csv} and {@code y_train.csv}. */
    public static final String TRAIN_DATA_DIR = "CHIMERA_TRAIN_DATA_DIR";
    /** The run's base seed. */
    public static final String SEED = "CHIMERA_SEED";
    /** Every worker of the run and where this one reaches it: {@code name=host:port,...}. */
    public static final String PEERS = "CHIMERA_WORKERS_PEERS";
    /**
     * {@code stdin}: the worker exits when its standard input ends, which is when the master that launched it
     * (and holds the other end of the pipe) is gone, however it ended (SIGKILL included). The process runtime
     * sets it.
     */
    public static final String EXIT_WITH_MASTER = "CHIMERA_EXIT_WITH_MASTER";
    /**
     * The run's secret: the worker then takes calls only with {@code Authorization: Bearer <secret>} (its health
     * route aside), and sends it to its peers. Every runtime sets it from the master's run.
     */
    public static final String RUN_SECRET = "CHIMERA_RUN_SECRET";
    /**
     * Milliseconds the worker waits before each training step, as if it computed that much slower: a straggler
     * made on purpose (the lab's experiments). Counts in the step's reported compute time. Default 0. The master
     * sets it from {@code CHIMERA_WORKERS_INJECT}.
     */
    public static final String INJECT_STEP_DELAY_MS = "CHIMERA_INJECT_STEP_DELAY_MS";
    /**
     * Milliseconds the worker waits before sending each step's answer, as a slow network would: added latency
     * per call. Not counted as compute time. Default 0. The master sets it from {@code CHIMERA_WORKERS_INJECT}.
     */
    public static final String INJECT_LATENCY_MS = "CHIMERA_INJECT_LATENCY_MS";
    /**
     * The step (1 for the first) at which the worker exits, with status 137 and a line on its standard error,
     * instead of answering: a worker lost mid-fit, made on purpose. Default 0: never. The master sets it from
     * {@code CHIMERA_WORKERS_INJECT}.
     */
    public static final String INJECT_EXIT_AT_STEP = "CHIMERA_INJECT_EXIT_AT_STEP";

    static final String DEFAULT_NAME = "worker";
    static final String DEFAULT_HOST = "127.0.0.1";
    static final int DEFAULT_PORT = 80;
    static final long DEFAULT_SEED = 0;
    static final String TRAIN_DATA_FOLDER = "chimera_train_data";
    /** Reads the process environment. */
    public static WorkerEnvironment fromSystem() {
        return from(System.getenv());
    }

    /** Reads the given variables; bad values are an {@link IllegalArgumentException} naming them. */
    public static WorkerEnvironment from(Map<String, String> env) {
        final String name = env.getOrDefault(NAME, DEFAULT_NAME).trim();
        final int index = parseInt(env, INDEX, 0, 0, Integer.MAX_VALUE);
        final String host = env.getOrDefault(HOST, DEFAULT_HOST).trim();
        final int port = parseInt(env, PORT, DEFAULT_PORT, 0, 65535);
        final long seed;
        try {
            seed = Long.parseLong(env.getOrDefault(SEED, Long.toString(DEFAULT_SEED)).trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(SEED + "=" + env.get(SEED)
                                               + ": expected an integer");
        }
        final String dir = env.get(TRAIN_DATA_DIR);
        final Path dataDir;
        if (dir != null && !dir.isBlank()) {
            dataDir = Path.of(dir.trim());
        } else {
            final Path own = Path.of(TRAIN_DATA_FOLDER, name);
            dataDir = Files.isDirectory(own) ? own : Path.of(TRAIN_DATA_FOLDER);
        }
        return new WorkerEnvironment(name, index, host, port, dataDir, seed)
                .withPeers(parsePeers(env.getOrDefault(PEERS, "")))
                .withSecret(env.get(RUN_SECRET))
                .withInjection(new WorkerInjection(
                        parseInt(env, INJECT_STEP_DELAY_MS, 0, 0, WorkerInjection.MAX_MILLIS),
                        parseInt(env, INJECT_LATENCY_MS, 0, 0, WorkerInjection.MAX_MILLIS),
                        parseInt(env, INJECT_EXIT_AT_STEP, 0, 0, Integer.MAX_VALUE)));
    }

    /** Reads {@code name=host:port,...} into worker name → base URL, in order. */
    static Map<String, String> parsePeers(String raw) {
        final Map<String, String> peers = new java.util.LinkedHashMap<>();
        if (raw.isBlank()) {
            return peers;
        }
        for (String entry : raw.split(",")) {
            final int eq = entry.indexOf('=');
            final int colon = entry.lastIndexOf(':');
            if (eq <= 0 || colon < eq + 2 || colon == entry.length() - 1) {
                throw new IllegalArgumentException(PEERS + '=' + raw + ": expected name=host:port entries "
                                                   + "separated by commas, found '" + entry + '\'');
            }
            final String name = entry.substring(0, eq).trim();
            if (peers.put(name, "http://" + entry.substring(eq + 1).trim()) != null) {
                throw new IllegalArgumentException(PEERS + '=' + raw + ": worker " + name + " is named twice");
            }
        }
        return peers;
    }

    /** Writes worker name → {@code host:port} as {@link #PEERS} holds it. */
    public static String peersVariable(Map<String, String> hostAndPortByName) {
        final StringBuilder b = new StringBuilder();
        hostAndPortByName.forEach((name, address) -> b.append(b.length() == 0 ? "" : ",").append(name).append('=')
                                                      .append(address));
        return b.toString();
    }

    private static int parseInt(Map<String, String> env, String key, int def, int min, int max) {
        final String raw = env.get(key);
        if (raw == null || raw.isBlank()) {
            return def;
        }
        try {
            final int v = Integer.parseInt(raw.trim());
            if (v >= min && v <= max) {
                return v;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException(key + '=' + raw + ": expected an integer between " + min
                                           + " and " + max);
    }

    private final String name;
    private final int index;
    private final String host;
    private final int port;
    private final Path dataDir;
    private final long seed;
    private Map<String, String> peers = Map.of();
    private String secret;
    private WorkerInjection injection = WorkerInjection.NONE;

    /** Creates an environment by hand (tests, embedding). */
    public WorkerEnvironment(String name, int index, String host, int port, Path dataDir, long seed) {
        this.name = requireNonNull(name, "name");
        this.index = index;
        this.host = requireNonNull(host, "host");
        this.port = port;
        this.dataDir = requireNonNull(dataDir, "dataDir");
        this.seed = seed;
    }

    /** The worker's name. */
    public String name() {
        return name;
    }

    /** The worker's position in the master's list. */
    public int index() {
        return index;
    }

    /** The address to bind. */
    public String host() {
        return host;
    }

    /** The port to serve on (0 picks a free one). */
    public int port() {
        return port;
    }

    /** The folder with {@code X_train.csv} and {@code y_train.csv}. */
    public Path dataDir() {
        return dataDir;
    }

    /**
     * This environment with the run's workers, name → base URL ({@code http://127.0.0.1:8082}), in the order of
     * {@code CHIMERA_WORKERS_NODES_NAMES}, this worker included.
     */
    public WorkerEnvironment withPeers(Map<String, String> peers) {
        final WorkerEnvironment copy = copy();
        copy.peers = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(peers));
        return copy;
    }

    /**
     * This environment with the run's secret {@code secret} (null or blank: none), which every call to the worker
     * must then carry.
     */
    public WorkerEnvironment withSecret(String secret) {
        final WorkerEnvironment copy = copy();
        copy.secret = secret == null || secret.isBlank() ? null : secret.trim();
        return copy;
    }

    /**
     * This environment with injected conditions: {@code stepDelayMillis} before each training step (a straggler)
     * and {@code latencyMillis} before each answer (a slow network); 0 for none.
     *
     * @throws IllegalArgumentException when either is negative or above {@value WorkerInjection#MAX_MILLIS}
     */
    public WorkerEnvironment withInjection(int stepDelayMillis, int latencyMillis) {
        return withInjection(new WorkerInjection(stepDelayMillis, latencyMillis, injection.exitAtStep()));
    }

    /** This environment with the conditions {@code injection} (see {@link WorkerInjection}). */
    public WorkerEnvironment withInjection(WorkerInjection injection) {
        final WorkerEnvironment copy = copy();
        copy.injection = requireNonNull(injection, "injection");
        return copy;
    }

    /** What is injected into this worker ({@code CHIMERA_INJECT_*}); {@link WorkerInjection#NONE} by default. */
    public WorkerInjection injection() {
        return injection;
    }

    /** Milliseconds this worker waits before each training step ({@link #INJECT_STEP_DELAY_MS}); 0 by default. */
    public int stepDelayMillis() {
        return injection.stepDelayMillis();
    }

    /** Milliseconds this worker waits before each answer ({@link #INJECT_LATENCY_MS}); 0 by default. */
    public int latencyMillis() {
        return injection.latencyMillis();
    }

    private WorkerEnvironment copy() {
        final WorkerEnvironment copy = new WorkerEnvironment(name, index, host, port, dataDir, seed);
        copy.peers = peers;
        copy.secret = secret;
        copy.injection = injection;
        return copy;
    }

    /** The run's secret ({@code CHIMERA_RUN_SECRET}), if the worker has one. */
    public java.util.Optional<String> secret() {
        return java.util.Optional.ofNullable(secret);
    }

    /** The run's workers, name → base URL, in order, this one included; empty when the runtime gave none. */
    public Map<String, String> peers() {
        return peers;
    }

    /** The base seed shared by all workers of a run. */
    public long seed() {
        return seed;
    }

    @Override
    public String toString() {
        return "WorkerEnvironment{name=" + name + ", index=" + index + ", host=" + host + ", port=" + port
               + ", dataDir=" + dataDir + ", seed=" + seed + '}';
    }
}
