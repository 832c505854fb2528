package io.chimera.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.LocalNodeState;
import com.github.dockerjava.api.model.PortConfig;
import com.github.dockerjava.api.model.Service;
import com.github.dockerjava.api.model.SwarmSpec;

import io.chimera.core.data.Dataset;
import io.chimera.core.metrics.Metrics;
import io.chimera.runtime.docker.internal.RunIdentity;
import io.chimera.runtime.swarm.SwarmWorkerRuntime;
import io.chimera.server.config.ChimeraConfig;
import io.chimera.strategy.Master;
import io.chimera.strategy.aggregation.AggregationMaster;
import io.chimera.strategy.parameterserver.ParameterServerMaster;

/**
 * The swarm runtime on a one-node swarm that the test makes itself ({@code docker swarm init
 * --advertise-addr 127.0.0.1}) and leaves at the end: bagging and SGD through the master, a killed task
 * rescheduled by Swarm and back at the next fit, and nothing left behind.
 */
@Tag("docker")
@ExtendWith(DockerSupport.class)
class SwarmRuntimeTest {

    private static final String REPOSITORY = "chimera-swarm-test-" + Long.toHexString(System.nanoTime());
    private static final String TREE_JSON =
            "{\"kind\": \"classification\", \"learner\": \"decision_tree_classifier\", " +
            "\"params\": {\"max_depth\": 5}, \"bootstrap\": true}";
    private static boolean swarmCreated;
    private static boolean gatewayBridgeExisted;

    @BeforeAll
    static void joinOrCreateASwarm() {
        gatewayBridgeExisted = !DockerSupport.networks("docker_gwbridge").isEmpty();
        if (DockerSupport.docker().infoCmd().exec().getSwarm().getLocalNodeState() != LocalNodeState.ACTIVE) {
            DockerSupport.docker().initializeSwarmCmd(new SwarmSpec()).withAdvertiseAddr("127.0.0.1")
                         .withListenAddr("127.0.0.1:2377").exec();
            swarmCreated = true;
        }
    }

    @AfterAll
    static void leaveTheSwarmAndRemoveImages() {
        if (swarmCreated) {
            DockerSupport.docker().leaveSwarmCmd().withForceEnabled(true).exec();
            if (!gatewayBridgeExisted) {
                DockerSupport.networks("docker_gwbridge")
                             .forEach(n -> DockerSupport.docker().removeNetworkCmd(n.getId()).exec());
            }
            assertThat(DockerSupport.docker().infoCmd().exec().getSwarm().getLocalNodeState())
                    .isEqualTo(LocalNodeState.INACTIVE);
        }
        DockerSupport.removeImages(REPOSITORY);
    }

    private static ChimeraConfig config(TestProject project, String network, String prefix) {
        return ChimeraConfig.builder().environment(Map.of()).systemProperties(new Properties())
                            .workerNames(project.names())
                            .mappedPorts(TestProject.freePorts(project.names().size()).stream()
                                                    .mapToInt(Integer::intValue).toArray())
                            .cpuShares(512)
                            .networkName(network).networkPrefix(prefix)
                            .set(ChimeraConfig.SWARM_CONSTRAINTS,
                                 "{\"" + project.names().get(0) + "\": [\"node.role==manager\"]}")
                            .runtime("swarm").dockerBaseImage(DockerSupport.BASE_IMAGE).build();
    }

    private static ChimeraRun start(Master master, TestProject project, ChimeraConfig config) {
        return Chimera.builder(master).port(0).config(config).projectDirectory(project.dir())
                      .runtime(SwarmWorkerRuntime.builder(config).projectDirectory(project.dir())
                                                 .imageRepository(REPOSITORY)
                                                 .startupTimeout(Duration.ofSeconds(120)).build())
                      .start();
    }

