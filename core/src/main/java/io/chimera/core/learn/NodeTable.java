package io.chimera.core.learn;

import java.util.Arrays;

/**
 * The nodes of a tree under construction, as growable parallel arrays. Nodes are added as leaves and may
 * then become splits; a child is always added after its parent, so its index is larger.
 */
final class NodeTable {

    private static final int INITIAL_CAPACITY = 64;

    private final int valueWidth;
    private int size;
    private int[] feature = new int[INITIAL_CAPACITY];
    private double[] threshold = new double[INITIAL_CAPACITY];
    private int[] left = new int[INITIAL_CAPACITY];
    private int[] right = new int[INITIAL_CAPACITY];
    private int[] samples = new int[INITIAL_CAPACITY];
    private double[] impurity = new double[INITIAL_CAPACITY];
    private double[] values;

    /** Creates an empty table whose nodes hold {@code valueWidth} values each. */
    NodeTable(int valueWidth) {
        this.valueWidth = valueWidth;
        values = new double[INITIAL_CAPACITY * valueWidth];
    }

    /** Adds a leaf and returns its index. */
    int addLeaf(int sampleCount, double nodeImpurity, double[] value) {
        if (size == feature.length) {
            final int capacity = size * 2;
            feature = Arrays.copyOf(feature, capacity);
            threshold = Arrays.copyOf(threshold, capacity);
            left = Arrays.copyOf(left, capacity);
            right = Arrays.copyOf(right, capacity);
            samples = Arrays.copyOf(samples, capacity);
            impurity = Arrays.copyOf(impurity, capacity);
            values = Arrays.copyOf(values, capacity * valueWidth);
        }
        feature[size] = -1;
        left[size] = -1;
        right[size] = -1;
        samples[size] = sampleCount;
        impurity[size] = nodeImpurity;
        System.arraycopy(value, 0, values, size * valueWidth, valueWidth);
        return size++;
    }

    /** Turns leaf {@code node} into a split that sends {@code value <= threshold} to {@code leftChild}. */
    void setSplit(int node, int splitFeature, double splitThreshold, int leftChild, int rightChild) {
        feature[node] = splitFeature;
        threshold[node] = splitThreshold;
        left[node] = leftChild;
        right[node] = rightChild;
    }

    int size() {
        return size;
    }

    int valueWidth() {
        return valueWidth;
    }

    int[] feature() {
        return Arrays.copyOf(feature, size);
    }

    double[] threshold() {
        return Arrays.copyOf(threshold, size);
    }

    int[] left() {
        return Arrays.copyOf(left, size);
    }

    int[] right() {
        return Arrays.copyOf(right, size);
    }

    int[] samples() {
        return Arrays.copyOf(samples, size);
    }

    double[] impurity() {
        return Arrays.copyOf(impurity, size);
    }

    double[] values() {
        return Arrays.copyOf(values, size * valueWidth);
    }
}
