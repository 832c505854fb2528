package io.chimera.core.metrics;

import java.util.Arrays;

/**
 * Holdout metrics computed the way scikit-learn computes them: accuracy, ROC AUC (with ties counted one half)
 * and the coefficient of determination.
 */
public final class Metrics {

    /** Accuracy of P(positive) thresholded at 0.5 against labels 0/1 (chimera's clients do the same). */
    public static double binaryAccuracy(double[] probabilities, double[] labels) {
        int correct = 0;
        for (int i = 0; i < labels.length; i++) {
            final double predicted = probabilities[i] >= 0.5 ? 1 : 0;
            correct += predicted == labels[i] ? 1 : 0;
        }
        return (double) correct / labels.length;
    }

    /** Fraction of equal labels. */
    public static double accuracy(double[] predicted, double[] labels) {
        int correct = 0;
        for (int i = 0; i < labels.length; i++) {
            correct += predicted[i] == labels[i] ? 1 : 0;
        }
        return (double) correct / labels.length;
    }

    /** Area under the ROC curve of scores against labels 0/1 (ties count one half). */
    public static double rocAuc(double[] scores, double[] labels) {
        final Integer[] order = new Integer[scores.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(scores[a], scores[b]));
        // Mann-Whitney U with average ranks for ties.
        final double[] rank = new double[scores.length];
        for (int i = 0; i < order.length;) {
            int j = i;
            while (j + 1 < order.length && scores[order[j + 1]] == scores[order[i]]) {
                j++;
            }
            final double avg = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++) {
                rank[order[k]] = avg;
            }
            i = j + 1;
        }
        double positives = 0;
        double rankSum = 0;
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] == 1) {
                positives++;
                rankSum += rank[i];
            }
        }
        final double negatives = labels.length - positives;
        if (positives == 0 || negatives == 0) {
            return Double.NaN;
        }
        return (rankSum - positives * (positives + 1) / 2) / (positives * negatives);
    }

    /** Coefficient of determination. */
    public static double r2(double[] predicted, double[] labels) {
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

    /** Mean squared error. */
    public static double mse(double[] predicted, double[] labels) {
        double sum = 0;
        for (int i = 0; i < labels.length; i++) {
            sum += (predicted[i] - labels[i]) * (predicted[i] - labels[i]);
        }
        return sum / labels.length;
    }

    /** Mean absolute error. */
    public static double mae(double[] predicted, double[] labels) {
        double sum = 0;
        for (int i = 0; i < labels.length; i++) {
            sum += Math.abs(predicted[i] - labels[i]);
        }
        return sum / labels.length;
    }

    /**
     * Precision, recall and F1 of class {@code positive} among predicted labels, as scikit-learn's
     * {@code precision_recall_fscore_support} (0 where a ratio is undefined).
     */
    public static double[] precisionRecallF1(double[] predicted, double[] labels, double positive) {
        int tp = 0;
        int fp = 0;
        int fn = 0;
        for (int i = 0; i < labels.length; i++) {
            final boolean p = predicted[i] == positive;
            final boolean a = labels[i] == positive;
            tp += p && a ? 1 : 0;
            fp += p && !a ? 1 : 0;
            fn += !p && a ? 1 : 0;
        }
        final double precision = tp + fp == 0 ? 0 : (double) tp / (tp + fp);
        final double recall = tp + fn == 0 ? 0 : (double) tp / (tp + fn);
        final double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
        return new double[] { precision, recall, f1 };
    }

    private Metrics() {}
}
