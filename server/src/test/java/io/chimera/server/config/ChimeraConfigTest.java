package io.chimera.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ChimeraConfigTest {

    private static final String TWO_WORKERS = "[\"w1\", \"w2\"]";

    static Stream<Arguments> invalidValues() {
        return Stream.of(
                arguments("CHIMERA_NETWORK_NAME", "", "expected a Docker network name"),
                arguments("CHIMERA_NETWORK_NAME", "-net", "expected a Docker network name"),
                arguments("CHIMERA_NETWORK_NAME", "my net", "expected a Docker network name"),
                arguments("CHIMERA_NETWORK_PREFIX", "", "expected 1 to 3 IPv4 octets"),
                arguments("CHIMERA_NETWORK_PREFIX", "192.168.10.1", "expected 1 to 3 IPv4 octets"),
                arguments("CHIMERA_NETWORK_PREFIX", "256.1.1", "expected 1 to 3 IPv4 octets"),
                arguments("CHIMERA_NETWORK_PREFIX", "192..1", "expected 1 to 3 IPv4 octets"),
                arguments("CHIMERA_NETWORK_PREFIX", "192.168.010", "expected 1 to 3 IPv4 octets"),
                arguments("CHIMERA_NETWORK_PREFIX", "a.b.c", "expected 1 to 3 IPv4 octets"),
                arguments("CHIMERA_NETWORK_SUBNET_MASK", "33", "expected an integer between 0 and 32"),
                arguments("CHIMERA_NETWORK_SUBNET_MASK", "-1", "expected an integer between 0 and 32"),
                arguments("CHIMERA_NETWORK_SUBNET_MASK", "24.0", "expected an integer between 0 and 32"),
                arguments("CHIMERA_NETWORK_SUBNET_MASK", "abc", "expected an integer between 0 and 32"),
                arguments("CHIMERA_WORKERS_NODES_NAMES", "w1", "not valid JSON"),
                arguments("CHIMERA_WORKERS_NODES_NAMES", "\"w1\"", "not a list"),
                arguments("CHIMERA_WORKERS_NODES_NAMES", "{\"w1\": 1}", "not a list"),
                arguments("CHIMERA_WORKERS_NODES_NAMES", "[\"w1\"", "not valid JSON"),
                arguments("CHIMERA_WORKERS_NODES_NAMES", "[\"w1\"] []", "not valid JSON"),
                arguments("CHIMERA_WORKERS_NODES_NAMES", "[]", "the list is empty"),
                arguments("CHIMERA_WORKERS_NODES_NAMES", "[\"w1\", 2]", "not a string: 2"),
                arguments("CHIMERA_WORKERS_NODES_NAMES", "[\"w1\", \"w1\"]", "expected unique names; repeated: \"w1\""),
                arguments("CHIMERA_WORKERS_NODES_NAMES", "[\"\"]", "usable as file and container names"),
                arguments("CHIMERA_WORKERS_NODES_NAMES", "[\"a b\"]", "not usable: \"a b\""),
                arguments("CHIMERA_WORKERS_NODES_NAMES", "[\"../w1\"]", "not usable: \"../w1\""),
                arguments("CHIMERA_WORKERS_CPU_SHARES", "[1]", "expected a JSON list of integers >= 2"),
                arguments("CHIMERA_WORKERS_CPU_SHARES", "[2, \"x\"]", "invalid: \"x\""),
                arguments("CHIMERA_WORKERS_CPU_SHARES", "[2.5]", "invalid: 2.5"),
                arguments("CHIMERA_WORKERS_CPU_SHARES", "[true]", "invalid: true"),
                arguments("CHIMERA_WORKERS_CPU_SHARES", "2", "not a list"),
                arguments("CHIMERA_WORKERS_CPU_SHARES", "[]", "the list is empty"),
                arguments("CHIMERA_WORKERS_CPU_SHARES", "[2, 2, 2]",
                          "expected 1 value (for every worker) or 2 values (one per worker in " +
                          "CHIMERA_WORKERS_NODES_NAMES), got 3"),
                arguments("CHIMERA_WORKERS_MAPPED_PORTS", "[0]", "expected a JSON list of unique ports between 1 and 65535"),
                arguments("CHIMERA_WORKERS_MAPPED_PORTS", "[65536]", "invalid: 65536"),
                arguments("CHIMERA_WORKERS_MAPPED_PORTS", "8081", "not a list"),
                arguments("CHIMERA_WORKERS_MAPPED_PORTS", "[8081, 8081]", "expected unique ports; repeated: 8081"),
                arguments("CHIMERA_WORKERS_MAPPED_PORTS", "[8081, 8082, 8083]", "got 3"),
                arguments("CHIMERA_WORKERS_MAPPED_PORTS", "[65535]", "2 consecutive ports (one per worker) stay <= 65535"),
                arguments("CHIMERA_WORKERS_HOST", "localhost", "expected an IP address"),
                arguments("CHIMERA_WORKERS_HOST", "", "expected an IP address"),
                arguments("CHIMERA_WORKERS_HOST", "256.0.0.1", "expected an IP address"),
                arguments("CHIMERA_WORKERS_PORT", "0", "expected an integer between 1 and 65535"),
                arguments("CHIMERA_WORKERS_PORT", "65536", "expected an integer between 1 and 65535"),
                arguments("CHIMERA_WORKERS_PORT", "http", "expected an integer between 1 and 65535"),
                arguments("CHIMERA_WORKERS_ENDPOINTS_MAX_RETRIES", "-1", "expected an integer >= 0"),
                arguments("CHIMERA_WORKERS_ENDPOINTS_MAX_RETRIES", "1.5", "expected an integer >= 0"),
                arguments("CHIMERA_WORKERS_ENDPOINTS_TIMEOUT", "0", "expected a number of seconds > 0"),
                arguments("CHIMERA_WORKERS_ENDPOINTS_TIMEOUT", "-1.5", "expected a number of seconds > 0"),
                arguments("CHIMERA_WORKERS_ENDPOINTS_TIMEOUT", "NaN", "expected a number of seconds > 0"),
                arguments("CHIMERA_WORKERS_ENDPOINTS_TIMEOUT", "Infinity", "expected a number of seconds > 0"),
                arguments("CHIMERA_WORKERS_ENDPOINTS_TIMEOUT", "1e400", "expected a number of seconds > 0"),
                arguments("CHIMERA_WORKERS_ENDPOINTS_TIMEOUT", "1.5d", "expected a number of seconds > 0"),
                arguments("CHIMERA_RUNTIME", "kubernetes", "expected one of process, docker, swarm, auto"),
                arguments("CHIMERA_RUNTIME", "", "expected one of process, docker, swarm, auto"),
                arguments("CHIMERA_SEED", "abc", "expected an integer (a Java long)"),
                arguments("CHIMERA_SEED", "1.5", "expected an integer (a Java long)"),
                arguments("CHIMERA_SEED", "99999999999999999999", "expected an integer (a Java long)"),
                arguments("CHIMERA_WORKERS_STARTUP_TIMEOUT", "0", "expected a number of seconds > 0"),
                arguments("CHIMERA_WORKERS_STARTUP_TIMEOUT", "soon", "expected a number of seconds > 0"),
                arguments("CHIMERA_DOCKER_BASE_IMAGE", "Not An Image", "expected a Docker image reference"),
                arguments("CHIMERA_DOCKER_BASE_IMAGE", "", "expected a Docker image reference"),
                arguments("CHIMERA_SWARM_REGISTRY", "no-repository-path", "expected a registry and repository prefix"),
                arguments("CHIMERA_SWARM_REGISTRY", "host:5000/UPPER", "expected a registry and repository prefix"),
                arguments("CHIMERA_SWARM_CONSTRAINTS", "[\"node.role==worker\"]", "not an object"),
                arguments("CHIMERA_SWARM_CONSTRAINTS", "{\"w9\": []}", "w9 is not a worker"),
                arguments("CHIMERA_SWARM_CONSTRAINTS", "{\"w1\": \"node.role==worker\"}", "is not a list"),
                arguments("CHIMERA_SWARM_CONSTRAINTS", "{\"w1\": [\"node.role\"]}", "is not a constraint"),
                arguments("CHIMERA_SWARM_CONSTRAINTS", "{w1: []}", "not valid JSON"),
                arguments("CHIMERA_WORKERS_INJECT", "[]", "not an object"),
                arguments("CHIMERA_WORKERS_INJECT", "{\"w9\": {\"step_delay_ms\": 5}}", "w9 is not a worker"),
                arguments("CHIMERA_WORKERS_INJECT", "{\"w1\": 5}", "the value of w1 is not an object"),
                arguments("CHIMERA_WORKERS_INJECT", "{\"w1\": {\"delay\": 5}}", "w1 has an unknown setting delay"),
                arguments("CHIMERA_WORKERS_INJECT", "{\"w1\": {\"step_delay_ms\": -1}}",
                          "w1.step_delay_ms is -1, not an integer between 0 and 600000"),
                arguments("CHIMERA_WORKERS_INJECT", "{\"w1\": {\"latency_ms\": 2.5}}",
                          "w1.latency_ms is 2.5, not an integer between 0 and 600000"),
                arguments("CHIMERA_PROGRESS", "yes", "expected one of auto, on, off"),
                arguments("CHIMERA_PROGRESS", "", "expected one of auto, on, off"),
                arguments("CHIMERA_WORKERS_HEALTH_INTERVAL", "-1", "expected a number of seconds >= 0 (0: off)"),
                arguments("CHIMERA_WORKERS_HEALTH_INTERVAL", "often", "expected a number of seconds >= 0 (0: off)"),
                arguments("CHIMERA_WORKERS_HEALTH_INTERVAL", "Infinity", "expected a number of seconds >= 0"));
    }

    @ParameterizedTest(name = "{0}={1}")
    @MethodSource("invalidValues")
    void invalidValue_isReportedOnOneLineNamingVariableValueAndRule(String variable, String value, String rule) {
        final Map<String, String> environment = new HashMap<>(Map.of("CHIMERA_WORKERS_NODES_NAMES", TWO_WORKERS));
        environment.put(variable, value);

        final ChimeraConfigException e = catchThrowableOfType(ChimeraConfigException.class,
                                                              () -> fromEnvironment(environment));

        assertThat(e.problems()).singleElement().satisfies(line -> {
            assertThat(line).startsWith(variable + '=' + value + ": ")
                            .contains(rule)
                            .endsWith("(source: environment)")
                            .doesNotContain("\n");
        });
        assertThat(e).hasMessage(e.problems().get(0));
    }

    @Test
    void subnetMaskOutOfRange_readsLikeChimerasRule() {
        assertThatThrownBy(() -> fromEnvironment(Map.of("CHIMERA_WORKERS_NODES_NAMES", TWO_WORKERS,
                                                        "CHIMERA_NETWORK_SUBNET_MASK", "33")))
                .isInstanceOf(ChimeraConfigException.class)
                .hasMessage("CHIMERA_NETWORK_SUBNET_MASK=33: expected an integer between 0 and 32 " +
                            "(source: environment)");
    }

    @Test
    void missingWorkerNames_isReported() {
        assertThatThrownBy(() -> fromEnvironment(Map.of()))
                .isInstanceOf(ChimeraConfigException.class)
                .hasMessageStartingWith("CHIMERA_WORKERS_NODES_NAMES is not set: expected a JSON list");
    }

    @Test
    void severalProblems_areAllReportedOneLineEach() {
        final ChimeraConfigException e = catchThrowableOfType(ChimeraConfigException.class, () -> fromEnvironment(
                Map.of("CHIMERA_WORKERS_NODES_NAMES", "[\"w1\", \"w1\"]",
                       "CHIMERA_NETWORK_SUBNET_MASK", "33",
                       "CHIMERA_WORKERS_MAPPED_PORTS", "[0]",
                       "CHIMERA_WORKERS_ENDPOINTS_TIMEOUT", "-1",
                       "CHIMERA_RUNTIME", "vm")));

        assertThat(e.problems()).hasSize(5);
        assertThat(e.getMessage().split("\n")).containsExactlyElementsOf(e.problems());
        assertThat(e.problems()).anySatisfy(l -> assertThat(l).startsWith("CHIMERA_WORKERS_NODES_NAMES="))
                                .anySatisfy(l -> assertThat(l).startsWith("CHIMERA_NETWORK_SUBNET_MASK=33"))
                                .anySatisfy(l -> assertThat(l).startsWith("CHIMERA_WORKERS_MAPPED_PORTS=[0]"))
                                .anySatisfy(l -> assertThat(l).startsWith("CHIMERA_WORKERS_ENDPOINTS_TIMEOUT=-1"))
                                .anySatisfy(l -> assertThat(l).startsWith("CHIMERA_RUNTIME=vm"));
    }

    @Test
    void defaults_areChimerasExceptWhereDocumented() {
        final ChimeraConfig config = fromEnvironment(Map.of("CHIMERA_WORKERS_NODES_NAMES", "[\"a\", \"b\", \"c\"]"));

        assertThat(config.networkName()).isEqualTo("chimera-network");
        assertThat(config.networkPrefix()).isEqualTo("192.168.10");
        assertThat(config.subnetMask()).isEqualTo(24);
        assertThat(config.subnet()).isEqualTo("192.168.10.0/24");
        assertThat(config.gateway()).isEqualTo("192.168.10.1");
        assertThat(config.workerNames()).containsExactly("a", "b", "c");
        assertThat(config.workerCount()).isEqualTo(3);
        assertThat(config.workerIp(0)).isEqualTo("192.168.10.2");
        assertThat(config.workerIp(2)).isEqualTo("192.168.10.4");
        assertThat(List.of(config.cpuShares(0), config.cpuShares(1), config.cpuShares(2))).containsOnly(2);
        assertThat(List.of(config.mappedPort(0), config.mappedPort(1), config.mappedPort(2)))
                .containsExactly(8081, 8082, 8083);
        assertThat(config.workersHost()).isEqualTo("127.0.0.1");
        assertThat(config.workersPort()).isEqualTo(80);
        assertThat(config.endpointsMaxRetries()).isZero();
        assertThat(config.timeout()).isEqualTo(Duration.ofSeconds(100));
        assertThat(config.runtime()).isEqualTo("auto");
        assertThat(config.seed()).isEqualTo(0L);
        assertThat(config.startupTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(config.dockerBaseImage()).isEqualTo("eclipse-temurin:17-jre");
        assertThat(config.swarmRegistry()).isEmpty();
        assertThat(config.swarmConstraints("a")).isEmpty();
        assertThat(config.progress()).isEqualTo("auto");
        assertThat(config.healthInterval()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void progress_autoFollowsTheTerminal_onAndOffDoNot() {
        final ChimeraConfig auto = fromEnvironment(Map.of("CHIMERA_WORKERS_NODES_NAMES", TWO_WORKERS));
        final ChimeraConfig on = fromEnvironment(Map.of("CHIMERA_WORKERS_NODES_NAMES", TWO_WORKERS,
                                                        "CHIMERA_PROGRESS", " ON "));
        final ChimeraConfig off = fromEnvironment(Map.of("CHIMERA_WORKERS_NODES_NAMES", TWO_WORKERS,
                                                         "CHIMERA_PROGRESS", "off"));

        assertThat(auto.progressEnabled(true)).isTrue();
        assertThat(auto.progressEnabled(false)).isFalse();
        assertThat(on.progress()).isEqualTo("on");
        assertThat(on.progressEnabled(false)).isTrue();
        assertThat(off.progressEnabled(true)).isFalse();
    }

    @Test
    void healthIntervalZero_turnsTheProbeOff() {
        final ChimeraConfig config = fromEnvironment(Map.of("CHIMERA_WORKERS_NODES_NAMES", TWO_WORKERS,
                                                            "CHIMERA_WORKERS_HEALTH_INTERVAL", "0"));

        assertThat(config.healthInterval()).isEqualTo(Duration.ZERO);
    }

    @Test
    void swarmSettings_areParsed() {
        final ChimeraConfig config = fromEnvironment(Map.of(
                "CHIMERA_WORKERS_NODES_NAMES", TWO_WORKERS,
                "CHIMERA_SWARM_REGISTRY", "registry.lab:5000/chimera",
                "CHIMERA_SWARM_CONSTRAINTS", "{\"w1\": [\"node.hostname==lab-1\", \"node.role != manager\"]}",
                "CHIMERA_DOCKER_BASE_IMAGE", "chimera/jre:17"));
        assertThat(config.swarmRegistry()).hasValue("registry.lab:5000/chimera");
        assertThat(config.swarmConstraints("w1")).containsExactly("node.hostname==lab-1", "node.role != manager");
        assertThat(config.swarmConstraints("w2")).isEmpty();
        assertThat(config.dockerBaseImage()).isEqualTo("chimera/jre:17");
    }

    @Test
    void injections_areParsed_perWorker_andTheBuilderWritesThemBack() {
        final ChimeraConfig config = fromEnvironment(Map.of(
                "CHIMERA_WORKERS_NODES_NAMES", TWO_WORKERS,
                "CHIMERA_WORKERS_INJECT", "{\"w2\": {\"step_delay_ms\": 50, \"latency_ms\": 3}}"));
        assertThat(config.injection("w1")).isEqualTo(WorkerInjection.NONE);
        assertThat(config.injection("w2")).isEqualTo(new WorkerInjection(50, 3));

        final ChimeraConfig built = ChimeraConfig.builder().workerNames("w1", "w2")
                                                 .injections(Map.of("w1", WorkerInjection.stepDelay(7)))
                                                 .environment(Map.of()).systemProperties(new java.util.Properties())
                                                 .build();
        assertThat(built.injection("w1")).isEqualTo(WorkerInjection.stepDelay(7));
        assertThat(built.injection("w2").any()).isFalse();
        assertThatThrownBy(() -> WorkerInjection.latency(-1)).isInstanceOf(IllegalArgumentException.class)
                                                             .hasMessage("latencyMillis: -1 (expected: 0..600000)");
    }

    @Test
    void injections_exitAtStep_isParsed_andABadValueNamesTheWorkerAndSetting() {
        final ChimeraConfig config = fromEnvironment(Map.of(
                "CHIMERA_WORKERS_NODES_NAMES", TWO_WORKERS,
                "CHIMERA_WORKERS_INJECT", "{\"w1\": {\"exit_at_step\": 12}}"));
        assertThat(config.injection("w1")).isEqualTo(new WorkerInjection(0, 0, 12));
        assertThat(config.injection("w1").any()).isTrue();
        final ChimeraConfig built = ChimeraConfig.builder().workerNames("w1", "w2")
                                                 .injections(Map.of("w2", WorkerInjection.exitAtStep(4)))
                                                 .environment(Map.of()).systemProperties(new java.util.Properties())
                                                 .build();
        assertThat(built.injection("w2").exitAtStep()).as("written back by the builder").isEqualTo(4);
        assertThatThrownBy(() -> fromEnvironment(Map.of(
                "CHIMERA_WORKERS_NODES_NAMES", TWO_WORKERS,
                "CHIMERA_WORKERS_INJECT", "{\"w1\": {\"exit_at_step\": -1}}")))
                .hasMessageContaining("w1.exit_at_step is -1, not an integer between 0 and 2147483647");
        assertThatThrownBy(() -> WorkerInjection.exitAtStep(0)).hasMessage("exitAtStep: 0 (expected: a step from 1 on)");
    }

    @Test
    void workerIndexOutOfRange_throws() {
        final ChimeraConfig config = fromEnvironment(Map.of("CHIMERA_WORKERS_NODES_NAMES", TWO_WORKERS));

        assertThatThrownBy(() -> config.mappedPort(2)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> config.workerIp(-1)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void codeValue_winsOverSystemPropertyAndEnvironment() {
        final ChimeraConfig config = ChimeraConfig.builder()
                                                  .workerNames("code")
                                                  .subnetMask(16)
                                                  .systemProperties(properties(
                                                          "CHIMERA_WORKERS_NODES_NAMES", "[\"property\"]",
                                                          "CHIMERA_NETWORK_SUBNET_MASK", "not even checked"))
                                                  .environment(Map.of("CHIMERA_WORKERS_NODES_NAMES", "[\"env\"]",
                                                                      "CHIMERA_NETWORK_SUBNET_MASK", "99"))
                                                  .build();

        assertThat(config.workerNames()).containsExactly("code");
        assertThat(config.subnetMask()).isEqualTo(16);
    }

    @Test
    void systemProperty_winsOverEnvironment() {
        final ChimeraConfig config = ChimeraConfig.builder()
                                                  .systemProperties(properties(
                                                          "CHIMERA_WORKERS_NODES_NAMES", "[\"property\"]"))
                                                  .environment(Map.of("CHIMERA_WORKERS_NODES_NAMES", "[\"env\"]",
                                                                      "CHIMERA_SEED", "7"))
                                                  .build();

        assertThat(config.workerNames()).containsExactly("property");
        assertThat(config.seed()).isEqualTo(7L);
    }

    @Test
    void problems_nameTheSourceOfTheValue() {
        final ChimeraConfigException e = catchThrowableOfType(ChimeraConfigException.class, () ->
                ChimeraConfig.builder()
                             .workerNames("w1")
                             .workersPort(0)
                             .systemProperties(properties("CHIMERA_SEED", "x"))
                             .environment(Map.of("CHIMERA_RUNTIME", "y"))
                             .build());

        assertThat(e.problems()).containsExactly(
                "CHIMERA_WORKERS_PORT=0: expected an integer between 1 and 65535 (source: code)",
                "CHIMERA_RUNTIME=y: expected one of process, docker, swarm, auto (source: environment)",
                "CHIMERA_SEED=x: expected an integer (a Java long) (source: -D system property)");
    }

    @Test
    void build_readsRealSystemProperties() {
        System.setProperty("CHIMERA_WORKERS_NODES_NAMES", "[\"from-d\"]");
        try {
            assertThat(ChimeraConfig.builder().build().workerNames()).containsExactly("from-d");
        } finally {
            System.clearProperty("CHIMERA_WORKERS_NODES_NAMES");
        }
    }

    @Test
    void oneCpuShare_appliesToEveryWorker() {
        final ChimeraConfig config = fromEnvironment(Map.of("CHIMERA_WORKERS_NODES_NAMES", "[\"a\", \"b\", \"c\"]",
                                                            "CHIMERA_WORKERS_CPU_SHARES", "[512]"));

        assertThat(List.of(config.cpuShares(0), config.cpuShares(1), config.cpuShares(2))).containsOnly(512);
    }

    @Test
    void cpuSharesPerWorker_areKeptInOrder() {
        final ChimeraConfig config = ChimeraConfig.builder().environment(Map.of())
                                                  .workerNames("a", "b").cpuShares(2, 1024).build();

        assertThat(config.cpuShares(0)).isEqualTo(2);
        assertThat(config.cpuShares(1)).isEqualTo(1024);
    }

    @Test
    void oneMappedPort_meansConsecutivePortsFromIt() {
        final ChimeraConfig config = ChimeraConfig.builder().environment(Map.of())
                                                  .workerNames("a", "b", "c").mappedPorts(9001).build();

        assertThat(List.of(config.mappedPort(0), config.mappedPort(1), config.mappedPort(2)))
                .containsExactly(9001, 9002, 9003);
    }

    @Test
    void mappedPortsPerWorker_areKeptInOrder() {
        final ChimeraConfig config = fromEnvironment(Map.of("CHIMERA_WORKERS_NODES_NAMES", TWO_WORKERS,
                                                            "CHIMERA_WORKERS_MAPPED_PORTS", "[9100, 9050]"));

        assertThat(config.mappedPort(0)).isEqualTo(9100);
        assertThat(config.mappedPort(1)).isEqualTo(9050);
    }

    @Test
    void pythonStyleList_withSingleQuotesAndTrailingComma_isAccepted() {
        final ChimeraConfig config = fromEnvironment(Map.of("CHIMERA_WORKERS_NODES_NAMES", "['w1', 'w2',]"));

        assertThat(config.workerNames()).containsExactly("w1", "w2");
    }

    @Test
    void shortNetworkPrefix_isPaddedWithZeroOctets() {
        final ChimeraConfig config = ChimeraConfig.builder().environment(Map.of()).workerNames("a", "b")
                                                  .networkPrefix("10.1").subnetMask(16).build();

        assertThat(config.subnet()).isEqualTo("10.1.0.0/16");
        assertThat(config.gateway()).isEqualTo("10.1.0.1");
        assertThat(config.workerIp(1)).isEqualTo("10.1.0.3");
        assertThat(ChimeraConfig.builder().environment(Map.of()).workerNames("a").networkPrefix("10").build()
                                .subnet()).isEqualTo("10.0.0.0/24");
    }

    @Test
    void codeSetters_coverEveryVariable() {
        final ChimeraConfig config = ChimeraConfig.builder()
                                                  .environment(Map.of())
                                                  .systemProperties(new Properties())
                                                  .networkName("net.1")
                                                  .networkPrefix("172.20.5")
                                                  .subnetMask(28)
                                                  .workerNames(List.of("x"))
                                                  .cpuShares(4)
                                                  .mappedPorts(7000)
                                                  .workersHost("0.0.0.0")
                                                  .workersPort(8080)
                                                  .endpointsMaxRetries(3)
                                                  .timeout(Duration.ofMillis(1500))
                                                  .runtime("Process")
                                                  .seed(-5)
                                                  .startupTimeout(Duration.ofSeconds(5))
                                                  .progress("off")
                                                  .healthInterval(Duration.ofMillis(500))
                                                  .build();

        assertThat(config.networkName()).isEqualTo("net.1");
        assertThat(config.subnet()).isEqualTo("172.20.5.0/28");
        assertThat(config.cpuShares(0)).isEqualTo(4);
        assertThat(config.mappedPort(0)).isEqualTo(7000);
        assertThat(config.workersHost()).isEqualTo("0.0.0.0");
        assertThat(config.workersPort()).isEqualTo(8080);
        assertThat(config.endpointsMaxRetries()).isEqualTo(3);
        assertThat(config.timeout()).isEqualTo(Duration.ofMillis(1500));
        assertThat(config.runtime()).isEqualTo("process");
        assertThat(config.seed()).isEqualTo(-5L);
        assertThat(config.startupTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.progress()).isEqualTo("off");
        assertThat(config.healthInterval()).isEqualTo(Duration.ofMillis(500));
        assertThat(config.toString()).contains("CHIMERA_WORKERS_NODES_NAMES=[x]", "CHIMERA_SEED=-5",
                                               "CHIMERA_PROGRESS=off");
    }

    @Test
    void fractionalTimeoutFromEnvironment_keepsItsPrecision() {
        final ChimeraConfig config = fromEnvironment(Map.of("CHIMERA_WORKERS_NODES_NAMES", TWO_WORKERS,
                                                            "CHIMERA_WORKERS_ENDPOINTS_TIMEOUT", " 0.25 "));

        assertThat(config.timeout()).isEqualTo(Duration.ofMillis(250));
    }

    @Test
    void unknownVariable_isRejectedBySet() {
        assertThatThrownBy(() -> ChimeraConfig.builder().set("CHIMERA_WORKER_NAMES", "[\"w1\"]"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("CHIMERA_WORKER_NAMES");
    }

    private static ChimeraConfig fromEnvironment(Map<String, String> environment) {
        return ChimeraConfig.builder().environment(environment).systemProperties(new Properties()).build();
    }

    private static Properties properties(String... keysAndValues) {
        final Properties properties = new Properties();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            properties.setProperty(keysAndValues[i], keysAndValues[i + 1]);
        }
        return properties;
    }
}
