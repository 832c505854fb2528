package io.chimera.server.config;

import static io.chimera.server.config.ChimeraConfig.NETWORK_NAME;
import static io.chimera.server.config.ChimeraConfig.NETWORK_PREFIX;
import static io.chimera.server.config.ChimeraConfig.NETWORK_SUBNET_MASK;
import static io.chimera.server.config.ChimeraConfig.RUNTIME;
import static io.chimera.server.config.ChimeraConfig.SEED;
import static io.chimera.server.config.ChimeraConfig.WORKERS_CPU_SHARES;
import static io.chimera.server.config.ChimeraConfig.WORKERS_ENDPOINTS_MAX_RETRIES;
import static io.chimera.server.config.ChimeraConfig.WORKERS_ENDPOINTS_TIMEOUT;
import static io.chimera.server.config.ChimeraConfig.WORKERS_HOST;
import static io.chimera.server.config.ChimeraConfig.WORKERS_MAPPED_PORTS;
import static io.chimera.server.config.ChimeraConfig.WORKERS_NODES_NAMES;
import static io.chimera.server.config.ChimeraConfig.WORKERS_PORT;
import static io.chimera.server.config.ChimeraConfig.WORKERS_STARTUP_TIMEOUT;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import io.chimera.node.client.WorkerTransport;
import io.netty.util.NetUtil;

/**
 * Resolves each variable from its first source (code, system properties, environment, default) and
 * checks it, collecting every problem before failing.
 */
final class ConfigResolver {

    /**
     * Parses list values. Single quotes and trailing commas are accepted because chimera reads lists
     * with Python's {@code ast.literal_eval}, so {@code ['w1', 'w2',]} works there too.
     */
    static final ObjectMapper JSON = JsonMapper.builder()
                                               .enable(JsonReadFeature.ALLOW_SINGLE_QUOTES,
                                                       JsonReadFeature.ALLOW_TRAILING_COMMA)
                                               .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                                               .build();

    private static final String DEFAULT_NETWORK_NAME = "chimera-network";
    private static final String DEFAULT_NETWORK_PREFIX = "192.168.10";
    private static final int DEFAULT_SUBNET_MASK = 24;
    private static final int DEFAULT_CPU_SHARES = 2;
    private static final int DEFAULT_FIRST_MAPPED_PORT = 8081;
    private static final String DEFAULT_WORKERS_HOST = "127.0.0.1";
    private static final int DEFAULT_WORKERS_PORT = 80;
    private static final int DEFAULT_ENDPOINTS_MAX_RETRIES = 0;
    private static final String DEFAULT_ENDPOINTS_TIMEOUT = "100.0";
    private static final String DEFAULT_RUNTIME = "auto";
    private static final long DEFAULT_SEED = 0;
    private static final String DEFAULT_STARTUP_TIMEOUT = "60";
    private static final String DEFAULT_DOCKER_BASE_IMAGE = "eclipse-temurin:17-jre";
    private static final String DEFAULT_PROGRESS = "auto";
    private static final String DEFAULT_HEALTH_INTERVAL = "5";
    /** Worker i gets the address PREFIX.(i+2), whose last octet must stay below the broadcast .255. */
    private static final int MAX_WORKERS = 253;
    private static final int MIN_CPU_SHARES = 2;
    private static final int MAX_PORT = 65535;

