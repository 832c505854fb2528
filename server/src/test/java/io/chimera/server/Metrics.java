package io.chimera.server;

import java.util.Arrays;

/** Holdout metrics for tests, computed as scikit-learn does. */
final class Metrics {

    static double binaryAccuracy(double[] probabilities, double[] labels) {
        int correct = 0;
        for (int i = 0; i < labels.length; i++) {
            correct += (probabilities[i] >= 0.5 ? 1 : 0) == labels[i] ? 1 : 0;
        }
        return (double) correct / labels.length;
    }

    static double accuracy(double[] predicted, double[] labels) {
        int correct = 0;
        for (int i = 0; i < labels.length; i++) {
            correct += predicted[i] == labels[i] ? 1 : 0;
        }
        return (double) correct / labels.length;
    }

    static double rocAuc(double[] scores, double[] labels) {
        final Integer[] order = new Integer[scores.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(scores[a], scores[b]));
        final double[] rank = new double[scores.length];
        for (int i = 0; i < order.length;) {
            int j = i;
            while (j + 1 < order.length && scores[order[j + 1]] == scores[order[i]]) {
                j++;
            }
            for (int m = i; m <= j; m++) {
                rank[order[m]] = (i + j) / 2.0 + 1;
            }
            i = j + 1;
        }
        double pos = 0;
        double rankSum = 0;
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] == 1) {
                pos++;
                rankSum += rank[i];
            }
        }
        final double neg = labels.length - pos;
        return (rankSum - pos * (pos + 1) / 2) / (pos * neg);
    }

    static double r2(double[] predicted, double[] labels) {
        double mean = 0;
        for (double y : labels) {
            mean += y;
        }
        mean /= labels.length;
        double ssRes = 0;
        double ssTot = 0;
        for (int i = 0; i < labels.length; i++) {
            ssRes += (labels[i] - predicted[i]) * (labels[i] - predicted[i]);
            ssTot += (labels[i] - mean) * (labels[i] - mean);
        }
        return 1 - ssRes / ssTot;
    }

    private Metrics() {}
}
