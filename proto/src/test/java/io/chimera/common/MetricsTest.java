package io.chimera.common;

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
}
