package io.chimera.core.learn;

import java.util.Arrays;
import java.util.stream.IntStream;

import io.chimera.core.data.Dataset;

/**
 * A deliberately naive CART written straight from the definitions (every feature, every midpoint, impurity
 * computed from scratch), to check the fast trees against. Gini for classification, squared error for
 * regression; depth first, so without a leaf limit.
 */
final class ReferenceCart {

    private final Dataset data;
    private final double[] classes;
    private final int maxDepth;
    private final int minSamplesLeaf;
    private final Node root;

    /** Fits a tree; {@code classes} is empty for regression. */
    ReferenceCart(Dataset data, double[] classes, int maxDepth, int minSamplesLeaf) {
        this.data = data;
        this.classes = classes;
        this.maxDepth = maxDepth;
        this.minSamplesLeaf = minSamplesLeaf;
        root = build(IntStream.range(0, data.rows()).toArray(), 0);
    }

    /** Returns the leaf value for one row of features. */
    double[] predict(double[] row) {
        Node node = root;
        while (node.left != null) {
            node = row[node.feature] <= node.threshold ? node.left : node.right;
        }
        return node.value;
    }

    private Node build(int[] rows, int depth) {
        final Node node = new Node();
        node.value = value(rows);
        final double impurity = impurity(rows);
        if (depth >= maxDepth || rows.length < 2 * minSamplesLeaf || impurity <= 1e-15) {
            return node;
        }
        double bestWeighted = Double.POSITIVE_INFINITY;
        for (int f = 0; f < data.cols(); f++) {
            final int feature = f;
            final double[] values = Arrays.stream(rows).mapToDouble(r -> data.feature(r, feature)).distinct()
                                          .sorted().toArray();
            for (int i = 0; i + 1 < values.length; i++) {
                final double mid = values[i] * 0.5 + values[i + 1] * 0.5;
                final double threshold = mid < values[i + 1] ? mid : values[i];
                final int[] left = Arrays.stream(rows).filter(r -> data.feature(r, feature) <= threshold).toArray();
                final int[] right = Arrays.stream(rows).filter(r -> data.feature(r, feature) > threshold).toArray();
                if (left.length < minSamplesLeaf || right.length < minSamplesLeaf) {
                    continue;
                }
                final double weighted = (left.length * impurity(left) + right.length * impurity(right)) / rows.length;
                // Ties, exact but for rounding, go to the first split found, as in the fast trees.
                if (node.feature < 0 || weighted < bestWeighted - 1e-9 * bestWeighted) {
                    bestWeighted = weighted;
                    node.feature = feature;
                    node.threshold = threshold;
                }
            }
        }
        if (node.feature < 0 || bestWeighted >= impurity - 1e-12) {
            return node;
        }
        final Node split = node;
        split.left = build(Arrays.stream(rows).filter(r -> data.feature(r, split.feature) <= split.threshold)
                                 .toArray(), depth + 1);
        split.right = build(Arrays.stream(rows).filter(r -> data.feature(r, split.feature) > split.threshold)
                                  .toArray(), depth + 1);
        return node;
    }

    private double[] value(int[] rows) {
        if (classes.length == 0) {
            return new double[] { Arrays.stream(rows).mapToDouble(data::label).average().orElseThrow() };
        }
        final double[] distribution = new double[classes.length];
        for (int row : rows) {
            distribution[Arrays.binarySearch(classes, data.label(row))] += 1.0;
        }
        for (int c = 0; c < classes.length; c++) {
            distribution[c] /= rows.length;
        }
        return distribution;
    }

    private double impurity(int[] rows) {
        final double[] value = value(rows);
        if (classes.length > 0) {
            return 1 - Arrays.stream(value).map(p -> p * p).sum();
        }
        return Arrays.stream(rows).mapToDouble(r -> Math.pow(data.label(r) - value[0], 2)).sum() / rows.length;
    }

    private static final class Node {
        int feature = -1;
        double threshold;
        Node left;
        Node right;
        double[] value;
    }
}
