package io.chimera.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.Ports;

import io.chimera.core.data.Dataset;
import io.chimera.core.metrics.Metrics;
import io.chimera.runtime.WorkerStartException;
import io.chimera.runtime.docker.DockerWorkerRuntime;
import io.chimera.server.config.ChimeraConfig;
import io.chimera.server.config.ChimeraConfigException;
import io.chimera.strategy.Master;
import io.chimera.strategy.aggregation.AggregationMaster;
import io.chimera.strategy.allreduce.AllReduceMaster;
import io.chimera.strategy.fedavg.FederatedAveragingMaster;
import io.chimera.strategy.parameterserver.ParameterServerMaster;

/**
 * The real master driving real worker containers: bagging and SGD through the master's REST API, what the
 * containers look like from Docker, and that nothing is left behind.
 */
@Tag("docker")
@ExtendWith(DockerSupport.class)
class DockerRuntimeTest {

    /** This class's own image repository, removed at the end. */
    private static final String REPOSITORY = "chimera-test-" + Long.toHexString(System.nanoTime());
    private static final String CLASSIFIER_JSON =
            "{\"kind\": \"classification\", \"learner\": \"decision_tree_classifier\", " +
            "\"params\": {\"max_depth\": 5}, \"bootstrap\": true}";
    private static final String REGRESSOR_JSON =
            "{\"kind\": \"regression\", \"learner\": \"decision_tree_regressor\", " +
            "\"params\": {\"max_depth\": 5}, \"bootstrap\": true}";

    @AfterAll
    static void removeTestImages() {
        DockerSupport.removeImages(REPOSITORY);
    }

    /** A network name and a /24 prefix no other test of this run uses. */
    private static String[] network() {
        final int third = ThreadLocalRandom.current().nextInt(1, 250);
        return new String[] {"chimera-test-net-" + third, "10.213." + third};
    }

    private static DockerWorkerRuntime runtime(TestProject project, ChimeraConfig config) {
        return DockerWorkerRuntime.builder(config).projectDirectory(project.dir()).imageRepository(REPOSITORY)
                                  .startupTimeout(Duration.ofSeconds(90)).build();
    }

    private static ChimeraRun start(Master master, TestProject project, ChimeraConfig config) {
        return Chimera.builder(master).port(0).config(config).projectDirectory(project.dir())
                      .runtime(runtime(project, config)).start();
    }

    @Test
    void bagging_classification_javaWorkers_containersAsConfigured(@TempDir Path dir) {
        final TestProject project = new TestProject(dir).sameData("tree", 3, BaggingScenariosTest.CLASSIFIER,
                                                                  "breast-cancer");
        final String[] net = network();
        final ChimeraConfig config = project.dockerConfig(net[0], net[1], 2, 4, 8);
        final Dataset test = BaggingScenariosTest.holdout("breast-cancer");
        try (ChimeraRun run = start(new AggregationMaster(), project, config)) {
            final JsonNode body = fitAndPredict(run, "aggregation", test);
            assertThat(Metrics.binaryAccuracy(Rest.doubles(body.get("y_pred_rows")), test.labels()))
                    .isGreaterThanOrEqualTo(0.89);

            for (int i = 0; i < 3; i++) {
                final String name = "tree" + (i + 1);
                final InspectContainerResponse c = DockerSupport.docker().inspectContainerCmd(name).exec();
                assertThat(c.getState().getRunning()).isTrue();
                assertThat(c.getNetworkSettings().getNetworks().get(net[0]).getIpAddress())
                        .isEqualTo(net[1] + '.' + (i + 2));
                assertThat(c.getHostConfig().getCpuShares()).isEqualTo(List.of(2, 4, 8).get(i));
                final Ports.Binding[] bindings =
                        c.getHostConfig().getPortBindings().getBindings().get(ExposedPort.tcp(80));
                assertThat(bindings).hasSize(1);
                assertThat(bindings[0].getHostIp()).isEqualTo("127.0.0.1");
                assertThat(bindings[0].getHostPortSpec()).isEqualTo(Integer.toString(config.mappedPort(i)));
                assertThat(c.getHostConfig().getExtraHosts()).hasSize(2)
                        .doesNotContain(name + ':' + net[1] + '.' + (i + 2));
                assertThat(c.getConfig().getUser()).isEqualTo("1000:1000");
                assertThat(c.getConfig().getLabels()).containsEntry(DockerWorkerRuntime.MANAGED_LABEL, "true")
                                                     .containsEntry(DockerWorkerRuntime.WORKER_LABEL, name);
                assertThat(List.of(c.getConfig().getEnv())).contains("CHIMERA_WORKERS_PORT=80",
                                                                     "CHIMERA_WORKER_NAME=" + name);
            }
            assertThat(DockerSupport.docker().inspectContainerCmd("tree1").exec().getHostConfig().getExtraHosts())
                    .containsExactlyInAnyOrder("tree2:" + net[1] + ".3", "tree3:" + net[1] + ".4");
            assertThat(DockerSupport.networks(net[0])).singleElement().satisfies(n -> {
                assertThat(n.getIpam().getConfig().get(0).getSubnet()).isEqualTo(net[1] + ".0/24");
                assertThat(n.getIpam().getConfig().get(0).getGateway()).isEqualTo(net[1] + ".1");
            });
        }
        assertNothingLeft(project, net[0]);
    }

