package io.chimera.observe.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.chimera.common.ChimeraException;
import io.chimera.node.NodeMetrics;
import io.chimera.node.client.WorkerClient;
import io.chimera.proto.v1.WorkerStatus;
import io.chimera.runtime.WorkerEndpoint;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

class WorkerMonitorTest {

    private final PrometheusMeterRegistry registry = NodeMetrics.newRegistry();

    @Test
    void anAnsweredError_keepsTheWorkerHealthy_anUnreachableOneDoesNot() {
        try (WorkerMonitor monitor = new WorkerMonitor(List.of(WorkerEndpoint.of("w1", 8081),
                                                               WorkerEndpoint.ofContainer("w2", 8082, "c0ffee")),
                                                       registry)) {
            monitor.callCompleted("w1", "/v1/chimera/model/predict", 0.004,
                                  ChimeraException.notFitted("worker w1 is not fitted"));
            monitor.callCompleted("w2", "/v1/chimera/model/fit", 0.2, null);
            monitor.callCompleted("w2", "/v1/chimera/model/predict", 0.001, new ChimeraException(
                    503, WorkerClient.UNREACHABLE, "worker w2 at http://127.0.0.1:8082 is unreachable: refused"));
            monitor.callCompleted("nobody", "/v1/chimera/model/fit", 0.1, null);

            final List<WorkerStatus> status = monitor.snapshot();
            assertThat(status).extracting(WorkerStatus::getName).containsExactly("w1", "w2");
            assertThat(status.get(0).getHealth()).isEqualTo("healthy");
            assertThat(status.get(0).getFailures()).isEqualTo(1);
            assertThat(status.get(0).getLastError()).isEqualTo("worker w1 is not fitted");
            assertThat(status.get(1).getHealth()).isEqualTo("unhealthy");
            assertThat(status.get(1).getContainerId()).isEqualTo("c0ffee");
            assertThat(status.get(1).getCalls()).isEqualTo(2);
            assertThat(status.get(1).getLastEndpoint()).isEqualTo("/v1/chimera/model/predict");
            assertThat(status.get(1).getLastLatencySeconds()).isEqualTo(0.001);
            assertThat(registry.scrape())
                    .contains("chimera_worker_healthy{worker=\"w1\"} 1.0", "chimera_worker_healthy{worker=\"w2\"} 0.0")
                    .contains("chimera_worker_call_duration_seconds_count{path=\"/v1/chimera/model/predict\","
                              + "result=\"failure\",worker=\"w2\"} 1");
        }
    }

    @Test
    void probe_findsAWorkerThatNobodyServes_andStopsWithTheMonitor() throws Exception {
        final int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        final WorkerMonitor monitor = new WorkerMonitor(List.of(WorkerEndpoint.of("gone", port)), registry);
        monitor.startProbing(Duration.ofMillis(50));
        final long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while ("healthy".equals(monitor.snapshot().get(0).getHealth()) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        monitor.close();

        final WorkerStatus gone = monitor.snapshot().get(0);
        assertThat(gone.getHealth()).isEqualTo("unhealthy");
        assertThat(gone.getLastError()).startsWith("health probe: ");
        assertThat(gone.getCalls()).as("probes are not calls").isZero();
        Thread.sleep(200);
        assertThat(monitor.snapshot().get(0).getLastCheckedTime())
                .as("no probe after close").isEqualTo(gone.getLastCheckedTime());
    }

    @Test
    void zeroInterval_probesNothing() throws IOException, InterruptedException {
        try (WorkerMonitor monitor = new WorkerMonitor(List.of(WorkerEndpoint.of("w1", 1)), null)) {
            monitor.startProbing(Duration.ZERO);
            Thread.sleep(100);
            assertThat(monitor.snapshot().get(0).getHealth()).isEqualTo("healthy");
        }
    }
}
