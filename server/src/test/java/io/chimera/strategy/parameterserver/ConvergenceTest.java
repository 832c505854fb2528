package io.chimera.strategy.parameterserver;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.chimera.core.linear.Loss;
import io.chimera.strategy.sgd.Gradient;
import io.chimera.strategy.sgd.GradientEngine;
import io.chimera.strategy.sgd.GradientEngineBuilder;
import io.chimera.strategy.sgd.TestData;

/**
 * Plain full-batch gradient descent driven by the engine's gradients learns real data: the gradients point
 * the right way at every step, not only at the points the reference tests check.
 */
class ConvergenceTest {

    /** Runs {@code steps} of gradient descent from zero; returns {@code {weights, bias}}. */
    static double[][] descend(GradientEngine engine, double learningRate, int steps) {
        final double[] w = new double[engine.outputs() * engine.columns()];
        final double[] b = new double[engine.outputs()];
        for (int step = 0; step < steps; step++) {
            final Gradient g = engine.compute(w, b, null);
            final double[] gw = g.weightsGradient();
            final double[] gb = g.biasGradient();
            for (int i = 0; i < w.length; i++) {
                w[i] -= learningRate * gw[i];
            }
            for (int i = 0; i < b.length; i++) {
                b[i] -= learningRate * gb[i];
            }
        }
        return new double[][] { w, b };
    }

    /** Outputs {@code z = W x + b} of every row of standardised data. */
    static double[][] outputs(TestData data, double[][] model) {
        final int k = model[1].length;
        final double[][] z = new double[data.rows][k];
        for (int r = 0; r < data.rows; r++) {
            for (int o = 0; o < k; o++) {
                z[r][o] = model[1][o];
                for (int c = 0; c < data.cols; c++) {
                    z[r][o] += model[0][o * data.cols + c] * data.features[r * data.cols + c];
                }
            }
        }
        return z;
    }

    static double accuracy(TestData data, double[][] model, double[] classes) {
        final double[][] z = outputs(data, model);
        int correct = 0;
        for (int r = 0; r < data.rows; r++) {
            int best = 0;
            if (z[r].length == 1) {
                best = z[r][0] > 0 ? 1 : 0;
            } else {
                for (int o = 1; o < z[r].length; o++) {
                    best = z[r][o] > z[r][best] ? o : best;
                }
            }
            correct += classes[best] == data.labels[r] ? 1 : 0;
        }
        return (double) correct / data.rows;
    }

    static GradientEngine engine(TestData raw, double[][] meanAndScale, Loss loss, double[] classes) {
        final GradientEngineBuilder builder = GradientEngine.builder().features(raw.features, raw.rows, raw.cols)
                                                            .labels(raw.labels).loss(loss)
                                                            .standardization(meanAndScale[0], meanAndScale[1]);
        return (classes.length > 0 ? builder.classes(classes) : builder).build();
    }

    @ParameterizedTest
    @CsvSource({ "log_loss, 0.5", "hinge, 0.1" })
    void binaryClassifier_onStandardizedBreastCancer_reachesTrainingAccuracy95(String loss, double learningRate) {
        final TestData raw = TestData.train("breast-cancer");
        final double[][] meanAndScale = raw.meanAndScale();
        final double[] classes = { 0, 1 };
        try (GradientEngine engine = engine(raw, meanAndScale, Loss.parse(loss), classes)) {
            final double[][] model = descend(engine, learningRate, 300);
            assertThat(accuracy(raw.standardized(meanAndScale[0], meanAndScale[1]), model, classes))
                    .isGreaterThanOrEqualTo(0.95);
        }
    }

    @Test
    void multinomialLogisticRegression_onIris_reachesTrainingAccuracy90() {
        final TestData raw = TestData.train("iris");
        final double[][] meanAndScale = raw.meanAndScale();
        final double[] classes = { 0, 1, 2 };
        try (GradientEngine engine = engine(raw, meanAndScale, Loss.LOG_LOSS, classes)) {
            final double[][] model = descend(engine, 0.5, 300);
            assertThat(accuracy(raw.standardized(meanAndScale[0], meanAndScale[1]), model, classes))
                    .isGreaterThanOrEqualTo(0.9);
        }
    }

    @Test
    void linearRegression_onStandardizedWineLike_reachesHoldoutR2Of025() {
        final TestData raw = TestData.train("wine-like");
        final TestData holdout = TestData.test("wine-like");
        final double[][] meanAndScale = raw.meanAndScale();
        try (GradientEngine engine = engine(raw, meanAndScale, Loss.SQUARED_ERROR, new double[0])) {
            final double[][] model = descend(engine, 0.1, 300);
            final double[][] z = outputs(holdout.standardized(meanAndScale[0], meanAndScale[1]), model);
            double mean = 0;
            for (double y : holdout.labels) {
                mean += y / holdout.rows;
            }
            double residual = 0;
            double total = 0;
            for (int r = 0; r < holdout.rows; r++) {
                residual += Math.pow(holdout.labels[r] - z[r][0], 2);
                total += Math.pow(holdout.labels[r] - mean, 2);
            }
            assertThat(1 - residual / total).isGreaterThanOrEqualTo(0.25);
        }
    }
}