    @Test
    void bagging_multiClass_declarativeWorkers_andAWorkerImageRunsOnItsOwn(@TempDir Path dir) {
        final TestProject project = new TestProject(dir);
        for (int i = 1; i <= 3; i++) {
            project.declarative("iris" + i, CLASSIFIER_JSON, "iris");
        }
        final String[] net = network();
        final Dataset test = BaggingScenariosTest.holdout("iris");
        try (ChimeraRun run = start(new AggregationMaster(), project, project.dockerConfig(net[0], net[1]))) {
            final JsonNode body = fitAndPredict(run, "aggregation", test);
            assertThat(body.get("classes")).hasSize(3);
            assertThat(Metrics.accuracy(Rest.doubles(body.get("y_pred_rows")), test.labels()))
                    .isGreaterThanOrEqualTo(0.85);

            // The worker image is self-contained: Testcontainers runs it alone, outside chimera's runtime.
            final String image = DockerSupport.docker().inspectContainerCmd("iris1").exec().getConfig().getImage();
            try (GenericContainer<?> alone = new GenericContainer<>(DockerImageName.parse(image))
                    .withCommand(DockerSupport.docker().inspectContainerCmd("iris1").exec().getConfig().getCmd())
                    .withEnv(Map.of("CHIMERA_WORKER_NAME", "alone", "CHIMERA_WORKERS_HOST", "0.0.0.0",
                                    "CHIMERA_WORKERS_PORT", "8000", "CHIMERA_TRAIN_DATA_DIR", "/chimera/data"))
                    .withExposedPorts(8000)
                    .waitingFor(Wait.forHttp("/v1/chimera/health").forStatusCode(200)
                                    .withStartupTimeout(Duration.ofSeconds(60)))) {
                alone.start();
                final HttpResponse<String> fit = Rest.post(
                        "http://localhost:" + alone.getMappedPort(8000) + "/v1/chimera/model/fit", null);
                assertThat(fit.statusCode()).as(fit.body()).isEqualTo(200);
            }
        }
        assertNothingLeft(project, net[0]);
    }

