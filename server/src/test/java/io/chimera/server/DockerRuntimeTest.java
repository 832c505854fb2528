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
import io.chimera.runtime.docker.internal.RunIdentity;
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
                final InspectContainerResponse c = DockerSupport.container(project.dir(), name);
                assertThat(c.getState().getRunning()).isTrue();
                // Named for this project (names are global per daemon); the worker's name is its host name.
                assertThat(c.getName()).isEqualTo('/' + RunIdentity.of(dir).resourceName(name))
                                       .matches("/[a-z0-9-]{1,20}-[0-9a-f]{6}-" + name);
                assertThat(c.getConfig().getHostName()).isEqualTo(name);
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
                                                     .containsEntry(DockerWorkerRuntime.WORKER_LABEL, name)
                                                     .containsEntry(RunIdentity.PROJECT_LABEL, dir.toString())
                                                     .containsKey(RunIdentity.RUN_LABEL)
                                                     .hasEntrySatisfying(RunIdentity.OWNER_LABEL, owner ->
                                                             assertThat(owner).contains(
                                                                     ":" + ProcessHandle.current().pid() + ':'));
                assertThat(List.of(c.getConfig().getEnv())).contains("CHIMERA_WORKERS_PORT=80",
                                                                     "CHIMERA_WORKER_NAME=" + name);
            }
            assertThat(DockerSupport.container(project.dir(), "tree1").getHostConfig().getExtraHosts())
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
            final InspectContainerResponse iris1 = DockerSupport.container(project.dir(), "iris1");
            final String image = iris1.getConfig().getImage();
            // The shared image holds what workers need, not the master's Docker client or TLS libraries.
            assertThat(String.join(" ", iris1.getConfig().getCmd())).contains("armeria", "chimera-node")
                                                                      .doesNotContain("docker-java", "bcprov",
                                                                                      "httpclient5", "picocli");
            try (GenericContainer<?> alone = new GenericContainer<>(DockerImageName.parse(image))
                    .withCommand(iris1.getConfig().getCmd())
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
    void tribuoXGBoostWorkers_fitAndPredictInContainers_andTheirModelsExport(@TempDir Path dir) {
        // XGBoost's native code links OpenMP: the offline base image must carry libgomp (base image version 2).
        final TestProject project = new TestProject(dir);
        for (int i = 1; i <= 2; i++) {
            project.declarative("xgb" + i, "{\"kind\": \"classification\", \"learner\": "
                                           + "\"XGBoostClassificationTrainer\", \"params\": {\"numTrees\": 20}, "
                                           + "\"bootstrap\": true}", "breast-cancer");
        }
        final String[] net = network();
        final Dataset test = BaggingScenariosTest.holdout("breast-cancer");
        try (ChimeraRun run = start(new AggregationMaster(), project, project.dockerConfig(net[0], net[1]))) {
            final JsonNode body = fitAndPredict(run, "aggregation", test);
            assertThat(Metrics.rocAuc(Rest.doubles(body.get("y_pred_rows")), test.labels()))
                    .isGreaterThanOrEqualTo(0.95);
            final JsonNode model = Rest.json(Rest.get(run.baseUrl() + "/v1/chimera/aggregation/model").body());
            assertThat(model.get("bagging").get("members").get(0).get("format").asText()).isEqualTo("tribuo");
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
    void aMasterKilledWithMinus9_itsContainersAreReplacedByTheNextStart(@TempDir Path dir) throws Exception {
        final TestProject project = new TestProject(dir).declarative("left1", CLASSIFIER_JSON, "iris")
                                                        .declarative("left2", CLASSIFIER_JSON, "iris");
        final String[] net = network();
        final ChimeraConfig config = project.dockerConfig(net[0], net[1]);
        // A real master JVM, killed with -9: no shutdown hook runs, its containers and network stay.
        final List<String> command = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), CrashedDockerMaster.class.getName(), net[0], net[1],
                DockerSupport.BASE_IMAGE, REPOSITORY));
        for (int i = 0; i < 2; i++) {
            command.add(Integer.toString(config.mappedPort(i)));
        }
        final ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        builder.environment().put("CHIMERA_WORKERS_NODES_NAMES", "[\"left1\", \"left2\"]");
        final Process crashed = builder.start();
        try (java.io.BufferedReader output = new java.io.BufferedReader(new java.io.InputStreamReader(
                crashed.getInputStream(), java.nio.charset.StandardCharsets.UTF_8))) {
            final StringBuilder seen = new StringBuilder();
            String line;
            while ((line = output.readLine()) != null && !line.equals("ready")) {
                seen.append(line).append('\n');
            }
            assertThat(line).as("the crashed master's workers started:\n" + seen).isEqualTo("ready");
        } finally {
            crashed.destroyForcibly();
        }
        assertThat(crashed.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(DockerSupport.chimeraContainers(dir, project.names())).hasSize(2)
                .allSatisfy(c -> assertThat(c.getState()).isEqualTo("running"));

        // The same project and configuration again: same names, same ports (still held by the leftovers),
        // same network. The owner is dead, so they are a crash's leftovers, replaced.
        try (ChimeraRun run = start(new AggregationMaster(), project, config)) {
            assertThat(Rest.post(run.baseUrl() + "/v1/chimera/aggregation/fit", null).statusCode()).isEqualTo(200);
            assertThat(DockerSupport.chimeraContainers(dir, project.names())).hasSize(2)
                    .allSatisfy(c -> assertThat(c.getLabels().get(RunIdentity.OWNER_LABEL))
                            .contains(":" + ProcessHandle.current().pid() + ':'));
        }
        assertNothingLeft(project, net[0]);
    }

    /**
     * Two projects whose workers have the same names, each with its own network and ports, run side by side
     * and each fits and predicts with its own workers; a second master on a live project, or on a network a
     * live run uses, is refused and takes nothing from the first.
     */
    @Test
    void twoProjectsWithTheSameWorkerNames_runSideBySide(@TempDir Path first, @TempDir Path second) {
        final TestProject a = new TestProject(first).sameData("tree", 2, BaggingScenariosTest.CLASSIFIER,
                                                              "breast-cancer");
        final TestProject b = new TestProject(second);
        b.declarative("tree1", REGRESSOR_JSON, "wine-like").declarative("tree2", REGRESSOR_JSON, "wine-like");
        final String[] netA = network();
        String[] netB = network();
        while (netB[0].equals(netA[0])) {
            netB = network();
        }
        final ChimeraConfig configA = a.dockerConfig(netA[0], netA[1]);
        final ChimeraConfig configB = b.dockerConfig(netB[0], netB[1]);
        final Dataset cancer = BaggingScenariosTest.holdout("breast-cancer");
        final Dataset wine = BaggingScenariosTest.holdout("wine-like");
        try (ChimeraRun runA = start(new AggregationMaster(), a, configA);
             ChimeraRun runB = start(new AggregationMaster(), b, configB)) {
            final JsonNode predictedA = fitAndPredict(runA, "aggregation", cancer);
            final JsonNode predictedB = fitAndPredict(runB, "aggregation", wine);
            assertThat(Metrics.binaryAccuracy(Rest.doubles(predictedA.get("y_pred_rows")), cancer.labels()))
                    .isGreaterThanOrEqualTo(0.89);
            // A regression answer from B's workers (wine quality), not A's 0/1 classes.
            assertThat(java.util.Arrays.stream(Rest.doubles(predictedB.get("y_pred_rows"))).average().orElse(0))
                    .isGreaterThan(2);
            assertThat(DockerSupport.chimeraContainers(first, a.names())).hasSize(2);
            assertThat(DockerSupport.chimeraContainers(second, b.names())).hasSize(2);

            // A second master on project A: A's containers belong to a running master.
            final ChimeraConfig again = a.dockerConfig(netA[0] + "-x", netA[1].replace("10.213.", "10.214."));
            assertThatThrownBy(() -> start(new AggregationMaster(), a, again))
                    .isInstanceOf(WorkerStartException.class)
                    .hasMessageContaining("belongs to the chimera master with PID " + ProcessHandle.current().pid())
                    .hasMessageContaining("which is running");
            // A third project on A's network: its addresses are taken by a running master's workers.
            final TestProject c = new TestProject(first.resolve("third")).declarative("tree1", CLASSIFIER_JSON,
                                                                                      "iris");
            assertThatThrownBy(() -> start(new AggregationMaster(), c, c.dockerConfig(netA[0], netA[1])))
                    .isInstanceOf(WorkerStartException.class)
                    .hasMessageContaining("the Docker network " + netA[0] + " is in use by the workers of")
                    .hasMessageContaining("CHIMERA_NETWORK_NAME and CHIMERA_NETWORK_PREFIX");
            assertThat(DockerSupport.networks(netA[0] + "-x")).isEmpty();

            // Both still answer with their own workers.
            assertThat(Metrics.binaryAccuracy(Rest.doubles(fitAndPredict(runA, "aggregation", cancer)
                                                                   .get("y_pred_rows")), cancer.labels()))
                    .isGreaterThanOrEqualTo(0.89);
            assertThat(java.util.Arrays.stream(Rest.doubles(fitAndPredict(runB, "aggregation", wine)
                                                                .get("y_pred_rows"))).average().orElse(0))
                    .isGreaterThan(2);
            runA.close();
            assertNothingLeft(a, netA[0]);
            assertThat(DockerSupport.chimeraContainers(second, b.names())).hasSize(2)
                    .allSatisfy(container -> assertThat(container.getState()).isEqualTo("running"));
            assertThat(Rest.post(runB.baseUrl() + "/v1/chimera/aggregation/predict", Rest.predictBody(wine))
                           .statusCode()).isEqualTo(200);
        }
        assertNothingLeft(b, netB[0]);
    }

    @Test
    void aContainerChimeraDidNotCreate_isNeverRemoved(@TempDir Path dir) {
        final TestProject project = new TestProject(dir).declarative("foreign1", CLASSIFIER_JSON, "iris");
        final String[] net = network();
        final String name = RunIdentity.of(dir).resourceName("foreign1");
        final String foreign = DockerSupport.docker().createContainerCmd(DockerSupport.BASE_IMAGE)
                                            .withName(name).withCmd("java", "-version").exec().getId();
        try {
            assertThatThrownBy(() -> start(new AggregationMaster(), project, project.dockerConfig(net[0], net[1])))
                    .isInstanceOf(WorkerStartException.class)
                    .hasMessageContaining("a container named " + name + " exists")
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
        assertThat(DockerSupport.chimeraContainers(project.dir(), project.names())).isEmpty();
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
        assertThat(DockerSupport.chimeraContainers(project.dir(), project.names())).isEmpty();
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
        assertThat(DockerSupport.chimeraContainers(project.dir(), project.names())).as("containers left behind")
                                                                                 .isEmpty();
        assertThat(DockerSupport.networks(network)).as("networks left behind").isEmpty();
    }
}
