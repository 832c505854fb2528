package io.chimera.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.chimera.runtime.docker.DockerWorkerRuntime;
import io.chimera.runtime.process.ProcessWorkerRuntime;
import io.chimera.server.config.ChimeraConfig;

class WorkerRuntimesTest {

    private static final ChimeraConfig CONFIG = ChimeraConfig.builder()
                                                             .environment(Map.of())
                                                             .systemProperties(new Properties())
                                                             .workerNames("tree1", "sgd1")
                                                             .mappedPorts(9001)
                                                             .cpuShares(2, 8)
                                                             .seed(11)
                                                             .build();

    @Test
    void process_givesTheProcessRuntime() {
        try (WorkerRuntime process = WorkerRuntimes.forName("process", CONFIG)) {
            assertThat(process).isInstanceOf(ProcessWorkerRuntime.class);
            assertThat(process.name()).isEqualTo("process");
        }
    }

    @Test
    void docker_givesTheDockerRuntimeWithoutTouchingTheDaemon() {
        try (WorkerRuntime docker = WorkerRuntimes.forName("docker", CONFIG)) {
            assertThat(docker).isInstanceOf(DockerWorkerRuntime.class);
            assertThat(docker.name()).isEqualTo("docker");
        }
    }

    @Test
    void auto_fallsBackToProcesses_whenTheBaseImageIsNotHere() {
        final ChimeraConfig absentImage = ChimeraConfig.builder()
                                                       .environment(Map.of())
                                                       .systemProperties(new Properties())
                                                       .workerNames("tree1")
                                                       .dockerBaseImage("chimera-test/no-such-image:never")
                                                       .build();
        try (WorkerRuntime auto = WorkerRuntimes.forName("auto", absentImage)) {
            assertThat(auto).isInstanceOf(ProcessWorkerRuntime.class);
        }
    }

    @Test
    void unknownRuntime_isRejected() {
        assertThatThrownBy(() -> WorkerRuntimes.forName("kubernetes", CONFIG))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("runtime: kubernetes (expected: process, docker, swarm or auto)");
    }

    @Test
    void specs_followTheConfigAndDiscoverEntries(@TempDir Path workers) throws IOException {
        final Path tree = Files.writeString(workers.resolve("tree1.java"), "class W {}");
        final Path sgd = Files.writeString(workers.resolve("sgd1.json"), "{}");

        final List<WorkerSpec> specs = WorkerRuntimes.specs(CONFIG, workers);

        assertThat(specs).extracting(WorkerSpec::name).containsExactly("tree1", "sgd1");
        assertThat(specs).extracting(WorkerSpec::index).containsExactly(0, 1);
        assertThat(specs).extracting(WorkerSpec::mappedPort).containsExactly(9001, 9002);
        assertThat(specs).extracting(WorkerSpec::cpuShares).containsExactly(2, 8);
        assertThat(specs.get(0).launch()).isEqualTo(WorkerLaunch.sourceFile(tree));
        assertThat(specs.get(1).launch()).isEqualTo(WorkerLaunch.declarative(sgd));
        assertThat(specs.get(1).dataDirectory()).isEqualTo(Path.of("chimera_train_data", "sgd1"));
        assertThat(specs.get(1).environment()).containsEntry("CHIMERA_SEED", "11");
        assertThat(specs.get(1).environment()).doesNotContainKeys("CHIMERA_INJECT_STEP_DELAY_MS",
                                                                  "CHIMERA_INJECT_LATENCY_MS");
    }

    @Test
    void specs_handEachWorkerWhatIsInjectedIntoIt_andTheWorkerReadsIt(@TempDir Path workers) throws IOException {
        Files.writeString(workers.resolve("tree1.java"), "class W {}");
        Files.writeString(workers.resolve("sgd1.json"), "{}");
        final ChimeraConfig config = ChimeraConfig.builder().environment(Map.of()).systemProperties(new Properties())
                                                  .workerNames("tree1", "sgd1")
                                                  .injections(Map.of("sgd1", new io.chimera.server.config
                                                                                 .WorkerInjection(40, 3)))
                                                  .build();

        final List<WorkerSpec> specs = WorkerRuntimes.specs(config, workers);

        assertThat(specs.get(0).environment()).doesNotContainKey("CHIMERA_INJECT_STEP_DELAY_MS");
        assertThat(specs.get(1).environment()).containsEntry("CHIMERA_INJECT_STEP_DELAY_MS", "40")
                                              .containsEntry("CHIMERA_INJECT_LATENCY_MS", "3");
        final io.chimera.workers.WorkerEnvironment env =
                io.chimera.workers.WorkerEnvironment.from(specs.get(1).environment());
        assertThat(env.stepDelayMillis()).isEqualTo(40);
        assertThat(env.latencyMillis()).isEqualTo(3);
        assertThat(env.withSecret("s3cret").stepDelayMillis()).as("kept by the other copies").isEqualTo(40);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> io.chimera.workers.WorkerEnvironment.from(
                Map.of("CHIMERA_INJECT_LATENCY_MS", "-2")))
                .hasMessage("CHIMERA_INJECT_LATENCY_MS=-2: expected an integer between 0 and 600000");
    }

    @Test
    void specs_handAnExitAtStepToItsWorkerOnly(@TempDir Path workers) throws IOException {
        Files.writeString(workers.resolve("a.json"), "{}");
        Files.writeString(workers.resolve("b.json"), "{}");
        final ChimeraConfig config = ChimeraConfig.builder().environment(Map.of()).systemProperties(new Properties())
                                                  .workerNames("a", "b")
                                                  .injections(Map.of("b", io.chimera.server.config.WorkerInjection
                                                                              .exitAtStep(5)))
                                                  .build();

        final List<WorkerSpec> specs = WorkerRuntimes.specs(config, workers);

        assertThat(specs.get(0).environment()).doesNotContainKey("CHIMERA_INJECT_EXIT_AT_STEP");
        assertThat(specs.get(1).environment()).containsEntry("CHIMERA_INJECT_EXIT_AT_STEP", "5")
                                              .doesNotContainKeys("CHIMERA_INJECT_STEP_DELAY_MS",
                                                                  "CHIMERA_INJECT_LATENCY_MS");
        assertThat(io.chimera.workers.WorkerEnvironment.from(specs.get(1).environment()).injection().exitAtStep())
                .isEqualTo(5);
    }
}
