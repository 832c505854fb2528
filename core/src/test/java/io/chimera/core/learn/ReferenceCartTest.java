package io.chimera.core.learn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import io.chimera.core.data.Dataset;

/**
 * Checks that the fast trees grow exactly the trees of the naive {@link ReferenceCart} on random data
 * that mixes integer features (coded by offset) with continuous ones (coded by sorting), deep enough that
 * small nodes search splits by sorting and large ones by histogram.
 */
class ReferenceCartTest {

    private static final int ROWS = 300;
    private static final int QUERIES = 2000;

    private static Dataset randomData(long seed, boolean classification) {
        final SplittableRandom random = new SplittableRandom(seed);
        final double[] x = new double[ROWS * 4];
        final double[] y = new double[ROWS];
        for (int row = 0; row < ROWS; row++) {
            x[row * 4] = random.nextInt(6);                          // ordinal
            x[row * 4 + 1] = random.nextInt(2);                      // binary
            x[row * 4 + 2] = Math.round(random.nextDouble() * 1000) / 100.0; // continuous, some ties
            x[row * 4 + 3] = random.nextGaussian();                   // continuous
            final double signal = x[row * 4] + 3 * x[row * 4 + 1] - x[row * 4 + 2] + random.nextGaussian();
            y[row] = classification ? (signal < -3 ? 0 : signal < 0 ? 1 : 2) : signal;
        }
        return Dataset.of(List.of("a", "b", "c", "d"), x, ROWS, "y", y);
    }

    @Test
    void classifier_matchesReferenceOnRandomData() {
        for (long seed = 1; seed <= 5; seed++) {
            for (int minSamplesLeaf : new int[] { 1, 4 }) {
                final Dataset data = randomData(seed, true);
                final DecisionTreeModel model = DecisionTreeClassifier.builder().maxDepth(8)
                                                                      .minSamplesLeaf(minSamplesLeaf).build()
                                                                      .fit(data);
                final ReferenceCart reference = new ReferenceCart(data, data.distinctLabels(), 8, minSamplesLeaf);
                assertSamePredictions(model, reference, seed);
            }
        }
    }

    @Test
    void regressor_matchesReferenceOnRandomData() {
        for (long seed = 1; seed <= 5; seed++) {
            final Dataset data = randomData(seed, false);
            final DecisionTreeModel model = DecisionTreeRegressor.builder().maxDepth(7).minSamplesLeaf(2).build()
                                                                 .fit(data);
            final ReferenceCart reference = new ReferenceCart(data, new double[0], 7, 2);
            assertSamePredictions(model, reference, seed);
        }
    }

    private static void assertSamePredictions(DecisionTreeModel model, ReferenceCart reference, long seed) {
        final SplittableRandom random = new SplittableRandom(seed + 100);
        final double[] queries = new double[QUERIES * 4];
        for (int i = 0; i < QUERIES; i++) {
            queries[i * 4] = random.nextInt(-1, 7) + (random.nextBoolean() ? 0 : 0.5);
            queries[i * 4 + 1] = random.nextInt(-1, 3);
            queries[i * 4 + 2] = Math.round(random.nextDouble(-1, 11) * 200) / 200.0;
            queries[i * 4 + 3] = random.nextGaussian() * 1.5;
        }
        final double[] predictions = model.predict(queries, QUERIES);
        final int width = Math.max(model.classes().length, 1);
        for (int i = 0; i < QUERIES; i++) {
            final double[] query = { queries[i * 4], queries[i * 4 + 1], queries[i * 4 + 2], queries[i * 4 + 3] };
            final double[] expected = reference.predict(query);
            for (int k = 0; k < width; k++) {
                assertThat(predictions[i * width + k]).as("seed %d, query %d, output %d", seed, i, k)
                                                      .isCloseTo(expected[k], within(1e-9));
            }
        }
    }
}
