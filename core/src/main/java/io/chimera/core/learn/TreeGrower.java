package io.chimera.core.learn;

import java.util.Comparator;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * Grows one CART tree, best first. Every node owns a contiguous segment of {@code samples}, the rows whose
 * weight is not 0; a split partitions the segment stably in place, so each level of the tree costs one pass
 * over the rows per feature searched, and the rows of a node stay in ascending order. Sizes count every row
 * with its weight (see {@link SplitFinder}).
 *
 * <p>When a node is added, its best split is searched and, if the split improves the impurity, the node
 * joins the frontier ordered by weighted impurity decrease. The frontier's best node is split until it is
 * empty or {@link TreeParameters#maxLeafNodes} is reached; with no leaf limit the order does not change
 * the tree.
 */
final class TreeGrower {

    /** Nodes this pure (scikit-learn's {@code EPSILON}) are not split. */
    private static final double PURE = 10 * Math.ulp(1.0);

    private static final Comparator<Candidate> BEST_FIRST =
            Comparator.comparingDouble((Candidate c) -> -c.priority()).thenComparingInt(Candidate::node);

    private final FeatureCodes codes;
    private final TreeParameters parameters;
    private final SplitFinder finder;
    private final NodeTable nodes;
    /** The sum of the weights: the size of the sample. */
    private final int totalWeight;
    private final int[] samples;
    private final int[] rightBuffer;
    private final int[] featureOrder;
    private final SplittableRandom random;

    /** A grower over the rows of {@code codes} with a weight in {@code finder}'s weights; sums them first. */
    TreeGrower(FeatureCodes codes, TreeParameters parameters, SplitFinder finder, int valueWidth) {
        this.codes = codes;
        this.parameters = parameters;
        this.finder = finder;
        nodes = new NodeTable(valueWidth);
        final int[] weights = finder.weights;
        int present = 0;
        long total = 0;
        for (int w : weights) {
            present += w > 0 ? 1 : 0;
            total += w;
        }
        totalWeight = Math.toIntExact(total);
        samples = new int[present];
        for (int row = 0, i = 0; row < weights.length; row++) {
            if (weights[row] > 0) {
                samples[i++] = row;
            }
        }
        rightBuffer = new int[present];
        featureOrder = new int[codes.cols()];
        for (int f = 0; f < featureOrder.length; f++) {
            featureOrder[f] = f;
        }
        random = new SplittableRandom(parameters.seed);
    }

    /** Grows the tree and returns its nodes; call once. */
    NodeTable grow() {
        final PriorityQueue<Candidate> frontier = new PriorityQueue<>(BEST_FIRST);
        int leaves = 1;
        addNode(frontier, 0, samples.length, 0, true);
        Candidate best;
        while (leaves < parameters.maxLeafNodes && (best = frontier.poll()) != null) {
            final int middle = partition(best);
            leaves++;
            final boolean mayGrow = leaves < parameters.maxLeafNodes;
            final int left = addNode(frontier, best.start(), middle, best.depth() + 1, mayGrow);
            final int right = addNode(frontier, middle, best.end(), best.depth() + 1, mayGrow);
            nodes.setSplit(best.node(), best.feature(), best.threshold(), left, right);
        }
        return nodes;
    }

    /** Adds the node of {@code samples[start, end)} as a leaf; queues its best split if it has one. */
    private int addNode(PriorityQueue<Candidate> frontier, int start, int end, int depth, boolean mayGrow) {
        finder.initNode(samples, start, end);
        final int size = finder.n;
        final int node = nodes.addLeaf(size, finder.impurity(), finder.nodeValue());
        if (mayGrow && searchSplit(start, end, depth)) {
            final int feature = finder.bestFeature;
            final double threshold = codes.threshold(feature, finder.bestLowCode, finder.bestHighCode);
            final double priority = finder.bestDecrease() * size / totalWeight;
            frontier.add(new Candidate(node, start, end, depth, feature, finder.bestLowCode, threshold,
                                       priority));
        }
        return node;
    }

    /** Searches the current node's best split; returns whether there is one that improves the impurity. */
    private boolean searchSplit(int start, int end, int depth) {
        final int n = finder.n;
        if (depth >= parameters.maxDepth || n < parameters.minSamplesSplit ||
            n < 2L * parameters.minSamplesLeaf || finder.impurity() <= PURE) {
            return false;
        }
        finder.resetBest();
        final int cols = codes.cols();
        final boolean drawFeatures = parameters.maxFeatures < cols;
        for (int i = 0; i < cols; i++) {
            if (i >= parameters.maxFeatures && finder.hasBest()) {
                break;
            }
            final int feature = drawFeatures ? drawFeature(i) : i;
            finder.scan(feature, codes.codes(feature), codes.bins(feature), samples, start, end,
                        parameters.minSamplesLeaf);
        }
        return finder.hasBest() && finder.bestImproves();
    }

    /** Draws the {@code i}-th feature of a random permutation (a step of Fisher-Yates). */
    private int drawFeature(int i) {
        final int j = i + random.nextInt(featureOrder.length - i);
        final int feature = featureOrder[j];
        featureOrder[j] = featureOrder[i];
        featureOrder[i] = feature;
        return feature;
    }

    /** Moves the candidate's left rows to the front of its segment, keeping order; returns the boundary. */
    private int partition(Candidate candidate) {
        final int[] featureCodes = codes.codes(candidate.feature());
        int left = candidate.start();
        int right = 0;
        for (int i = candidate.start(); i < candidate.end(); i++) {
            final int s = samples[i];
            if (featureCodes[s] <= candidate.lowCode()) {
                samples[left++] = s;
            } else {
                rightBuffer[right++] = s;
            }
        }
        System.arraycopy(rightBuffer, 0, samples, left, right);
        return left;
    }

    /** A node with an improving split, waiting on the frontier. */
    private record Candidate(int node, int start, int end, int depth, int feature, int lowCode,
                             double threshold, double priority) {}
}
