package io.chimera.core.learn;

import java.util.Arrays;

/**
 * The task-specific half of tree growing: the statistics of the current node (its impurity and leaf value)
 * and the search for its best split, one feature at a time. Not thread-safe; one instance serves one fit.
 *
 * <p>Every sample counts with its weight: how many times its row was drawn into a bootstrap sample (1 for a
 * plain fit). Integer weights make a weighted node exactly the node of the sample with its rows repeated,
 * without copying the rows.
 *
 * <p>Both subclasses score a split by a proxy that orders splits like the impurity decrease does, and scan
 * a feature in one of two exact ways: a histogram over all of the feature's codes when the node is large
 * compared to them, or a sort of the node's packed codes when it is small.
 */
abstract class SplitFinder {

    /**
     * A split must beat the best so far by this fraction to replace it, so that splits equal but for
     * rounding (the same partition reached through two features, whose sums add up in different orders)
     * resolve to the first found rather than to rounding noise.
     */
    private static final double TIE_TOLERANCE = 1e-12;

    /**
     * Whether sorting the node's {@code n} codes is cheaper than clearing and scanning a histogram of
     * {@code bins * width} cells.
     */
    static boolean sortIsCheaper(int bins, int width, int n) {
        final int log2n = 32 - Integer.numberOfLeadingZeros(n);
        return (long) bins * width > (long) n * log2n;
    }

    /** How many times each row is in the sample being fitted; 0 for a row left out. */
    final int[] weights;
    /** The current node's size: its samples counted with their weights. */
    int n;
    /** Feature of the best split found since {@link #resetBest()}, or -1. */
    int bestFeature;
    /** The best split sends codes {@code <= bestLowCode} left; {@code bestHighCode} is the next code present. */
    int bestLowCode;
    int bestHighCode;
    /** Samples the best split sends left, counted with their weights. */
    int bestLeftCount;
    /** The proxy score of the best split; larger is better. */
    double bestProxy;
    private long[] keys;

    SplitFinder(int[] weights) {
        this.weights = weights;
    }

    /** Computes the statistics of the node made of {@code samples[start, end)}. */
    abstract void initNode(int[] samples, int start, int end);

    /** Returns the impurity of the current node. */
    abstract double impurity();

    /**
     * Returns the leaf value of the current node: class probabilities or the mean. The array is reused by
     * the next {@link #initNode}.
     */
    abstract double[] nodeValue();

    /**
     * Scans every split of {@code feature} over the current node's samples that leaves at least
     * {@code minSamplesLeaf} on each side, keeping it if it beats the best split so far.
     */
    abstract void scan(int feature, int[] codes, int bins, int[] samples, int start, int end, int minSamplesLeaf);

    /** Returns the impurity of the current node minus the weighted impurity of the best split's children. */
    abstract double bestDecrease();

    /** Returns whether the best split decreases the impurity at all. */
    abstract boolean bestImproves();

    /** Forgets the best split, before the search of a new node. */
    final void resetBest() {
        bestFeature = -1;
        bestProxy = Double.NEGATIVE_INFINITY;
    }

    /** Returns whether {@link #scan} found a valid split since {@link #resetBest()}. */
    final boolean hasBest() {
        return bestFeature >= 0;
    }

    /**
     * Returns the current node's samples packed as {@code code << 32 | sample} and sorted, so by code and,
     * within a code, by sample; the first {@code end - start} keys are valid until the next call.
     */
    final long[] sortByCode(int[] codes, int[] samples, int start, int end) {
        if (keys == null) {
            keys = new long[samples.length];
        }
        for (int i = start; i < end; i++) {
            final int s = samples[i];
            keys[i - start] = (long) codes[s] << 32 | s;
        }
        Arrays.sort(keys, 0, end - start);
        return keys;
    }

    /** Returns whether a split scoring {@code proxy} beats the best so far by more than rounding. */
    final boolean beatsBest(double proxy) {
        return bestFeature < 0 || proxy - bestProxy > TIE_TOLERANCE * Math.abs(bestProxy);
    }

    /** Records a split that beats the best so far. */
    final void setBest(int feature, int lowCode, int highCode, int leftCount, double proxy) {
        bestFeature = feature;
        bestLowCode = lowCode;
        bestHighCode = highCode;
        bestLeftCount = leftCount;
        bestProxy = proxy;
    }
}
