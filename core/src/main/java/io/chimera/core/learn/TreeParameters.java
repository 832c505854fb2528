package io.chimera.core.learn;

/** The hyperparameters shared by the CART learners, validated by {@link AbstractDecisionTreeBuilder}. */
final class TreeParameters {

    /** Stands for "no limit" in {@link #maxDepth}, {@link #maxLeafNodes} and {@link #maxFeatures}. */
    static final int UNLIMITED = Integer.MAX_VALUE;

    private static String limit(int value, String unlimited) {
        return value == UNLIMITED ? unlimited : String.valueOf(value);
    }

    /** The deepest a node may be; the root has depth 0, so 1 gives a stump. */
    final int maxDepth;
    /** The most leaves the tree may have; when limited, nodes are split best first. */
    final int maxLeafNodes;
    /** The fewest samples a node needs to be split. */
    final int minSamplesSplit;
    /** The fewest samples each child of a split must get. */
    final int minSamplesLeaf;
    /** How many features, drawn at random per node, a split search looks at before it may stop. */
    final int maxFeatures;
    /** Seeds the feature draws, so a given seed always grows the same tree. */
    final long seed;

    TreeParameters(int maxDepth, int maxLeafNodes, int minSamplesSplit, int minSamplesLeaf, int maxFeatures,
                   long seed) {
        this.maxDepth = maxDepth;
        this.maxLeafNodes = maxLeafNodes;
        this.minSamplesSplit = minSamplesSplit;
        this.minSamplesLeaf = minSamplesLeaf;
        this.maxFeatures = maxFeatures;
        this.seed = seed;
    }

    @Override
    public String toString() {
        return "maxDepth=" + limit(maxDepth, "unlimited") +
               ", maxLeafNodes=" + limit(maxLeafNodes, "unlimited") +
               ", minSamplesSplit=" + minSamplesSplit +
               ", minSamplesLeaf=" + minSamplesLeaf +
               ", maxFeatures=" + limit(maxFeatures, "all") +
               ", seed=" + seed;
    }
}
