package io.chimera.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkerLaunchTest {

    @TempDir
    Path workers;

    @Test
    void discover_prefersTheJavaSourceFile() throws IOException {
        final Path java = Files.writeString(workers.resolve("tree1.java"), "class W {}");
        Files.writeString(workers.resolve("tree1.json"), "{}");

        final WorkerLaunch launch = WorkerLaunch.discover(workers, "tree1");

        assertThat(launch).isEqualTo(WorkerLaunch.sourceFile(java));
        assertThat(launch.javaArguments()).containsExactly(java.toString());
        assertThat(launch.file()).contains(java);
    }

    @Test
    void discover_fallsBackToTheDeclarativeFile() throws IOException {
        final Path json = Files.writeString(workers.resolve("tree1.json"), "{}");

        final WorkerLaunch launch = WorkerLaunch.discover(workers, "tree1");

        assertThat(launch.javaArguments()).containsExactly("io.chimera.workers.DeclarativeWorker", json.toString());
        assertThat(launch.file()).contains(json);
    }

    @Test
    void discover_withoutEntry_saysWhatItLookedForAndWhatItFound() throws IOException {
        Files.writeString(workers.resolve("tree1.py"), "");

        assertThatThrownBy(() -> WorkerLaunch.discover(workers, "tree1"))
                .isInstanceOf(WorkerStartException.class)
                .hasMessage("no entry for worker tree1: looked for " + workers.resolve("tree1.java") +
                            " (a Java program with a main) and " + workers.resolve("tree1.json") +
                            " (a declarative worker); found instead: tree1.py");
        assertThatThrownBy(() -> WorkerLaunch.discover(workers.resolve("absent"), "tree1"))
                .hasMessageEndingWith(workers.resolve("absent") + " does not exist");
    }

    @Test
    void mainClass_passesItsArguments() {
        final WorkerLaunch launch = WorkerLaunch.mainClass("com.example.Worker", "--fast");

        assertThat(launch.javaArguments()).containsExactly("com.example.Worker", "--fast");
        assertThat(launch.file()).isEmpty();
        assertThat(launch).hasToString("com.example.Worker --fast");
    }

    @Test
    void sourceFile_mustBeAJavaFile() {
        assertThatThrownBy(() -> WorkerLaunch.sourceFile(Path.of("chimera_workers/tree1.py")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("javaFile: chimera_workers/tree1.py (expected: a .java file)");
    }

    @Test
    void spec_defaultsAndChecks() {
        final WorkerSpec spec = WorkerSpec.builder().name("w1").mappedPort(8081)
                                          .launch(WorkerLaunch.mainClass("W")).build();

        assertThat(spec.dataDirectory()).isEqualTo(Path.of("chimera_train_data", "w1"));
        assertThat(spec.cpuShares()).isEqualTo(2);
        assertThat(spec.index()).isZero();
        assertThat(spec.environment()).isEmpty();
        assertThatThrownBy(() -> WorkerSpec.builder().name("../w1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> WorkerSpec.builder().mappedPort(0)).hasMessage("mappedPort: 0 (expected: 1-65535)");
        assertThatThrownBy(() -> WorkerSpec.builder().cpuShares(1)).hasMessage("cpuShares: 1 (expected: >= 2)");
        assertThatThrownBy(() -> WorkerSpec.builder().name("w1").build()).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void endpoint_isOnLoopback() {
        assertThat(WorkerEndpoint.of("w1", 8081).baseUrl()).isEqualTo("http://127.0.0.1:8081");
        assertThat(WorkerEndpoint.of("w1", 8081).containerId()).isEmpty();
        assertThat(WorkerEndpoint.ofContainer("w1", 8081, "abc").containerId()).contains("abc");
    }
}
