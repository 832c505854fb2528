package io.chimera.strategy.sgd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

class ShardStatisticsTest {

    @Test
    void merge_equalsStatisticsOfTheConcatenatedData() {
        final TestData all = TestData.train("wine-like");
        final int cut1 = 1000;
        final int cut2 = 3500;
        final ShardStatistics merged = ShardStatistics.merge(
                List.of(slice(all, 0, cut1), slice(all, cut1, cut2), slice(all, cut2, all.rows)));
        final ShardStatistics whole = ShardStatistics.of(all.features, all.rows, all.cols, all.labels);
        assertThat(merged.count()).isEqualTo(5198);
        assertThat(merged.columns()).isEqualTo(11);
        assertClose(merged.sum(), whole.sum());
        assertClose(merged.sumOfSquares(), whole.sumOfSquares());
        assertThat(merged.classes()).containsExactly(whole.classes());
        assertThat(merged.labelSum()).isCloseTo(whole.labelSum(), within(1e-9 * whole.labelSum()));
        assertThat(merged.labelSumOfSquares()).isCloseTo(whole.labelSumOfSquares(),
                                                          within(1e-9 * whole.labelSumOfSquares()));
    }

    private static ShardStatistics slice(TestData data, int from, int to) {
        return ShardStatistics.of(Arrays.copyOfRange(data.features, from * data.cols, to * data.cols), to - from,
                                  data.cols, Arrays.copyOfRange(data.labels, from, to));
    }

    private static void assertClose(double[] actual, double[] expected) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < expected.length; i++) {
            assertThat(actual[i]).isCloseTo(expected[i], within(1e-9 * Math.abs(expected[i]) + 1e-12));
        }
    }

    @Test
    void meanAndScale_ofShards_isTheGlobalMeanAndPopulationStandardDeviation() {
        final TestData all = TestData.train("breast-cancer");
        final double[][] meanAndScale = ShardStatistics.meanAndScale(
                List.of(slice(all, 0, 100), slice(all, 100, all.rows)));
        for (int c = 0; c < all.cols; c++) {
            double mean = 0;
            for (int r = 0; r < all.rows; r++) {
                mean += all.features[r * all.cols + c] / all.rows;
            }
            double variance = 0;
            for (int r = 0; r < all.rows; r++) {
                variance += Math.pow(all.features[r * all.cols + c] - mean, 2) / all.rows;
            }
            assertThat(meanAndScale[0][c]).isCloseTo(mean, within(1e-9 * Math.abs(mean)));
            assertThat(meanAndScale[1][c]).isCloseTo(Math.sqrt(variance), within(1e-6 * Math.sqrt(variance)));
        }
    }

    @Test
    void meanAndScale_ofConstantFeature_isScaleOne() {
        // 0.1 has no exact binary form, so E[x^2] - E[x]^2 is not exactly 0 when computed from sums.
        final double[] x = new double[2 * 1000];
        for (int r = 0; r < 1000; r++) {
            x[2 * r] = 0.1;
            x[2 * r + 1] = r;
        }
        final double[][] meanAndScale = ShardStatistics.meanAndScale(
                List.of(ShardStatistics.of(x, 1000, 2, new double[1000])));
        assertThat(meanAndScale[0][0]).isCloseTo(0.1, within(1e-12));
        assertThat(meanAndScale[1][0]).isEqualTo(1);
        assertThat(meanAndScale[1][1]).isCloseTo(Math.sqrt((1000.0 * 1000 - 1) / 12), within(1e-6));
    }

    @Test
    void of_collectsSortedDistinctLabelsAndLabelMoments() {
        final ShardStatistics s = ShardStatistics.of(new double[] { 1, 2, 3, 4 }, 4, 1, new double[] { 2, 0, 2, 1 });
        assertThat(s.classes()).containsExactly(0, 1, 2);
        assertThat(s.labelSum()).isEqualTo(5);
        assertThat(s.labelSumOfSquares()).isEqualTo(9);
        assertThat(s.sum()).containsExactly(10);
        assertThat(s.sumOfSquares()).containsExactly(30);
    }

    @Test
    void ofSums_roundTripsWhatAWorkerSends() {
        final ShardStatistics s = ShardStatistics.of(new double[] { 1, 2, 3, 4, 5, 6 }, 3, 2,
                                                     new double[] { 1, 0, 1 });
        final ShardStatistics copy = ShardStatistics.ofSums(s.count(), s.sum(), s.sumOfSquares(), s.classes(),
                                                            s.labelSum(), s.labelSumOfSquares());
        assertThat(ShardStatistics.meanAndScale(List.of(copy))).isDeepEqualTo(
                ShardStatistics.meanAndScale(List.of(s)));
        assertThat(copy.classes()).containsExactly(0, 1);
    }

    @Test
    void merge_ofMismatchedOrNoShards_fails() {
        final ShardStatistics two = ShardStatistics.of(new double[2], 1, 2, new double[1]);
        final ShardStatistics three = ShardStatistics.of(new double[3], 1, 3, new double[1]);
        assertThatThrownBy(() -> ShardStatistics.merge(List.of(two, three)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("shards[1]: 3 columns (expected: 2, as shards[0])");
        assertThatThrownBy(() -> ShardStatistics.meanAndScale(List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("shards: []");
        assertThatThrownBy(() -> ShardStatistics.ofSums(-1, new double[1], new double[1], new double[0], 0, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("count: -1 (expected: >= 0)");
    }
}
