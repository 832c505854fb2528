package io.chimera.examples.learners;

import io.chimera.core.data.Dataset;
import io.chimera.core.learn.FittedModel;
import io.chimera.core.learn.Learner;

/**
 * Gaussian naive Bayes: a custom learner in a few dozen lines, used by a {@code ClassificationWorker} exactly
 * as the built-in trees are. Each class gets a prior and, per feature, a normal density; {@code varSmoothing}
 * adds a fraction of the largest feature variance to every variance, as scikit-learn does.
 */
public final class GaussianNaiveBayes implements Learner {

    private final double varSmoothing;

    /** With scikit-learn's default smoothing, 1e-9. */
    public GaussianNaiveBayes() {
        this(1e-9);
    }

    public GaussianNaiveBayes(double varSmoothing) {
        if (!(varSmoothing >= 0)) {
            throw new IllegalArgumentException("varSmoothing: " + varSmoothing + " (expected: >= 0)");
        }
        this.varSmoothing = varSmoothing;
    }

    @Override
    public FittedModel fit(Dataset data) {
        final double[] classes = data.distinctLabels();
        final int k = classes.length;
        final int d = data.cols();
        final double[] count = new double[k];
        final double[] mean = new double[k * d];
        final double[] var = new double[k * d];
        for (int r = 0; r < data.rows(); r++) {
            final int c = java.util.Arrays.binarySearch(classes, data.label(r));
            count[c]++;
            for (int j = 0; j < d; j++) {
                final double x = data.feature(r, j);
                final double delta = x - mean[c * d + j];
                mean[c * d + j] += delta / count[c];
                var[c * d + j] += delta * (x - mean[c * d + j]);   // Welford: sum of squared deviations
            }
        }
        double maxVar = 0;
        for (int c = 0; c < k; c++) {
            for (int j = 0; j < d; j++) {
                var[c * d + j] /= count[c];
                maxVar = Math.max(maxVar, var[c * d + j]);
            }
        }
        final double epsilon = varSmoothing * maxVar;
        final double[] logPrior = new double[k];
        for (int c = 0; c < k; c++) {
            logPrior[c] = Math.log(count[c] / data.rows());
            for (int j = 0; j < d; j++) {
                var[c * d + j] += epsilon;
            }
        }
        return new FittedModel() {
            @Override
            public double[] classes() {
                return classes.clone();
            }

            @Override
            public int featureCount() {
                return d;
            }

            @Override
            public double[] predict(double[] features, int rows) {
                final double[] out = new double[rows * k];
                for (int r = 0; r < rows; r++) {
                    double max = Double.NEGATIVE_INFINITY;
                    for (int c = 0; c < k; c++) {
                        double logp = logPrior[c];
                        for (int j = 0; j < d; j++) {
                            final double v = var[c * d + j];
                            final double z = features[r * d + j] - mean[c * d + j];
                            logp -= 0.5 * (Math.log(2 * Math.PI * v) + z * z / v);
                        }
                        out[r * k + c] = logp;
                        max = Math.max(max, logp);
                    }
                    double sum = 0;
                    for (int c = 0; c < k; c++) {
                        out[r * k + c] = Math.exp(out[r * k + c] - max);
                        sum += out[r * k + c];
                    }
                    for (int c = 0; c < k; c++) {
                        out[r * k + c] /= sum;
                    }
                }
                return out;
            }
        };
    }

    @Override
    public String toString() {
        return "GaussianNaiveBayes{varSmoothing=" + varSmoothing + '}';
    }
}
