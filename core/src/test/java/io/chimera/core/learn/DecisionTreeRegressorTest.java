package io.chimera.core.learn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import io.chimera.core.data.BootstrapSampler;
import io.chimera.core.data.Dataset;
import io.chimera.core.data.TestDatasets;

class DecisionTreeRegressorTest {

    private static final DecisionTreeRegressor DEPTH_5 = DecisionTreeRegressor.builder().maxDepth(5).build();

    @Test
    void fit_rowIndices_growsTheTreeOfTheSelectedRows() {
        final Dataset data = TestDatasets.train("wine-like");
        final Dataset test = TestDatasets.test("wine-like");
        for (long seed = 0; seed < 5; seed++) {
            final int[] rows = BootstrapSampler.sample(data.rows(), new SplittableRandom(seed));
            final DecisionTreeModel weighted = DEPTH_5.fit(data, rows);
            final DecisionTreeModel copied = DEPTH_5.fit(data.select(rows));

            // The same splits; leaf means may differ in the last bits, since repeated rows are summed as w * y.
            assertThat(weighted.nodeCount()).isEqualTo(copied.nodeCount());
            for (int node = 0; node < copied.nodeCount(); node++) {
                assertThat(weighted.feature(node)).isEqualTo(copied.feature(node));
                assertThat(weighted.threshold(node)).isEqualTo(copied.threshold(node));
                assertThat(weighted.samples(node)).isEqualTo(copied.samples(node));
            }
            final double[] a = weighted.predict(test.features(), test.rows());
            final double[] b = copied.predict(test.features(), test.rows());
            for (int i = 0; i < a.length; i++) {
                assertThat(a[i]).isCloseTo(b[i], within(1e-12));
            }
        }
    }

    @Test
    void fit_stepFunction_splitsAtStepWithMeanLeaves() {
        final Dataset data = Dataset.of(List.of("x"), new double[] { 1, 2, 3, 10, 11, 12 }, 6, "y",
                                        new double[] { 1, 2, 3, 10, 10, 10 });
        final DecisionTreeModel stump = DecisionTreeRegressor.builder().maxDepth(1).build().fit(data);

        assertThat(stump.classes()).isEmpty();
        assertThat(stump.threshold(0)).isEqualTo(6.5);
        assertThat(stump.predict(new double[] { 0, 6.5, 7, 100 }, 4)).containsExactly(2, 2, 10, 10);
    }

    @Test
    void fit_wineLikeDepth5_holdoutR2AboveTwoTenths() {
        final DecisionTreeModel model = DEPTH_5.fit(TestDatasets.train("wine-like"));

        assertThat(model.depth()).isEqualTo(5);
        assertThat(Metrics.r2(model, TestDatasets.test("wine-like"))).isGreaterThan(0.2);
    }

    @Test
    void fit_maxLeafNodes_limitsLeaves() {
        final DecisionTreeModel model = DecisionTreeRegressor.builder().maxLeafNodes(15).build()
                                                             .fit(TestDatasets.train("wine-like"));

        assertThat(model.leafCount()).isEqualTo(15);
    }

    @Test
    void fit_minSamplesLeaf_everyNodeHasEnoughRows() {
        final DecisionTreeModel model = DecisionTreeRegressor.builder().minSamplesLeaf(100).build()
                                                             .fit(TestDatasets.train("wine-like"));

        assertThat(model.leafCount()).isGreaterThan(10);
        for (int node = 0; node < model.nodeCount(); node++) {
            assertThat(model.samples(node)).isGreaterThanOrEqualTo(100);
        }
    }

    @Test
    void fit_constantLabels_givesOneLeaf() {
        final Dataset data = Dataset.of(List.of("x"), new double[] { 1, 2, 3 }, 3, "y", new double[] { 5, 5, 5 });

        assertThat(DEPTH_5.fit(data).nodeCount()).isOne();
    }

    @Test
    void fit_splitThatKeepsTheMean_isNotMade() {
        // The only split of x leaves both sides with mean 1, so it does not improve the squared error.
        final Dataset data = Dataset.of(List.of("x"), new double[] { 1, 1, 2, 2 }, 4, "y",
                                        new double[] { 0, 2, 2, 0 });
        final DecisionTreeModel model = DecisionTreeRegressor.builder().maxDepth(1).build().fit(data);

        assertThat(model.nodeCount()).isOne();
    }

    @Test
    void fit_nonFiniteLabel_rejected() {
        final Dataset data = Dataset.of(List.of("x"), new double[] { 1, 2 }, 2, "y",
                                        new double[] { 1, Double.POSITIVE_INFINITY });

        assertThatThrownBy(() -> DEPTH_5.fit(data)).isInstanceOf(IllegalArgumentException.class)
                                                   .hasMessage("labels: Infinity at row 1 (expected: finite)");
    }

    @Test
    void toString_listsHyperparameters() {
        assertThat(DecisionTreeRegressor.builder().maxLeafNodes(15).minSamplesLeaf(3).maxFeatures(4).build())
                .hasToString("DecisionTreeRegressor{maxDepth=unlimited, maxLeafNodes=15, minSamplesSplit=2, " +
                             "minSamplesLeaf=3, maxFeatures=4, seed=0}");
    }
}