    @Test
    void bagging_threeServices_fitPredict_thenNothingLeft(@TempDir Path dir) {
        final TestProject project = new TestProject(dir);
        for (int i = 1; i <= 3; i++) {
            project.declarative("swtree" + i, TREE_JSON, "iris");
        }
        final Dataset test = BaggingScenariosTest.holdout("iris");
        final ChimeraConfig config = config(project, "chimera-swarm-net-a", "10.216.1");
        try (ChimeraRun run = start(new AggregationMaster(), project, config)) {
            final JsonNode body = DockerRuntimeTest.fitAndPredict(run, "aggregation", test);
            assertThat(Metrics.accuracy(Rest.doubles(body.get("y_pred_rows")), test.labels()))
                    .isGreaterThanOrEqualTo(0.85);

            for (int i = 0; i < 3; i++) {
                final Service service = service(dir, "swtree" + (i + 1));
                assertThat(service.getSpec().getMode().getReplicated().getReplicas()).isEqualTo(1);
                assertThat(service.getSpec().getTaskTemplate().getResources().getReservations().getNanoCPUs())
                        .isEqualTo(500_000_000L);
                final PortConfig port = service.getSpec().getEndpointSpec().getPorts().get(0);
                assertThat(port.getPublishMode()).isEqualTo(PortConfig.PublishMode.host);
                assertThat(port.getPublishedPort()).isEqualTo(config.mappedPort(i));
                assertThat(port.getTargetPort()).isEqualTo(80);
                assertThat(service.getSpec().getName()).isEqualTo(RunIdentity.of(dir).resourceName("swtree" + (i + 1)));
                assertThat(service.getSpec().getLabels()).containsEntry("io.chimera.managed", "true")
                                                         .containsEntry(RunIdentity.PROJECT_LABEL, dir.toString())
                                                         .containsKey(RunIdentity.OWNER_LABEL);
                assertThat(service.getSpec().getTaskTemplate().getContainerSpec().getHostname())
                        .isEqualTo("swtree" + (i + 1));
            }
            assertThat(service(dir, "swtree1").getSpec().getTaskTemplate().getPlacement().getConstraints())
                    .containsExactly("node.role==manager");
            // Published on every interface of the node: the run's secret is what closes a worker.
            final HttpResponse<String> stranger = Rest.post("http://127.0.0.1:" + config.mappedPort(0)
                                                            + "/v1/chimera/model/predict", Rest.predictBody(test));
            assertThat(stranger.statusCode()).as(stranger.body()).isEqualTo(401);
            assertThat(stranger.body()).contains("UnauthenticatedError");
            assertThat(DockerSupport.networks("chimera-swarm-net-a")).singleElement()
                    .satisfies(n -> assertThat(n.getDriver()).isEqualTo("overlay"));
        }
        assertNothingLeft(project, "chimera-swarm-net-a");
    }

    @Test
    void sgd_twoServices_fitPredict(@TempDir Path dir) {
        final TestProject project = new TestProject(dir).partitioned("swsgd", 2, SgdScenariosTest.SGD_WORKER,
                                                                     "breast-cancer");
        final Dataset test = BaggingScenariosTest.holdout("breast-cancer");
        final ParameterServerMaster master = ParameterServerMaster.builder().loss("log_loss").build();
        try (ChimeraRun run = start(master, project, config(project, "chimera-swarm-net-b", "10.216.2"))) {
            final JsonNode body = DockerRuntimeTest.fitAndPredict(run, "parameter-server", test);
            assertThat(Metrics.binaryAccuracy(Rest.doubles(body.get("y_pred_rows")), test.labels()))
                    .isGreaterThanOrEqualTo(0.95);
        }
        assertNothingLeft(project, "chimera-swarm-net-b");
    }

    @Test
    void aKilledTask_isRescheduledBySwarm_andRejoinsTheNextFit(@TempDir Path dir) throws Exception {
        final TestProject project = new TestProject(dir);
        for (int i = 1; i <= 2; i++) {
            project.declarative("swkill" + i, TREE_JSON, "iris");
        }
        final ChimeraConfig config = config(project, "chimera-swarm-net-c", "10.216.3");
        try (ChimeraRun run = start(new AggregationMaster(), project, config)) {
            final String fit = run.baseUrl() + "/v1/chimera/aggregation/fit";
            assertThat(Rest.post(fit, null).statusCode()).isEqualTo(200);

            final Map<String, String> service =
                    Map.of("com.docker.swarm.service.name", RunIdentity.of(dir).resourceName("swkill2"));
            final Container task = DockerSupport.docker().listContainersCmd().withLabelFilter(service).exec().get(0);
            DockerSupport.docker().killContainerCmd(task.getId()).exec();
            final String health = "http://127.0.0.1:" + config.mappedPort(1) + "/v1/chimera/health";
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            boolean back = false;
            while (!back && System.nanoTime() < deadline) {
                Thread.sleep(250);
                final List<Container> now =
                        DockerSupport.docker().listContainersCmd().withLabelFilter(service).exec();
                back = !now.isEmpty() && !now.get(0).getId().equals(task.getId()) && answers(health);
            }
            assertThat(back).as("a new task of swkill2 answers").isTrue();
            final HttpResponse<String> again = Rest.post(fit, null);
            assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
            assertThat(Rest.json(again.body()).path("failed_workers")).isEmpty();
        }
        assertNothingLeft(project, "chimera-swarm-net-c");
    }

    private static boolean answers(String url) {
        try {
            return Rest.get(url).statusCode() == 200;
        } catch (IllegalStateException e) {
            return false;
        }
    }

    /** The service of worker {@code worker} of the project in {@code project}. */
    private static Service service(Path project, String worker) {
        return DockerSupport.docker().listServicesCmd().withLabelFilter(Map.of(
                                    RunIdentity.PROJECT_LABEL, project.toString(),
                                    "io.chimera.worker", worker)).exec().stream()
                            .findFirst().orElseThrow();
    }

    private static void assertNothingLeft(TestProject project, String network) {
        assertThat(DockerSupport.docker().listServicesCmd()
                                .withLabelFilter(Map.of(RunIdentity.PROJECT_LABEL, project.dir().toString())).exec())
                .as("services left behind").isEmpty();
        assertThat(DockerSupport.docker().listContainersCmd().withShowAll(true)
                                .withLabelFilter(Map.of("io.chimera.managed", "true")).exec())
                .as("containers left behind").isEmpty();
        assertThat(DockerSupport.networks(network)).as("networks left behind").isEmpty();
    }
}
