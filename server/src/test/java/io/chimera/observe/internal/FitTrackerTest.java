package io.chimera.observe.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.chimera.proto.v1.ModelStatus;

class FitTrackerTest {

    @Test
    void oneFitAtATime_andAFailedFitKeepsTheFittedTimeOfTheModelInUse() {
        final FitTracker tracker = new FitTracker("parameter-server", Map.of("loss", "log_loss"));
        assertThat(tracker.snapshot().getState()).isEqualTo("unfitted");
        assertThat(tracker.snapshot().hasProgress()).isFalse();

        assertThat(tracker.tryStart(2, 200)).isTrue();
        assertThat(tracker.tryStart(2, 200)).as("a second fit while one runs").isFalse();
        tracker.iteration(1, 200, 0.7);
        tracker.iteration(2, 200, 0.6);
        assertThat(tracker.snapshot().getState()).isEqualTo("fitting");
        assertThat(tracker.snapshot().getProgress().getIteration()).isEqualTo(2);
        tracker.finished(List.of("a", "b"), "2 iterations");
        final ModelStatus fitted = tracker.snapshot();

        assertThat(tracker.tryStart(2, 200)).isTrue();
        tracker.failed("the loss became NaN");
        final ModelStatus failed = tracker.snapshot();
        assertThat(failed.getState()).isEqualTo("failed");
        assertThat(failed.getError()).isEqualTo("the loss became NaN");
        assertThat(failed.getFits()).isEqualTo(2);
        assertThat(failed.getFittedTime()).isEqualTo(fitted.getFittedTime());
        assertThat(failed.getFeatureColumnsList()).containsExactly("a", "b");
        assertThat(failed.getOptionsMap()).containsEntry("loss", "log_loss");
    }

    @Test
    void importedModel_isFitted() {
        final FitTracker tracker = new FitTracker("aggregation", Map.of());
        tracker.imported(Instant.ofEpochSecond(1_790_000_000L), List.of("x"));

        final ModelStatus s = tracker.snapshot();
        assertThat(s.getState()).isEqualTo("fitted");
        assertThat(s.getImported()).isTrue();
        assertThat(s.getFittedTime().getSeconds()).isEqualTo(1_790_000_000L);
    }
}