    private static final Pattern OCTET = Pattern.compile("0|[1-9][0-9]{0,2}");
    private static final Pattern DECIMAL =
            Pattern.compile("[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][+-]?[0-9]+)?");
    /** A Docker image reference: [registry[:port]/]name[/name...][:tag][@sha256:digest], names lower case. */
    private static final Pattern IMAGE = Pattern.compile(
            "(?:[A-Za-z0-9.-]+(?::[0-9]+)?/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*" +
            "(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?" +
            "(?:@sha256:[a-f0-9]{64})?");
    /** A registry host[:port] followed by a repository path, lower case. */
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9._~+/=-]+");
    private static final Pattern REGISTRY = Pattern.compile(
            "[A-Za-z0-9.-]+(?::[0-9]+)?(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)+");
    /** A swarm placement constraint: an attribute, == or !=, a value. */
    private static final Pattern CONSTRAINT = Pattern.compile("[A-Za-z0-9_.-]+\\s*(==|!=)\\s*[^\\s]+");
    private static final List<String> RUNTIMES = List.of("process", "docker", "swarm", "auto");
    private static final List<String> PROGRESS_VALUES = List.of("auto", "on", "off");
    private static final String CONSTRAINTS_RULE =
            "expected a JSON object of lists of swarm constraints by worker name, e.g. " +
            "{\"w1\": [\"node.hostname==lab-1\"]}";

    private static final List<String> INJECT_SETTINGS = List.of("step_delay_ms", "latency_ms", "exit_at_step");
    private static final String INJECT_RULE =
            "expected a JSON object of settings by worker name, step_delay_ms, latency_ms and exit_at_step, e.g. " +
            "{\"w2\": {\"step_delay_ms\": 50}}";

    private static final String NAMES_RULE = "expected a JSON list of unique worker names, e.g. [\"worker1\", \"worker2\"]";
    private static final String CPU_SHARES_RULE = "expected a JSON list of integers >= 2, e.g. [2] or [2, 4]";
    private static final String PORTS_RULE = "expected a JSON list of unique ports between 1 and 65535, e.g. [8081, 8082]";
    private static final String SECONDS_RULE = "expected a number of seconds > 0, e.g. 100.0";
    private static final String INTERVAL_RULE = "expected a number of seconds >= 0 (0: off), e.g. 5";

    private final Map<String, String> code;
    private final Properties systemProperties;
    private final Map<String, String> environment;
    private final List<String> problems = new ArrayList<>();

    ConfigResolver(Map<String, String> code, Properties systemProperties, Map<String, String> environment) {
        this.code = code;
        this.systemProperties = systemProperties;
        this.environment = environment;
    }

    ChimeraConfig resolve() {
        final String networkName = text(NETWORK_NAME, DEFAULT_NETWORK_NAME, ChimeraConfig::isValidName,
                                        "expected a Docker network name: " + ChimeraConfig.NAME_RULE);
        final String networkPrefix = text(NETWORK_PREFIX, DEFAULT_NETWORK_PREFIX, ConfigResolver::isPrefix,
                                          "expected 1 to 3 IPv4 octets such that PREFIX.0 is an IPv4 address, " +
                                          "e.g. 192.168.10");
        final Integer subnetMask = integer(NETWORK_SUBNET_MASK, DEFAULT_SUBNET_MASK, 0, 32,
                                           "expected an integer between 0 and 32");
        final List<String> workerNames = workerNames();
        final List<Integer> cpuShares = cpuShares(workerNames);
        final List<Integer> mappedPorts = mappedPorts(workerNames);
        final String workersHost = text(WORKERS_HOST, DEFAULT_WORKERS_HOST,
                                        v -> NetUtil.isValidIpV4Address(v) || NetUtil.isValidIpV6Address(v),
                                        "expected an IP address, e.g. 127.0.0.1 (this host only) or " +
                                        "0.0.0.0 (every interface)");
        final Integer workersPort = integer(WORKERS_PORT, DEFAULT_WORKERS_PORT, 1, MAX_PORT,
                                            "expected an integer between 1 and 65535");
        final Integer maxRetries = integer(WORKERS_ENDPOINTS_MAX_RETRIES, DEFAULT_ENDPOINTS_MAX_RETRIES,
                                           0, Integer.MAX_VALUE, "expected an integer >= 0");
        final Duration timeout = seconds(WORKERS_ENDPOINTS_TIMEOUT, DEFAULT_ENDPOINTS_TIMEOUT);
        final String runtime = text(RUNTIME, DEFAULT_RUNTIME, v -> RUNTIMES.contains(normalize(v)),
                                    "expected one of process, docker, swarm, auto");
        final Long seed = seed();
        final Duration startupTimeout = seconds(WORKERS_STARTUP_TIMEOUT, DEFAULT_STARTUP_TIMEOUT);
        final String transport = text(ChimeraConfig.WORKERS_TRANSPORT, "grpc",
                                      v -> List.of("grpc", "rest").contains(normalize(v)),
                                      "expected one of grpc, rest");
        final String dockerBaseImage = text(ChimeraConfig.DOCKER_BASE_IMAGE, DEFAULT_DOCKER_BASE_IMAGE,
                                            v -> IMAGE.matcher(v).matches(),
                                            "expected a Docker image reference, e.g. eclipse-temurin:17-jre " +
                                            "or chimera/jre:17");
        final String swarmRegistry = text(ChimeraConfig.SWARM_REGISTRY, null,
                                          v -> REGISTRY.matcher(v).matches(),
                                          "expected a registry and repository prefix, e.g. " +
                                          "registry.example.com:5000/chimera");
        final Map<String, List<String>> swarmConstraints = swarmConstraints(workerNames);
        final String progress = text(ChimeraConfig.PROGRESS, DEFAULT_PROGRESS,
                                     v -> PROGRESS_VALUES.contains(normalize(v)), "expected one of auto, on, off");
        final Duration healthInterval = seconds(ChimeraConfig.WORKERS_HEALTH_INTERVAL, DEFAULT_HEALTH_INTERVAL, true);
        final String apiToken = secret(ChimeraConfig.API_TOKEN);
        final Map<String, WorkerInjection> injections = injections(workerNames);
        if (!problems.isEmpty()) {
            throw new ChimeraConfigException(problems);
        }
        return new ChimeraConfig(networkName, networkPrefix, subnetMask, workerNames, cpuShares, mappedPorts,
                                 workersHost, workersPort, maxRetries, timeout, normalize(runtime), seed,
                                 startupTimeout, WorkerTransport.parse(transport), dockerBaseImage,
                                 swarmRegistry, swarmConstraints, normalize(progress), healthInterval, apiToken,
                                 injections);
    }

    /** {@code CHIMERA_API_TOKEN} alone, for a master with no workers, which needs no other variable. */
    static String apiToken(Properties systemProperties, Map<String, String> environment) {
        final ConfigResolver r = new ConfigResolver(Map.of(), systemProperties, environment);
        final String token = r.secret(ChimeraConfig.API_TOKEN);
        if (!r.problems.isEmpty()) {
            throw new ChimeraConfigException(r.problems);
        }
        return token;
    }

    /** A token: never echoed in a problem, since the message may be logged. */
    private String secret(String variable) {
        final Raw raw = raw(variable);
        if (raw == null) {
            return null;
        }
        final String value = raw.text.trim();
        if (value.length() < 16 || !TOKEN.matcher(value).matches()) {
            problems.add(variable + "=(not shown): expected a token of at least 16 characters of A-Z a-z 0-9 - . _ ~ "
                         + "+ / =, e.g. from `openssl rand -hex 16` (source: " + raw.source + ')');
            return null;
        }
        return value;
    }

    private Map<String, WorkerInjection> injections(List<String> workerNames) {
        final Raw raw = raw(ChimeraConfig.WORKERS_INJECT);
        if (raw == null) {
            return Map.of();
        }
        final JsonNode node;
        try {
            node = JSON.readTree(raw.text);
        } catch (JsonProcessingException e) {
            problem(raw, INJECT_RULE + "; not valid JSON: " + e.getOriginalMessage().replaceAll("\\s+", " "));
            return Map.of();
        }
        if (node == null || !node.isObject()) {
            problem(raw, INJECT_RULE + "; not an object");
            return Map.of();
        }
        final Map<String, WorkerInjection> injections = new LinkedHashMap<>();
        final Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            final Map.Entry<String, JsonNode> field = fields.next();
            final String worker = field.getKey();
            if (workerNames != null && !workerNames.contains(worker)) {
                problem(raw, INJECT_RULE + "; " + worker + " is not a worker (" + workerNames + ')');
                continue;
            }
            if (!field.getValue().isObject()) {
                problem(raw, INJECT_RULE + "; the value of " + worker + " is not an object");
                continue;
            }
            final Map<String, Integer> values = new LinkedHashMap<>();
            boolean ok = true;
            final Iterator<Map.Entry<String, JsonNode>> settings = field.getValue().fields();
            while (settings.hasNext()) {
                final Map.Entry<String, JsonNode> setting = settings.next();
                final JsonNode v = setting.getValue();
                final int max = "exit_at_step".equals(setting.getKey()) ? Integer.MAX_VALUE : WorkerInjection.MAX_MILLIS;
                if (!INJECT_SETTINGS.contains(setting.getKey())) {
                    problem(raw, INJECT_RULE + "; " + worker + " has an unknown setting " + setting.getKey());
                    ok = false;
                } else if (v.canConvertToInt() && v.isIntegralNumber() && v.asInt() >= 0 && v.asInt() <= max) {
                    values.put(setting.getKey(), v.asInt());
                } else {
                    problem(raw, INJECT_RULE + "; " + worker + '.' + setting.getKey() + " is " + v
                                 + ", not an integer between 0 and " + max);
                    ok = false;
                }
            }
            if (ok) {
                injections.put(worker, new WorkerInjection(values.getOrDefault("step_delay_ms", 0),
                                                           values.getOrDefault("latency_ms", 0),
                                                           values.getOrDefault("exit_at_step", 0)));
            }
        }
        return injections;
    }

    private Map<String, List<String>> swarmConstraints(List<String> workerNames) {
        final Raw raw = raw(ChimeraConfig.SWARM_CONSTRAINTS);
        if (raw == null) {
            return Map.of();
        }
        final JsonNode node;
        try {
            node = JSON.readTree(raw.text);
        } catch (JsonProcessingException e) {
            problem(raw, CONSTRAINTS_RULE + "; not valid JSON: " + e.getOriginalMessage().replaceAll("\\s+", " "));
            return Map.of();
        }
        if (node == null || !node.isObject()) {
            problem(raw, CONSTRAINTS_RULE + "; not an object");
            return Map.of();
        }
        final Map<String, List<String>> constraints = new LinkedHashMap<>();
        final Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            final Map.Entry<String, JsonNode> field = fields.next();
            if (workerNames != null && !workerNames.contains(field.getKey())) {
                problem(raw, CONSTRAINTS_RULE + "; " + field.getKey() + " is not a worker (" + workerNames + ')');
                continue;
            }
            final List<String> list = new ArrayList<>();
            if (!field.getValue().isArray()) {
                problem(raw, CONSTRAINTS_RULE + "; the value of " + field.getKey() + " is not a list");
                continue;
            }
            for (JsonNode c : field.getValue()) {
                if (!c.isTextual() || !CONSTRAINT.matcher(c.asText()).matches()) {
                    problem(raw, CONSTRAINTS_RULE + "; " + c + " is not a constraint like node.hostname==lab-1");
                    continue;
                }
                list.add(c.asText());
            }
            constraints.put(field.getKey(), List.copyOf(list));
        }
        return constraints;
    }

    private List<String> workerNames() {
        final Raw raw = raw(WORKERS_NODES_NAMES);
        if (raw == null) {
            problems.add(WORKERS_NODES_NAMES + " is not set: " + NAMES_RULE);
            return null;
        }
        final List<JsonNode> elements = jsonList(raw, NAMES_RULE);
        if (elements == null) {
            return null;
        }
        if (elements.isEmpty()) {
            problem(raw, NAMES_RULE + "; the list is empty");
            return null;
        }
        final List<String> notStrings = elements.stream().filter(e -> !e.isTextual())
                                                .map(JsonNode::toString).collect(Collectors.toList());
        if (!notStrings.isEmpty()) {
            problem(raw, NAMES_RULE + "; not a string: " + String.join(", ", notStrings));
            return null;
        }
        final List<String> names = elements.stream().map(JsonNode::asText).collect(Collectors.toList());
        final List<String> badNames = names.stream().filter(n -> !ChimeraConfig.isValidName(n))
                                           .map(n -> JSON.getNodeFactory().textNode(n).toString())
                                           .collect(Collectors.toList());
        if (!badNames.isEmpty()) {
            problem(raw, "expected names usable as file and container names (" + ChimeraConfig.NAME_RULE + "); not usable: " +
                         String.join(", ", badNames));
        }
        final List<String> repeated = repeated(names);
        if (!repeated.isEmpty()) {
            problem(raw, "expected unique names; repeated: " + String.join(", ", repeated));
        }
        if (names.size() > MAX_WORKERS) {
            problem(raw, "expected at most " + MAX_WORKERS + " workers (worker i gets the address PREFIX.(i+2)), got " +
                         names.size());
        }
        return badNames.isEmpty() && repeated.isEmpty() && names.size() <= MAX_WORKERS ? names : null;
    }

    private List<Integer> cpuShares(List<String> workerNames) {
        final Raw raw = raw(WORKERS_CPU_SHARES);
        if (raw == null) {
            return workerNames == null ? null : Collections.nCopies(workerNames.size(), DEFAULT_CPU_SHARES);
        }
        final List<Integer> shares = integers(raw, CPU_SHARES_RULE, MIN_CPU_SHARES, Integer.MAX_VALUE);
        if (shares == null || workerNames == null) {
            return null;
        }
        if (shares.size() == 1) {
            return Collections.nCopies(workerNames.size(), shares.get(0));
        }
        return sameSize(raw, shares, workerNames, "1 value (for every worker)");
    }

    private List<Integer> mappedPorts(List<String> workerNames) {
        final Raw raw = raw(WORKERS_MAPPED_PORTS);
        if (raw == null) {
            return workerNames == null ? null : consecutive(DEFAULT_FIRST_MAPPED_PORT, workerNames.size());
        }
        final List<Integer> ports = integers(raw, PORTS_RULE, 1, MAX_PORT);
        if (ports == null) {
            return null;
        }
        final List<String> repeated = repeated(ports);
        if (!repeated.isEmpty()) {
            problem(raw, "expected unique ports; repeated: " + String.join(", ", repeated));
            return null;
        }
        if (workerNames == null) {
            return null;
        }
        if (ports.size() == 1) {
            final int first = ports.get(0);
            final int count = workerNames.size();
            if (first + count - 1 > MAX_PORT) {
                problem(raw, "expected a first port such that " + count + " consecutive ports (one per worker) " +
                             "stay <= 65535");
                return null;
            }
            return consecutive(first, count);
        }
        return sameSize(raw, ports, workerNames, "1 value (the first of consecutive ports)");
    }

    private Long seed() {
        final Raw raw = raw(SEED);
        if (raw == null) {
            return DEFAULT_SEED;
        }
        try {
            return Long.parseLong(raw.text.trim());
        } catch (NumberFormatException e) {
            problem(raw, "expected an integer (a Java long)");
            return null;
        }
    }

    private String text(String name, String defaultValue, Predicate<String> valid, String rule) {
        final Raw raw = raw(name);
        if (raw == null) {
            return defaultValue;
        }
        if (valid.test(raw.text)) {
            return raw.text;
        }
        problem(raw, rule);
        return null;
    }

    private Integer integer(String name, int defaultValue, int min, int max, String rule) {
        final Raw raw = raw(name);
        if (raw == null) {
            return defaultValue;
        }
        try {
            final int value = Integer.parseInt(raw.text.trim());
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException ignored) {
            // Reported below like an out-of-range value.
        }
        problem(raw, rule);
        return null;
    }

    private Duration seconds(String name, String defaultValue) {
        return seconds(name, defaultValue, false);
    }

    /** A number of seconds {@code > 0}, or {@code >= 0} when {@code zeroAllowed} (0 meaning off). */
    private Duration seconds(String name, String defaultValue, boolean zeroAllowed) {
        final Raw raw = raw(name);
        final String text = raw == null ? defaultValue : raw.text.trim();
        if (DECIMAL.matcher(text).matches()) {
            final double seconds = Double.parseDouble(text);
            if (zeroAllowed && seconds == 0) {
                return Duration.ZERO;
            }
            if (seconds > 0 && Double.isFinite(seconds)) {
                // At least 1 ns, so that a tiny positive value never becomes a zero (infinite) timeout.
                return Duration.ofNanos(Math.max(1, Math.round(seconds * 1e9)));
            }
        }
        problem(raw, zeroAllowed ? INTERVAL_RULE : SECONDS_RULE);
        return null;
    }

    /** Parses a list of integers in {@code [min, max]}, reporting every element that is not one. */
    private List<Integer> integers(Raw raw, String rule, int min, int max) {
        final List<JsonNode> elements = jsonList(raw, rule);
        if (elements == null) {
            return null;
        }
        if (elements.isEmpty()) {
            problem(raw, rule + "; the list is empty");
            return null;
        }
        final List<String> invalid = elements.stream()
                                             .filter(e -> !e.isIntegralNumber() || !e.canConvertToInt() ||
                                                          e.intValue() < min || e.intValue() > max)
                                             .map(JsonNode::toString).collect(Collectors.toList());
        if (!invalid.isEmpty()) {
            problem(raw, rule + "; invalid: " + String.join(", ", invalid));
            return null;
        }
        return elements.stream().map(JsonNode::intValue).collect(Collectors.toList());
    }

    private List<JsonNode> jsonList(Raw raw, String rule) {
        final JsonNode node;
        try {
            node = JSON.readTree(raw.text);
        } catch (JsonProcessingException e) {
            problem(raw, rule + "; not valid JSON: " + e.getOriginalMessage().replaceAll("\\s+", " "));
            return null;
        }
        if (node == null || !node.isArray()) {
            problem(raw, rule + "; not a list");
            return null;
        }
        final List<JsonNode> elements = new ArrayList<>(node.size());
        node.forEach(elements::add);
        return elements;
    }

    private List<Integer> sameSize(Raw raw, List<Integer> values, List<String> workerNames, String single) {
        if (values.size() == workerNames.size()) {
            return values;
        }
        problem(raw, "expected " + single + " or " + workerNames.size() + " values (one per worker in " +
                     WORKERS_NODES_NAMES + "), got " + values.size());
        return null;
    }

    private Raw raw(String name) {
        String text = code.get(name);
        if (text != null) {
            return new Raw(name, text, "code");
        }
        text = systemProperties.getProperty(name);
        if (text != null) {
            return new Raw(name, text, "-D system property");
        }
        text = environment.get(name);
        return text != null ? new Raw(name, text, "environment") : null;
    }

    private void problem(Raw raw, String rule) {
        problems.add(raw.name + '=' + raw.text + ": " + rule + " (source: " + raw.source + ')');
    }

    private static boolean isPrefix(String prefix) {
        final String[] octets = prefix.split("\\.", -1);
        if (octets.length > 3) {
            return false;
        }
        for (String octet : octets) {
            if (!OCTET.matcher(octet).matches() || Integer.parseInt(octet) > 255) {
                return false;
            }
        }
        return true;
    }

    private static String normalize(String runtime) {
        return runtime.trim().toLowerCase(Locale.ROOT);
    }

    private static List<Integer> consecutive(int first, int count) {
        return IntStream.range(first, first + count).boxed().collect(Collectors.toList());
    }

    /** Returns each value that appears more than once, as JSON, in order of first appearance. */
    private static List<String> repeated(List<?> values) {
        final Map<Object, Integer> counts = new LinkedHashMap<>();
        values.forEach(v -> counts.merge(v, 1, Integer::sum));
        return counts.entrySet().stream().filter(e -> e.getValue() > 1)
                     .map(e -> JSON.valueToTree(e.getKey()).toString()).collect(Collectors.toList());
    }

    private record Raw(String name, String text, String source) {}
}
