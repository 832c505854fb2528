package io.chimera.core.learn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import io.chimera.core.data.BootstrapSampler;
import io.chimera.core.data.Dataset;
import io.chimera.core.data.TestDatasets;
import io.chimera.core.data.WorkerSeeds;

class DecisionTreeClassifierTest {

    private static final DecisionTreeClassifier DEPTH_5 = DecisionTreeClassifier.builder().maxDepth(5).build();

    /** Feature "noise" is useless; feature "signal" separates the classes at 2.5. */
    private static Dataset separableAtTwoAndAHalf() {
        return Dataset.of(List.of("noise", "signal"),
                          new double[] { 1, 1, 2, 2, 1, 2, 2, 3, 1, 3, 2, 4 }, 6,
                          "y", new double[] { 0, 0, 0, 1, 1, 1 });
    }

    /** Returns how much the split of {@code node} decreases impurity, weighted by sample counts. */
    private static double decrease(DecisionTreeModel model, int node) {
        final int left = model.left(node);
        final int right = model.right(node);
        return model.samples(node) * model.impurity(node) - model.samples(left) * model.impurity(left) -
               model.samples(right) * model.impurity(right);
    }

    private static Dataset bootstrap(Dataset data, long seed) {
        return data.select(BootstrapSampler.sample(data.rows(), new SplittableRandom(seed)));
    }

    @Test
    void fit_rowIndices_growsExactlyTheTreeOfTheSelectedRows() {
        final Dataset data = TestDatasets.train("breast-cancer");
        final DecisionTreeClassifier[] learners = {
                DEPTH_5, DecisionTreeClassifier.builder().maxDepth(5).maxLeafNodes(15).build(),
                DecisionTreeClassifier.builder().criterion(Criterion.ENTROPY).minSamplesLeaf(3).build(),
                DecisionTreeClassifier.builder().maxFeatures(4).seed(3).build() };
        for (DecisionTreeClassifier learner : learners) {
            for (long seed = 0; seed < 5; seed++) {
                final int[] rows = BootstrapSampler.sample(data.rows(), new SplittableRandom(seed));
                assertThat(learner.fit(data, rows).toBytes()).as(learner + ", seed " + seed)
                                                             .isEqualTo(learner.fit(data.select(rows)).toBytes());
            }
        }
    }

    @Test
    void fit_rowIndicesMissingAClass_leavesTheClassOut() {
        final Dataset data = TestDatasets.train("iris");
        final int[] rows = java.util.stream.IntStream.range(0, data.rows()).filter(r -> data.label(r) != 2).toArray();

        final DecisionTreeModel model = DEPTH_5.fit(data, rows);

        assertThat(model.classes()).containsExactly(0, 1);
        assertThat(model.toBytes()).isEqualTo(DEPTH_5.fit(data.select(rows)).toBytes());
    }

    @Test
    void fit_rowIndices_badIndexOrNone_fail() {
        final Dataset data = separableAtTwoAndAHalf();

        assertThatThrownBy(() -> DEPTH_5.fit(data, new int[] { 0, 6 }))
                .isInstanceOf(IndexOutOfBoundsException.class).hasMessage("rowIndices[1]: 6 (expected: 0 <= row < 6)");
        assertThatThrownBy(() -> DEPTH_5.fit(data, new int[0]))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("data: no rows (expected: > 0)");
    }

    @Test
    void fit_handBuilt_splitsOnBestFeatureAtMidpoint() {
        final DecisionTreeModel model = DEPTH_5.fit(separableAtTwoAndAHalf());

        assertThat(model.nodeCount()).isEqualTo(3);
        assertThat(model.depth()).isEqualTo(1);
        assertThat(model.feature(0)).isEqualTo(1);
        assertThat(model.threshold(0)).isEqualTo(2.5);
        assertThat(model.value(model.left(0))).containsExactly(1, 0);
        assertThat(model.value(model.right(0))).containsExactly(0, 1);
        assertThat(model.impurity(0)).isEqualTo(0.5);
        assertThat(model.predict(new double[] { 9, 2.4, 9, 2.6 }, 2)).containsExactly(1, 0, 0, 1);
    }

    @Test
    void fit_depthOne_choosesSplitWithLowestWeightedGini() {
        // x0 <= 1.5 leaves (3x0 | 1x0 + 4x1): weighted gini 0.2; x1 <= 0.5 leaves (2x0 + 1x1 | 2x0 + 3x1): worse.
        final Dataset data = Dataset.of(List.of("x0", "x1"),
                                        new double[] { 1, 0, 1, 0, 1, 1, 2, 1, 2, 0, 2, 1, 2, 1, 2, 1 }, 8,
                                        "y", new double[] { 0, 0, 0, 0, 1, 1, 1, 1 });
        final DecisionTreeModel stump = DecisionTreeClassifier.builder().maxDepth(1).build().fit(data);

        assertThat(stump.feature(0)).isZero();
        assertThat(stump.threshold(0)).isEqualTo(1.5);
        assertThat(stump.value(stump.right(0))).containsExactly(0.2, 0.8);
    }

