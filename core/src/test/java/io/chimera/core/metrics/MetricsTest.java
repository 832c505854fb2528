package io.chimera.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class MetricsTest {

    @Test
    void rocAuc_countsTiesAsHalf_likeScikitLearn() {
        // sklearn.metrics.roc_auc_score([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]) == 0.75
        assertThat(Metrics.rocAuc(new double[] {0.1, 0.4, 0.35, 0.8}, new double[] {0, 0, 1, 1}))
                .isCloseTo(0.75, within(1e-12));
        // one tie between a positive and a negative: 0.5 of a pair
        assertThat(Metrics.rocAuc(new double[] {0.5, 0.5}, new double[] {0, 1})).isCloseTo(0.5, within(1e-12));
    }

    @Test
    void accuracyAndR2_matchHandComputedValues() {
        assertThat(Metrics.binaryAccuracy(new double[] {0.2, 0.6, 0.5, 0.4}, new double[] {0, 1, 0, 1}))
                .isEqualTo(0.5);
        assertThat(Metrics.accuracy(new double[] {1, 2, 3}, new double[] {1, 2, 0})).isCloseTo(2 / 3.0,
                                                                                               within(1e-12));
        // y = [1, 2, 3], prediction [1, 2, 2]: SSres 1, SStot 2 → R² 0.5
        assertThat(Metrics.r2(new double[] {1, 2, 2}, new double[] {1, 2, 3})).isCloseTo(0.5, within(1e-12));
    }

    @Test
    void errorsAndPerClassScores_matchHandComputedValues() {
        assertThat(Metrics.mse(new double[] {1, 2, 4}, new double[] {1, 3, 2})).isCloseTo(5 / 3.0, within(1e-12));
        assertThat(Metrics.mae(new double[] {1, 2, 4}, new double[] {1, 3, 2})).isCloseTo(1.0, within(1e-12));
        // predicted [1, 1, 0, 1], actual [1, 0, 0, 0] for class 1: tp 1, fp 2, fn 0
        assertThat(Metrics.precisionRecallF1(new double[] {1, 1, 0, 1}, new double[] {1, 0, 0, 0}, 1))
                .containsExactly(1 / 3.0, 1.0, 0.5);
        assertThat(Metrics.precisionRecallF1(new double[] {0, 0}, new double[] {0, 0}, 1))
                .containsExactly(0.0, 0.0, 0.0);
    }
}
