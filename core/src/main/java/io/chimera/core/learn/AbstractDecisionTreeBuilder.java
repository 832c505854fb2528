package io.chimera.core.learn;

import static io.chimera.core.learn.TreeParameters.UNLIMITED;

/**
 * Sets the hyperparameters shared by {@link DecisionTreeClassifier} and {@link DecisionTreeRegressor}. Every
 * setter validates its argument at once.
 *
 * @param <B> the concrete builder, returned by every setter
 */
public abstract class AbstractDecisionTreeBuilder<B extends AbstractDecisionTreeBuilder<B>> {

    private static final int DEFAULT_MIN_SAMPLES_SPLIT = 2;
    private static final int DEFAULT_MIN_SAMPLES_LEAF = 1;
    private static final long DEFAULT_SEED = 0;

    private int maxDepth = UNLIMITED;
    private int maxLeafNodes = UNLIMITED;
    private int minSamplesSplit = DEFAULT_MIN_SAMPLES_SPLIT;
    private int minSamplesLeaf = DEFAULT_MIN_SAMPLES_LEAF;
    private int maxFeatures = UNLIMITED;
    private long seed = DEFAULT_SEED;

    AbstractDecisionTreeBuilder() {}

    /**
     * Sets the deepest a node may be. The root has depth 0, so {@code maxDepth(1)} grows a stump. Default:
     * unlimited.
     */
    public B maxDepth(int maxDepth) {
        if (maxDepth <= 0) {
            throw new IllegalArgumentException("maxDepth: " + maxDepth + " (expected: > 0)");
        }
        this.maxDepth = maxDepth;
        return self();
    }

    /**
     * Sets the most leaves the tree may have. When set, the tree grows best first: the open node whose split
     * decreases the weighted impurity most is split next, as scikit-learn does. Default: unlimited.
     */
    public B maxLeafNodes(int maxLeafNodes) {
        if (maxLeafNodes <= 1) {
            throw new IllegalArgumentException("maxLeafNodes: " + maxLeafNodes + " (expected: > 1)");
        }
        this.maxLeafNodes = maxLeafNodes;
        return self();
    }

    /** Sets the fewest samples a node needs to be split. Default: {@value #DEFAULT_MIN_SAMPLES_SPLIT}. */
    public B minSamplesSplit(int minSamplesSplit) {
        if (minSamplesSplit < 2) {
            throw new IllegalArgumentException("minSamplesSplit: " + minSamplesSplit + " (expected: >= 2)");
        }
        this.minSamplesSplit = minSamplesSplit;
        return self();
    }

    /**
     * Sets the fewest samples each side of a split must get; splits that leave fewer are not considered.
     * Default: {@value #DEFAULT_MIN_SAMPLES_LEAF}.
     */
    public B minSamplesLeaf(int minSamplesLeaf) {
        if (minSamplesLeaf <= 0) {
            throw new IllegalArgumentException("minSamplesLeaf: " + minSamplesLeaf + " (expected: > 0)");
        }
        this.minSamplesLeaf = minSamplesLeaf;
        return self();
    }

    /**
     * Sets how many features the split search of each node looks at, drawn at random from {@link #seed}.
     * As in scikit-learn, the search goes on past this many features until it has found a valid split.
     * A value above the number of features means all of them. Default: all features, in column order.
     */
    public B maxFeatures(int maxFeatures) {
        if (maxFeatures <= 0) {
            throw new IllegalArgumentException("maxFeatures: " + maxFeatures + " (expected: > 0)");
        }
        this.maxFeatures = maxFeatures;
        return self();
    }

    /**
     * Sets the seed of the random feature draws ({@link #maxFeatures}); a given seed always grows the same
     * tree on the same data. Default: {@value #DEFAULT_SEED}.
     */
    public B seed(long seed) {
        this.seed = seed;
        return self();
    }

    final TreeParameters parameters() {
        return new TreeParameters(maxDepth, maxLeafNodes, minSamplesSplit, minSamplesLeaf, maxFeatures, seed);
    }

    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }
}