    @Test
    void fit_breastCancerDepth5_holdoutAccuracyAtLeast90Percent() {
        final DecisionTreeModel model = DEPTH_5.fit(TestDatasets.train("breast-cancer"));

        assertThat(model.depth()).isLessThanOrEqualTo(5);
        assertThat(Metrics.accuracy(model, TestDatasets.test("breast-cancer"))).isGreaterThanOrEqualTo(0.90);
    }

    @Test
    void fit_irisDepth5_predictsThreeClassDistributions() {
        final DecisionTreeModel model = DEPTH_5.fit(TestDatasets.train("iris"));
        final Dataset test = TestDatasets.test("iris");
        final double[] probabilities = model.predict(test.features(), test.rows());

        assertThat(model.classes()).containsExactly(0, 1, 2);
        assertThat(probabilities).hasSize(test.rows() * 3);
        for (int row = 0; row < test.rows(); row++) {
            assertThat(probabilities[3 * row] + probabilities[3 * row + 1] + probabilities[3 * row + 2])
                    .isCloseTo(1.0, within(1e-12));
        }
        assertThat(Metrics.accuracy(model, test)).isGreaterThanOrEqualTo(0.9);
    }

    @Test
    void fit_entropy_isAccurateToo() {
        final DecisionTreeModel model = DecisionTreeClassifier.builder().maxDepth(5).criterion(Criterion.ENTROPY)
                                                              .build().fit(TestDatasets.train("breast-cancer"));

        assertThat(Metrics.accuracy(model, TestDatasets.test("breast-cancer"))).isGreaterThanOrEqualTo(0.90);
        assertThat(model.impurity(0)).isBetween(0.9, 1.0); // Bits: 170 vs 285 rows.
    }

    @Test
    void fit_arbitraryLabels_mapsToSortedClasses() {
        final Dataset data = Dataset.of(List.of("x"), new double[] { 1, 2, 3, 4 }, 4, "y",
                                        new double[] { 7.5, 7.5, -1, -1 });
        final DecisionTreeModel model = DEPTH_5.fit(data);

        assertThat(model.classes()).containsExactly(-1, 7.5);
        assertThat(model.predict(new double[] { 1, 4 }, 2)).containsExactly(0, 1, 1, 0);
    }

    @Test
    void fit_singleClass_givesOneLeaf() {
        final Dataset data = Dataset.of(List.of("x"), new double[] { 1, 2, 3 }, 3, "y", new double[] { 4, 4, 4 });
        final DecisionTreeModel model = DEPTH_5.fit(data);

        assertThat(model.nodeCount()).isOne();
        assertThat(model.predict(new double[] { 0 }, 1)).containsExactly(1);
    }

    @Test
    void fit_maxLeafNodes_limitsLeaves() {
        final DecisionTreeModel model = DecisionTreeClassifier.builder().maxLeafNodes(5).build()
                                                              .fit(TestDatasets.train("breast-cancer"));

        assertThat(model.leafCount()).isEqualTo(5);
        assertThat(model.nodeCount()).isEqualTo(9);
    }

    @Test
    void fit_maxLeafNodes_splitsBestFirst() {
        // Best first, a 3-leaf tree splits the child whose split decreases impurity most, whatever its side.
        final Dataset train = TestDatasets.train("breast-cancer");
        final DecisionTreeModel two = DecisionTreeClassifier.builder().maxLeafNodes(2).build().fit(train);
        final DecisionTreeModel three = DecisionTreeClassifier.builder().maxLeafNodes(3).build().fit(train);
        final DecisionTreeModel deep = DecisionTreeClassifier.builder().maxDepth(2).build().fit(train);

        assertThat(three.leafCount()).isEqualTo(3);
        assertThat(three.feature(0)).isEqualTo(two.feature(0));
        final int splitChild = three.isLeaf(1) ? 2 : 1;
        final double decreaseLeft = decrease(deep, deep.left(0));
        final double decreaseRight = decrease(deep, deep.right(0));
        assertThat(splitChild == deep.left(0)).isEqualTo(decreaseLeft >= decreaseRight);
    }

    @Test
    void fit_minSamplesLeaf_everyLeafHasEnoughRows() {
        final DecisionTreeModel model = DecisionTreeClassifier.builder().minSamplesLeaf(20).build()
                                                              .fit(TestDatasets.train("breast-cancer"));

        assertThat(model.leafCount()).isGreaterThan(2);
        for (int node = 0; node < model.nodeCount(); node++) {
            assertThat(model.samples(node)).isGreaterThanOrEqualTo(20);
        }
    }

    @Test
    void fit_minSamplesSplit_doesNotSplitSmallerNodes() {
        final DecisionTreeModel model = DecisionTreeClassifier.builder().minSamplesSplit(50).build()
                                                              .fit(TestDatasets.train("breast-cancer"));

        for (int node = 0; node < model.nodeCount(); node++) {
            if (!model.isLeaf(node)) {
                assertThat(model.samples(node)).isGreaterThanOrEqualTo(50);
            }
        }
    }