    @Test
    void bagging_regression_andAStoppedWorkerRestarts(@TempDir Path dir) {
        final TestProject project = new TestProject(dir);
        for (int i = 1; i <= 3; i++) {
            project.declarative("wine" + i, REGRESSOR_JSON, "wine-like");
        }
        final String[] net = network();
        final Dataset test = BaggingScenariosTest.holdout("wine-like");
        try (ChimeraRun run = start(new AggregationMaster(), project, project.dockerConfig(net[0], net[1]))) {
            final JsonNode body = fitAndPredict(run, "aggregation", test);
            assertThat(Metrics.r2(Rest.doubles(body.get("y_pred_rows")), test.labels())).isGreaterThan(0.2);

            run.runtime().stop("wine2");
            assertThat(run.runtime().isRunning("wine2")).isFalse();
            final HttpResponse<String> without = Rest.post(run.baseUrl() + "/v1/chimera/aggregation/fit", null);
            assertThat(without.statusCode()).isEqualTo(200);
            assertThat(Rest.json(without.body()).get("failed_workers")).extracting(JsonNode::asText)
                                                                       .containsExactly("wine2");
            run.runtime().restart("wine2");
            assertThat(run.runtime().isRunning("wine2")).isTrue();
            final HttpResponse<String> with = Rest.post(run.baseUrl() + "/v1/chimera/aggregation/fit", null);
            assertThat(with.statusCode()).isEqualTo(200);
            assertThat(Rest.json(with.body()).path("failed_workers")).isEmpty();
        }
        assertNothingLeft(project, net[0]);
    }

    @Test
    void sgd_twoWorkers_partitionedData(@TempDir Path dir) {
        final TestProject project = new TestProject(dir).partitioned("sgd", 2, SgdScenariosTest.SGD_WORKER,
                                                                     "breast-cancer");
        final String[] net = network();
        final Dataset test = BaggingScenariosTest.holdout("breast-cancer");
        final ParameterServerMaster master = ParameterServerMaster.builder().loss("log_loss").build();
        try (ChimeraRun run = start(master, project, project.dockerConfig(net[0], net[1]))) {
            final JsonNode body = fitAndPredict(run, "parameter-server", test);
            // Binary log loss: y_pred_rows holds the probabilities of class 1.
            assertThat(Metrics.binaryAccuracy(Rest.doubles(body.get("y_pred_rows")), test.labels()))
                    .isGreaterThanOrEqualTo(0.95);
        }
        assertNothingLeft(project, net[0]);
    }

