package io.chimera.core.learn;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;
import java.util.List;

/**
 * A fitted CART tree, classifier or regressor, stored as flat node arrays. Node 0 is the root; a split node
 * sends a row to its left child when {@code row[feature] <= threshold} and to its right child otherwise; a
 * leaf holds class probabilities (classifier) or a mean (regressor). Immutable and thread-safe.
 *
 * <p>{@link #toBytes()} and {@link #fromBytes(byte[])} convert a model to and from a compact binary form
 * documented in {@link #toBytes()}.
 */
public final class DecisionTreeModel implements PortableModel {

    /**
     * Reads a model written by {@link #toBytes()}.
     *
     * @throws IllegalArgumentException if {@code bytes} is not a valid model of a supported version
     */
    public static DecisionTreeModel fromBytes(byte[] bytes) {
        return TreeModelFormat.read(requireNonNull(bytes, "bytes"));
    }

    private final List<String> featureNames;
    private final double[] classes;
    private final int[] feature;
    private final double[] threshold;
    private final int[] left;
    private final int[] right;
    private final int[] samples;
    private final double[] impurity;
    private final double[] values;
    private final int valueWidth;
    private final int depth;
    private final int leafCount;

    DecisionTreeModel(List<String> featureNames, double[] classes, NodeTable nodes) {
        this.featureNames = List.copyOf(featureNames);
        this.classes = classes.clone();
        feature = nodes.feature();
        threshold = nodes.threshold();
        left = nodes.left();
        right = nodes.right();
        samples = nodes.samples();
        impurity = nodes.impurity();
        values = nodes.values();
        valueWidth = nodes.valueWidth();
        // Children come after their parent, so one forward pass knows every parent's depth.
        final int[] nodeDepth = new int[feature.length];
        int maxDepth = 0;
        int leaves = 0;
        for (int node = 0; node < feature.length; node++) {
            maxDepth = Math.max(maxDepth, nodeDepth[node]);
            if (isLeaf(node)) {
                leaves++;
            } else {
                nodeDepth[left[node]] = nodeDepth[node] + 1;
                nodeDepth[right[node]] = nodeDepth[node] + 1;
            }
        }
        depth = maxDepth;
        leafCount = leaves;
    }

    @Override
    public double[] classes() {
        return classes.clone();
    }

    @Override
    public int featureCount() {
        return featureNames.size();
    }

    /** Returns the names of the features the model expects, in training column order. */
    public List<String> featureNames() {
        return featureNames;
    }

    /** Returns the number of nodes, splits and leaves. */
    public int nodeCount() {
        return feature.length;
    }

    /** Returns the depth of the deepest leaf; a single-leaf tree has depth 0. */
    public int depth() {
        return depth;
    }

    /** Returns the number of leaves. */
    public int leafCount() {
        return leafCount;
    }

    @Override
    public double[] predict(double[] features, int rows) {
        requireNonNull(features, "features");
        final int cols = featureCount();
        if (rows < 0 || features.length != (long) rows * cols) {
            throw new IllegalArgumentException("features.length: " + features.length + " (expected: rows * " +
                                               "featureCount = " + rows + " * " + cols + ')');
        }
        final double[] predictions = new double[rows * valueWidth];
        for (int row = 0; row < rows; row++) {
            final int base = row * cols;
            int node = 0;
            while (left[node] >= 0) {
                node = features[base + feature[node]] <= threshold[node] ? left[node] : right[node];
            }
            System.arraycopy(values, node * valueWidth, predictions, row * valueWidth, valueWidth);
        }
        return predictions;
    }

    /** Returns {@value ModelFormats#DECISION_TREE}. */
    @Override
    public String format() {
        return ModelFormats.DECISION_TREE;
    }

    /**
     * Returns the model in a compact binary form that {@link #fromBytes(byte[])} reads back. It is written
     * with {@link java.io.DataOutputStream}, so big-endian, as:
     * <pre>
     * int    magic 0x43485452 ("CHTR")
     * short  format version, 1
     * byte   kind: 0 regressor, 1 classifier
     * int    feature count, then each feature name (DataOutput.writeUTF)
     * int    class count (0 for a regressor), then each class label as a double, ascending
     * int    node count (at least 1), then each node in index order, the root first:
     *          int feature (-1 for a leaf), double threshold, int left child, int right child (-1 for a
     *          leaf; children come after their parent), int training samples, double impurity, and
     *          max(class count, 1) doubles: class probabilities, or the mean for a regressor
     * </pre>
     */
    @Override
    public byte[] toBytes() {
        return TreeModelFormat.write(this);
    }

    /**
     * Returns the tree as indented text, one node a line: {@code feature <= threshold} for a split, followed
     * by its left then right subtree, and the value for a leaf.
     */
    public String describe() {
        final StringBuilder text = new StringBuilder();
        // An explicit stack, since a tree grown without a depth limit may be deeper than the call stack.
        final int[] stack = new int[depth + 2];
        final int[] levels = new int[depth + 2];
        int top = 0;
        stack[0] = 0;
        while (top >= 0) {
            final int node = stack[top];
            final int level = levels[top--];
            text.append("  ".repeat(level));
            if (isLeaf(node)) {
                text.append("leaf ").append(Arrays.toString(value(node)));
            } else {
                text.append(featureNames.get(feature[node])).append(" <= ").append(threshold[node]);
                stack[++top] = right[node];
                levels[top] = level + 1;
                stack[++top] = left[node];
                levels[top] = level + 1;
            }
            text.append(" (samples=").append(samples[node]).append(", impurity=").append(impurity[node])
                .append(")\n");
        }
        return text.toString();
    }

    boolean isLeaf(int node) {
        return left[node] < 0;
    }

    int feature(int node) {
        return feature[node];
    }

    double threshold(int node) {
        return threshold[node];
    }

    int left(int node) {
        return left[node];
    }

    int right(int node) {
        return right[node];
    }

    int samples(int node) {
        return samples[node];
    }

    double impurity(int node) {
        return impurity[node];
    }

    double[] value(int node) {
        return Arrays.copyOfRange(values, node * valueWidth, (node + 1) * valueWidth);
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof DecisionTreeModel)) {
            return false;
        }
        final DecisionTreeModel that = (DecisionTreeModel) o;
        return featureNames.equals(that.featureNames) && Arrays.equals(classes, that.classes) &&
               Arrays.equals(feature, that.feature) && Arrays.equals(threshold, that.threshold) &&
               Arrays.equals(left, that.left) && Arrays.equals(right, that.right) &&
               Arrays.equals(samples, that.samples) && Arrays.equals(impurity, that.impurity) &&
               Arrays.equals(values, that.values);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(feature) + Arrays.hashCode(threshold);
    }

    @Override
    public String toString() {
        return "DecisionTreeModel{" + (classes.length > 0 ? "classes=" + Arrays.toString(classes) : "regressor") +
               ", features=" + featureCount() + ", nodes=" + nodeCount() + ", depth=" + depth +
               ", leaves=" + leafCount + '}';
    }
}
