package io.chimera.observe.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import io.chimera.observe.logging.LatencyStatistics;
import io.chimera.proto.v1.EndpointLatency;
import io.chimera.proto.v1.LatencyReport;

class LatencyBookTest {

    @Test
    void runningFiguresCoverEveryCall_percentilesAndBinsTheLatestThousand() {
        final LatencyBook book = new LatencyBook();
        final SplittableRandom random = new SplittableRandom(7);
        final double[] all = new double[1500];
        for (int i = 0; i < all.length; i++) {
            all[i] = 0.001 + random.nextDouble() * 0.01;
            book.record("http://127.0.0.1:8081/v1/chimera/sgd/fit-step", "worker", all[i]);
        }
        book.record("http://127.0.0.1:8080/v1/chimera/parameter-server/fit", "master", 2.5);
        book.record("http://127.0.0.1:8080/v1/chimera/parameter-server/fit", "master", Double.NaN);

        final LatencyReport report = book.report();
        assertThat(report.getEndpointsList()).extracting(EndpointLatency::getRole).containsExactly("master", "worker");
        final EndpointLatency step = report.getEndpoints(1);
        final LatencyStatistics everything = LatencyStatistics.of(all);
        final LatencyStatistics latest = LatencyStatistics.of(java.util.Arrays.copyOfRange(all, 500, 1500));
        assertThat(step.getCount()).isEqualTo(1500);
        assertThat(step.getMeanSeconds()).isCloseTo(everything.mean(), within(1e-12));
        assertThat(step.getStdSeconds()).isCloseTo(everything.std(), within(1e-12));
        assertThat(step.getMinSeconds()).isEqualTo(everything.min());
        assertThat(step.getWindow()).isEqualTo(LatencyBook.WINDOW);
        assertThat(step.getP95Seconds()).isCloseTo(latest.percentile(95), within(1e-12));
        assertThat(step.getBinEdgesList()).hasSize(LatencyBook.BINS + 1);
        assertThat(step.getBinCountsList().stream().mapToLong(Long::longValue).sum() + step.getAbove())
                .isEqualTo(LatencyBook.WINDOW);
        assertThat(report.getEndpoints(0).getCount()).as("a NaN is not a latency").isEqualTo(1);
    }
}
