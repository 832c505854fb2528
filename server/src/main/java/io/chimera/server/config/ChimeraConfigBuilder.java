package io.chimera.server.config;

import static java.util.Objects.requireNonNull;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Builds a {@link ChimeraConfig}. Values set here win over {@code -D} system properties, which win over
 * environment variables, which win over the defaults. Nothing is checked before {@link #build()}, which
 * reports every problem at once.
 *
 * <pre>{@code
 * ChimeraConfig config = ChimeraConfig.builder()
 *         .workerNames("tree1", "tree2")
 *         .mappedPorts(9001)        // 9001 and 9002
 *         .build();
 * }</pre>
 */
public final class ChimeraConfigBuilder {

    /** Raw text of the values set in code, checked like any other source. */
    private final Map<String, String> values = new HashMap<>();
    private Map<String, String> environment;
    private Properties systemProperties;

    ChimeraConfigBuilder() {}

    /**
     * Sets a variable from its text, as it would be written in the environment, e.g.
     * {@code set("CHIMERA_WORKERS_NODES_NAMES", "[\"w1\", \"w2\"]")}.
     *
     * @throws IllegalArgumentException if {@code variable} is not one of {@link ChimeraConfig#VARIABLES}
     */
    public ChimeraConfigBuilder set(String variable, String value) {
        requireNonNull(variable, "variable");
        requireNonNull(value, "value");
        if (!ChimeraConfig.VARIABLES.contains(variable)) {
            throw new IllegalArgumentException(
                    "variable: " + variable + " (expected: one of " + ChimeraConfig.VARIABLES + ')');
        }
        values.put(variable, value);
        return this;
    }

    /** Sets {@code CHIMERA_NETWORK_NAME}. */
    public ChimeraConfigBuilder networkName(String networkName) {
        return set(ChimeraConfig.NETWORK_NAME, networkName);
    }

    /** Sets {@code CHIMERA_NETWORK_PREFIX}, e.g. {@code "192.168.10"}. */
    public ChimeraConfigBuilder networkPrefix(String networkPrefix) {
        return set(ChimeraConfig.NETWORK_PREFIX, networkPrefix);
    }

    /** Sets {@code CHIMERA_NETWORK_SUBNET_MASK}. */
    public ChimeraConfigBuilder subnetMask(int subnetMask) {
        return set(ChimeraConfig.NETWORK_SUBNET_MASK, Integer.toString(subnetMask));
    }

    /** Sets {@code CHIMERA_WORKERS_NODES_NAMES}. */
    public ChimeraConfigBuilder workerNames(String... workerNames) {
        return workerNames(Arrays.asList(requireNonNull(workerNames, "workerNames")));
    }

    /** Sets {@code CHIMERA_WORKERS_NODES_NAMES}. */
    public ChimeraConfigBuilder workerNames(List<String> workerNames) {
        requireNonNull(workerNames, "workerNames");
        return set(ChimeraConfig.WORKERS_NODES_NAMES, ConfigResolver.JSON.valueToTree(workerNames).toString());
    }

    /** Sets {@code CHIMERA_WORKERS_CPU_SHARES}: one value for every worker, or one per worker. */
    public ChimeraConfigBuilder cpuShares(int... cpuShares) {
        return set(ChimeraConfig.WORKERS_CPU_SHARES, jsonList(requireNonNull(cpuShares, "cpuShares")));
    }

    /**
     * Sets {@code CHIMERA_WORKERS_MAPPED_PORTS}: one port per worker, or the first of as many consecutive
     * ports as there are workers.
     */
    public ChimeraConfigBuilder mappedPorts(int... mappedPorts) {
        return set(ChimeraConfig.WORKERS_MAPPED_PORTS, jsonList(requireNonNull(mappedPorts, "mappedPorts")));
    }

    /** Sets {@code CHIMERA_WORKERS_HOST}, an IP address such as {@code 127.0.0.1}. */
    public ChimeraConfigBuilder workersHost(String workersHost) {
        return set(ChimeraConfig.WORKERS_HOST, workersHost);
    }

    /** Sets {@code CHIMERA_WORKERS_PORT}. */
    public ChimeraConfigBuilder workersPort(int workersPort) {
        return set(ChimeraConfig.WORKERS_PORT, Integer.toString(workersPort));
    }

    /** Sets {@code CHIMERA_WORKERS_ENDPOINTS_MAX_RETRIES}. */
    public ChimeraConfigBuilder endpointsMaxRetries(int endpointsMaxRetries) {
        return set(ChimeraConfig.WORKERS_ENDPOINTS_MAX_RETRIES, Integer.toString(endpointsMaxRetries));
    }

    /** Sets {@code CHIMERA_WORKERS_ENDPOINTS_TIMEOUT}. */
    public ChimeraConfigBuilder timeout(Duration timeout) {
        return set(ChimeraConfig.WORKERS_ENDPOINTS_TIMEOUT, seconds(timeout, "timeout"));
    }

    /** Sets {@code CHIMERA_RUNTIME}: {@code process}, {@code docker} or {@code auto}. */
    public ChimeraConfigBuilder runtime(String runtime) {
        return set(ChimeraConfig.RUNTIME, runtime);
    }

    /** Sets {@code CHIMERA_SEED}. */
    public ChimeraConfigBuilder seed(long seed) {
        return set(ChimeraConfig.SEED, Long.toString(seed));
    }

    /** Sets {@code CHIMERA_WORKERS_TRANSPORT}: {@code grpc} or {@code rest}. */
    public ChimeraConfigBuilder transport(String transport) {
        return set(ChimeraConfig.WORKERS_TRANSPORT, transport);
    }

    /** Sets {@code CHIMERA_WORKERS_STARTUP_TIMEOUT}. */
    public ChimeraConfigBuilder startupTimeout(Duration startupTimeout) {
        return set(ChimeraConfig.WORKERS_STARTUP_TIMEOUT, seconds(startupTimeout, "startupTimeout"));
    }

    /** Sets {@code CHIMERA_DOCKER_BASE_IMAGE}, e.g. {@code chimera/jre:17}. */
    public ChimeraConfigBuilder dockerBaseImage(String image) {
        return set(ChimeraConfig.DOCKER_BASE_IMAGE, image);
    }

    /** Sets {@code CHIMERA_PROGRESS}: {@code auto}, {@code on} or {@code off}. */
    public ChimeraConfigBuilder progress(String progress) {
        return set(ChimeraConfig.PROGRESS, progress);
    }

    /** Sets {@code CHIMERA_WORKERS_HEALTH_INTERVAL}; {@link Duration#ZERO} turns the probe off. */
    public ChimeraConfigBuilder healthInterval(Duration healthInterval) {
        return set(ChimeraConfig.WORKERS_HEALTH_INTERVAL, seconds(healthInterval, "healthInterval"));
    }

    /** Reads environment variables from {@code environment} instead of {@link System#getenv()}. */
    public ChimeraConfigBuilder environment(Map<String, String> environment) {
        this.environment = Map.copyOf(requireNonNull(environment, "environment"));
        return this;
    }

    /** Reads {@code -D} values from {@code systemProperties} instead of {@link System#getProperties()}. */
    public ChimeraConfigBuilder systemProperties(Properties systemProperties) {
        requireNonNull(systemProperties, "systemProperties");
        final Properties copy = new Properties();
        copy.putAll(systemProperties);
        this.systemProperties = copy;
        return this;
    }

    /**
     * Sets {@code CHIMERA_WORKERS_INJECT}: what to inject into each named worker (the others get nothing).
     */
    public ChimeraConfigBuilder injections(Map<String, WorkerInjection> injections) {
        requireNonNull(injections, "injections");
        final StringBuilder json = new StringBuilder("{");
        injections.forEach((worker, i) -> json.append(json.length() > 1 ? ", " : "").append('"').append(worker)
                                              .append("\": {\"step_delay_ms\": ").append(i.stepDelayMillis())
                                              .append(", \"latency_ms\": ").append(i.latencyMillis())
                                              .append(", \"exit_at_step\": ").append(i.exitAtStep()).append('}'));
        return set(ChimeraConfig.WORKERS_INJECT, json.append('}').toString());
    }

    /**
     * Resolves every variable from code, system properties, the environment and the defaults, and checks it.
     *
     * @throws ChimeraConfigException listing every problem, one line each
     */
    public ChimeraConfig build() {
        return new ConfigResolver(values,
                                  systemProperties != null ? systemProperties : System.getProperties(),
                                  environment != null ? environment : System.getenv()).resolve();
    }

    private static String jsonList(int[] values) {
        return IntStream.of(values).mapToObj(Integer::toString).collect(Collectors.joining(", ", "[", "]"));
    }

    private static String seconds(Duration duration, String name) {
        requireNonNull(duration, name);
        return BigDecimal.valueOf(duration.getSeconds())
                         .add(BigDecimal.valueOf(duration.getNano(), 9))
                         .stripTrailingZeros().toPlainString();
    }
}