    @Test
    void fit_unlimited_fitsTrainingDataExactly() {
        final Dataset train = TestDatasets.train("breast-cancer");
        final DecisionTreeModel model = DecisionTreeClassifier.builder().build().fit(train);

        assertThat(Metrics.accuracy(model, train)).isEqualTo(1.0);
        for (int node = 0; node < model.nodeCount(); node++) {
            assertThat(model.isLeaf(node)).isEqualTo(model.impurity(node) == 0);
        }
    }

    @Test
    void fit_maxFeatures_sameSeedSameTree_otherSeedOtherTree() {
        final Dataset train = TestDatasets.train("breast-cancer");
        final DecisionTreeClassifierBuilder builder = DecisionTreeClassifier.builder().maxDepth(4).maxFeatures(3);

        final DecisionTreeModel first = builder.seed(1).build().fit(train);
        assertThat(builder.seed(1).build().fit(train)).isEqualTo(first);
        assertThat(builder.seed(2).build().fit(train)).isNotEqualTo(first);
    }

    @Test
    void fit_bootstrapSamplesWithWorkerSeeds_treesDiffer() {
        final Dataset train = TestDatasets.train("breast-cancer");
        final DecisionTreeModel w1 = DEPTH_5.fit(bootstrap(train, WorkerSeeds.forWorker(7, "worker-1")));
        final DecisionTreeModel w2 = DEPTH_5.fit(bootstrap(train, WorkerSeeds.forWorker(7, "worker-2")));

        assertThat(w1).isNotEqualTo(w2);
        assertThat(w1.describe()).isNotEqualTo(w2.describe());
        assertThat(DEPTH_5.fit(bootstrap(train, WorkerSeeds.forWorker(7, "worker-1")))).isEqualTo(w1);
    }

    @Test
    void fit_diabetesLikeDepth5With15Leaves_beatsMajorityClass() {
        final DecisionTreeModel model = DecisionTreeClassifier.builder().maxDepth(5).maxLeafNodes(15).build()
                                                              .fit(TestDatasets.train("diabetes-like"));
        final Dataset test = TestDatasets.test("diabetes-like");
        final double negative = Arrays.stream(test.labels()).filter(label -> label == 0).count();

        assertThat(model.leafCount()).isEqualTo(15);
        assertThat(model.depth()).isLessThanOrEqualTo(5);
        assertThat(model.describe()).startsWith("genhlth <= 3.5 (samples=202944, ");
        assertThat(Metrics.accuracy(model, test)).isGreaterThan(negative / test.rows() + 0.003);
    }

    @Test
    void fit_noRows_rejected() {
        final Dataset empty = Dataset.of(List.of("x"), new double[0], 0, "y", new double[0]);

        assertThatThrownBy(() -> DEPTH_5.fit(empty)).isInstanceOf(IllegalArgumentException.class)
                                                    .hasMessage("data: no rows (expected: > 0)");
    }

    @Test
    void fit_nonFiniteFeature_rejected() {
        final Dataset data = Dataset.of(List.of("a", "b"), new double[] { 1, 2, 3, Double.NaN }, 2, "y",
                                        new double[] { 0, 1 });

        assertThatThrownBy(() -> DEPTH_5.fit(data)).isInstanceOf(IllegalArgumentException.class)
                                                   .hasMessage("features: NaN at row 1, column 'b' (expected: finite)");
    }

    @Test
    void toString_listsHyperparameters() {
        assertThat(DecisionTreeClassifier.builder().maxDepth(5).criterion(Criterion.ENTROPY).seed(3).build())
                .hasToString("DecisionTreeClassifier{criterion=ENTROPY, maxDepth=5, maxLeafNodes=unlimited, " +
                             "minSamplesSplit=2, minSamplesLeaf=1, maxFeatures=all, seed=3}");
    }

    @Test
    void builder_invalidValues_rejectedWithExpectation() {
        final DecisionTreeClassifierBuilder builder = DecisionTreeClassifier.builder();

        assertThatThrownBy(() -> builder.maxDepth(0)).hasMessage("maxDepth: 0 (expected: > 0)");
        assertThatThrownBy(() -> builder.maxLeafNodes(1)).hasMessage("maxLeafNodes: 1 (expected: > 1)");
        assertThatThrownBy(() -> builder.minSamplesSplit(1)).hasMessage("minSamplesSplit: 1 (expected: >= 2)");
        assertThatThrownBy(() -> builder.minSamplesLeaf(0)).hasMessage("minSamplesLeaf: 0 (expected: > 0)");
        assertThatThrownBy(() -> builder.maxFeatures(-1)).hasMessage("maxFeatures: -1 (expected: > 0)");
        assertThatThrownBy(() -> builder.criterion(null)).isInstanceOf(NullPointerException.class);
    }
}
