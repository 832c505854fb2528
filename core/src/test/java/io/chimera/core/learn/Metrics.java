package io.chimera.core.learn;

import io.chimera.core.data.Dataset;

/** Scores fitted models on held-out data. */
final class Metrics {

    /** Returns the fraction of rows whose most probable class is their label. */
    static double accuracy(FittedModel model, Dataset data) {
        final double[] classes = model.classes();
        final double[] probabilities = model.predict(data.features(), data.rows());
        int correct = 0;
        for (int row = 0; row < data.rows(); row++) {
            int best = 0;
            for (int c = 1; c < classes.length; c++) {
                if (probabilities[row * classes.length + c] > probabilities[row * classes.length + best]) {
                    best = c;
                }
            }
            if (classes[best] == data.label(row)) {
                correct++;
            }
        }
        return (double) correct / data.rows();
    }

    /** Returns the coefficient of determination of the model's predictions. */
    static double r2(FittedModel model, Dataset data) {
        final double[] predictions = model.predict(data.features(), data.rows());
        double mean = 0;
        for (double label : data.labels()) {
            mean += label / data.rows();
        }
        double residual = 0;
        double total = 0;
        for (int row = 0; row < data.rows(); row++) {
            residual += Math.pow(data.label(row) - predictions[row], 2);
            total += Math.pow(data.label(row) - mean, 2);
        }
        return 1 - residual / total;
    }

    private Metrics() {}
}
