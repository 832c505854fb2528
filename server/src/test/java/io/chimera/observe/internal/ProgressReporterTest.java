package io.chimera.observe.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class ProgressReporterTest {

    private final List<String> lines = new ArrayList<>();
    private final AtomicLong nanos = new AtomicLong();
    private final ProgressReporter reporter = new ProgressReporter(lines::add, Duration.ofSeconds(1), nanos::get);

    @Test
    void twoHundredIterations_printTheStartAFewLinesAtMostOncePerIntervalAndTheEnd() {
        reporter.started("ParameterServerMaster", 3, 200);
        for (int it = 1; it <= 200; it++) {
            nanos.addAndGet(Duration.ofMillis(10).toNanos());
            reporter.iteration(it, 200, 1.0 / it);
        }
        reporter.finished(true, "200 iterations (max_iter), loss 0.005000");

        // 10 ms per update: the first one (no rate yet), then the one 1 s later (update 101: 100 updates in 1 s
        // since the first), then the end at 2 s.
        assertThat(lines).containsExactly(
                "[chimera] ParameterServerMaster: fit started on 3 workers, at most 200 iterations",
                "[chimera] fit   1/200   0%  loss 1.000000  0.0 s",
                "[chimera] fit 101/200  50%  loss 0.009901  100.0 it/s  1.0 s, ~1.0 s left",
                "[chimera] fit done in 2.0 s: 200 iterations (max_iter), loss 0.005000");
    }

    @Test
    void zeroInterval_printsEveryIteration() {
        final ProgressReporter everyUpdate = new ProgressReporter(lines::add, Duration.ZERO, nanos::get);
        everyUpdate.started("ParameterServerMaster", 1, 200);
        for (int it = 1; it <= 200; it++) {
            nanos.addAndGet(1_000_000);
            everyUpdate.iteration(it, 200, 0.5);
        }

        assertThat(lines).hasSize(201);
        assertThat(lines.get(200)).isEqualTo("[chimera] fit 200/200 100%  loss 0.500000  1000.0 it/s  0.2 s, ~0.0 s left");
    }

    @Test
    void bagging_printsTheFirstWorkerAndTheLast_andAFailedFit() {
        reporter.started("AggregationMaster", 3, 0);
        nanos.set(Duration.ofMillis(200).toNanos());
        reporter.workerDone("tree1", true, 1, 3);
        nanos.set(Duration.ofMillis(300).toNanos());
        reporter.workerDone("tree3", false, 2, 3);
        nanos.set(Duration.ofMillis(400).toNanos());
        reporter.workerDone("tree2", true, 3, 3);
        reporter.started("AggregationMaster", 3, 0);
        nanos.set(Duration.ofMillis(900).toNanos());
        reporter.finished(false, "all fit responses from workers failed");

        assertThat(lines).containsExactly(
                "[chimera] AggregationMaster: fit started on 3 workers",
                "[chimera] fit 1/3 workers  tree1 fitted  0.2 s",
                "[chimera] fit 3/3 workers  tree2 fitted  0.4 s",
                "[chimera] AggregationMaster: fit started on 3 workers",
                "[chimera] fit failed after 0.5 s: all fit responses from workers failed");
    }

    @Test
    void negativeInterval_isRefused() {
        assertThatThrownBy(() -> new ProgressReporter(lines::add, Duration.ofSeconds(-1), nanos::get))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("interval: PT-1S (expected: >= 0)");
    }
}
