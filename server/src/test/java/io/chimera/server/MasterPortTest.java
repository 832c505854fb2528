package io.chimera.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.chimera.models.ModelMaster;
import io.chimera.server.config.ChimeraConfigException;
import io.chimera.strategy.aggregation.AggregationMaster;

class MasterPortTest {

    @TempDir
    Path dir;

    @Test
    void start_onAPortInUse_failsInOneLineBeforeAnyWorkerStarts() throws Exception {
        final RecordingRuntime runtime = new RecordingRuntime();
        try (ServerSocket holder = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            final int port = holder.getLocalPort();

            assertThatThrownBy(() -> Chimera.builder(new AggregationMaster()).port(port)
                                            .projectDirectory(RecordingRuntime.project(dir))
                                            .config(RecordingRuntime.CONFIG).runtime(runtime)
                                            .progressOutput(line -> {}).start())
                    .isInstanceOf(ChimeraConfigException.class)
                    .hasMessage("port " + port + " is in use (the master's port); choose another port or stop "
                                + "what holds it");
        }
        assertThat(runtime.started).as("the runtime was asked to start workers").isFalse();
    }

    @Test
    void serveModel_onAPortInUse_failsInOneLine() throws Exception {
        try (ServerSocket holder = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            final int port = holder.getLocalPort();

            assertThatThrownBy(() -> Chimera.builder(ModelMaster.of(ModelArtifactTest.linearArtifact())).port(port)
                                            .projectDirectory(dir).start())
                    .isInstanceOf(ChimeraConfigException.class)
                    .hasMessageStartingWith("port " + port + " is in use (the master's port)")
                    .hasMessageNotContaining("\n");
        }
    }

    @Test
    void start_onAFreePort_startsTheWorkersThenServes() throws Exception {
        final int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = probe.getLocalPort();
        }
        final RecordingRuntime runtime = new RecordingRuntime();
        try (ChimeraRun run = Chimera.builder(new AggregationMaster()).port(port)
                                     .projectDirectory(RecordingRuntime.project(dir))
                                     .config(RecordingRuntime.CONFIG).runtime(runtime)
                                     .progressOutput(line -> {}).start()) {
            assertThat(runtime.started).isTrue();
            assertThat(run.port()).isEqualTo(port);
        }
        assertThat(runtime.closed).isTrue();
    }
}