    /**
     * The strategies written with the strategy API run in containers as they do in processes: federated averaging,
     * and ring all-reduce, whose workers reach one another by container name on the project's network.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "federated-averaging", "all-reduce" })
    void strategyApi_fourContainers_diabetes(String strategy, @TempDir Path dir) {
        final boolean ring = "all-reduce".equals(strategy);
        final TestProject project = new TestProject(dir).partitioned(
                ring ? "ring" : "fed", 4, ring ? DataParallelStrategiesTest.ALL_REDUCE_WORKER
                                               : DataParallelStrategiesTest.FEDAVG_WORKER, "diabetes-like");
        final String[] net = network();
        final Dataset test = SgdScenariosTest.holdout("diabetes-like");
        final Master master = ring ? AllReduceMaster.builder().loss("log_loss").build()
                                   : FederatedAveragingMaster.builder().loss("log_loss").rounds(10).build();
        try (ChimeraRun run = start(master, project, project.dockerConfig(net[0], net[1]))) {
            final JsonNode body = fitAndPredict(run, strategy, test);
            assertThat(Metrics.rocAuc(Rest.doubles(body.get("y_pred_rows")), test.labels()))
                    .isGreaterThanOrEqualTo(0.80);
            final JsonNode history = Rest.json(Rest.get(run.baseUrl() + "/v1/chimera/" + strategy + "/history")
                                             .body());
            assertThat(history.path("peer_bytes").asLong() > 0).isEqualTo(ring);
        }
        assertNothingLeft(project, net[0]);
    }

    @Test
    void sgd_aContainerKilledMidFit_theFitFinishesOnTheOthersAndNamesIt(@TempDir Path dir) throws Exception {
        final TestProject project = new TestProject(dir).partitioned("kill", 3, SgdScenariosTest.SGD_WORKER,
                                                                     "breast-cancer");
        final String[] net = network();
        final ParameterServerMaster master = ParameterServerMaster.builder().loss("log_loss").maxIter(8_000)
                                                                  .epsilon(0).build();
        try (ChimeraRun run = start(master, project, project.dockerConfig(net[0], net[1]))) {
            final String url = run.baseUrl() + "/v1/chimera/parameter-server/";
            final java.util.concurrent.CompletableFuture<HttpResponse<String>> fit =
                    java.util.concurrent.CompletableFuture.supplyAsync(() -> Rest.post(url + "fit", null));
            while (Rest.json(Rest.get(url + "history").body()).path("iterations").size() < 20) {
                Thread.sleep(20);
            }
            run.runtime().stop("kill2");
            final HttpResponse<String> res = fit.get();
            assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
            assertThat(Rest.json(res.body()).get("failed_workers")).extracting(JsonNode::asText)
                                                                   .containsExactly("kill2");
            assertThat(Rest.json(Rest.get(url + "history").body()).get("iterations")).hasSize(8_000);
        }
        assertNothingLeft(project, net[0]);
    }

    @Test
    void secondStart_replacesContainersAnEarlierRunLeftBehind(@TempDir Path dir) {
        final TestProject project = new TestProject(dir).declarative("left1", CLASSIFIER_JSON, "iris")
                                                        .declarative("left2", CLASSIFIER_JSON, "iris");
        final String[] net = network();
        final ChimeraConfig config = project.dockerConfig(net[0], net[1]);
        // A master killed with -9: its runtime is never closed, its containers and network stay.
        final DockerWorkerRuntime crashed = DockerWorkerRuntime.builder(config).projectDirectory(project.dir())
                                                               .imageRepository(REPOSITORY).stopOnJvmExit(false)
                                                               .build();
        crashed.start(io.chimera.runtime.WorkerRuntimes.specs(
                config, dir.resolve("chimera_workers"), dir.resolve("chimera_train_data")));
        assertThat(DockerSupport.chimeraContainers(project.names())).hasSize(2);

        // The same configuration again: same names, same ports (still held by the leftovers), same network.
        try (ChimeraRun run = start(new AggregationMaster(), project, config)) {
            assertThat(Rest.post(run.baseUrl() + "/v1/chimera/aggregation/fit", null).statusCode()).isEqualTo(200);
        }
        assertNothingLeft(project, net[0]);
    }

    @Test
    void aContainerChimeraDidNotCreate_isNeverRemoved(@TempDir Path dir) {
        final TestProject project = new TestProject(dir).declarative("foreign1", CLASSIFIER_JSON, "iris");
        final String[] net = network();
        final String foreign = DockerSupport.docker().createContainerCmd(DockerSupport.BASE_IMAGE)
                                            .withName("foreign1").withCmd("java", "-version").exec().getId();
        try {
            assertThatThrownBy(() -> start(new AggregationMaster(), project, project.dockerConfig(net[0], net[1])))
                    .isInstanceOf(WorkerStartException.class)
                    .hasMessageContaining("a container named foreign1 exists")
                    .hasMessageContaining("was not created by chimera");
            assertThat(DockerSupport.docker().inspectContainerCmd(foreign).exec().getId()).isEqualTo(foreign);
            assertThat(DockerSupport.networks(net[0])).isEmpty();
        } finally {
            DockerSupport.docker().removeContainerCmd(foreign).withForce(true).exec();
        }
    }

    /** Configuration errors: the configuration cannot even be built, so no runtime exists to create anything. */
    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
            "CHIMERA_NETWORK_SUBNET_MASK | 33          | expected an integer between 0 and 32",
            "CHIMERA_NETWORK_PREFIX      | 10.300.1    | expected 1 to 3 IPv4 octets",
            "CHIMERA_NETWORK_PREFIX      | 10.1.2.3    | expected 1 to 3 IPv4 octets",
            "CHIMERA_WORKERS_MAPPED_PORTS | [9100, 9100] | expected unique ports; repeated: 9100",
            "CHIMERA_WORKERS_CPU_SHARES  | [1]         | expected a JSON list of integers >= 2",
            "CHIMERA_RUNTIME             | kubernetes  | expected one of process, docker, swarm, auto",
            "CHIMERA_DOCKER_BASE_IMAGE   | Not An Image | expected a Docker image reference"})
    void badConfiguration_failsBeforeAnyContainerStarts(String variable, String value, String expected,
                                                        @TempDir Path dir) {
        final TestProject project = new TestProject(dir).declarative("bad1", CLASSIFIER_JSON, "iris")
                                                        .declarative("bad2", CLASSIFIER_JSON, "iris");
        assertThatThrownBy(() -> ChimeraConfig.builder().environment(Map.of(variable, value))
                                              .systemProperties(new java.util.Properties())
                                              .workerNames(project.names()).build())
                .isInstanceOf(ChimeraConfigException.class)
                .hasMessageContaining(variable + '=' + value)
                .hasMessageContaining(expected);
        assertThat(DockerSupport.chimeraContainers(project.names())).isEmpty();
    }

    /** Problems only the runtime can see: reported before it creates any network, image or container. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"port taken", "no data folder", "prefix not a network", "subnet too small"})
    void badSetUp_failsBeforeAnyContainerStarts(String problem, @TempDir Path dir) throws Exception {
        final TestProject project = new TestProject(dir).declarative("setup1", CLASSIFIER_JSON, "iris")
                                                        .declarative("setup2", CLASSIFIER_JSON, "iris");
        final String[] net = network();
        ChimeraConfig config = project.dockerConfig(net[0], net[1]);
        String expected;
        java.net.ServerSocket taken = null;
        switch (problem) {
            case "port taken":
                taken = new java.net.ServerSocket(config.mappedPort(1), 50,
                                                  java.net.InetAddress.getByName("127.0.0.1"));
                expected = "port " + config.mappedPort(1) + " of worker setup2 is already in use on 127.0.0.1";
                break;
            case "no data folder":
                java.nio.file.Files.walk(dir.resolve("chimera_train_data/setup2"))
                                   .sorted(java.util.Comparator.reverseOrder())
                                   .forEach(p -> p.toFile().delete());
                expected = "worker setup2 has no data folder";
                break;
            case "prefix not a network":
                config = ChimeraConfig.builder().environment(Map.of()).systemProperties(new java.util.Properties())
                                      .workerNames(project.names()).networkName(net[0]).networkPrefix(net[1])
                                      .subnetMask(16).dockerBaseImage(DockerSupport.BASE_IMAGE).build();
                expected = "which is not a network address";
                break;
            default:
                config = ChimeraConfig.builder().environment(Map.of()).systemProperties(new java.util.Properties())
                                      .workerNames(project.names()).networkName(net[0]).networkPrefix(net[1])
                                      .subnetMask(31).dockerBaseImage(DockerSupport.BASE_IMAGE).build();
                expected = "has no room for worker";
        }
        final String repository = REPOSITORY + "-bad";
        final ChimeraConfig finalConfig = config;
        try {
            assertThatThrownBy(() -> Chimera.builder(new AggregationMaster()).port(0).config(finalConfig)
                                            .projectDirectory(dir)
                                            .runtime(DockerWorkerRuntime.builder(finalConfig).projectDirectory(dir)
                                                                        .imageRepository(repository).build())
                                            .start())
                    .isInstanceOf(WorkerStartException.class)
                    .hasMessageContaining(expected);
        } finally {
            if (taken != null) {
                taken.close();
            }
        }
        assertThat(DockerSupport.chimeraContainers(project.names())).isEmpty();
        assertThat(DockerSupport.networks(net[0])).isEmpty();
        assertThat(DockerSupport.images(repository)).isEmpty();
    }

    /** Fits through the master's REST API, then predicts {@code test}; asserts both answer 200. */
    static JsonNode fitAndPredict(ChimeraRun run, String kind, Dataset test) {
        final HttpResponse<String> fit = Rest.post(run.baseUrl() + "/v1/chimera/" + kind + "/fit", null);
        assertThat(fit.statusCode()).as(fit.body()).isEqualTo(200);
        final HttpResponse<String> res = Rest.post(run.baseUrl() + "/v1/chimera/" + kind + "/predict",
                                                   Rest.predictBody(test));
        assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
        return Rest.json(res.body());
    }

    private static void assertNothingLeft(TestProject project, String network) {
        assertThat(DockerSupport.chimeraContainers(project.names())).as("containers left behind").isEmpty();
        assertThat(DockerSupport.networks(network)).as("networks left behind").isEmpty();
    }
}
