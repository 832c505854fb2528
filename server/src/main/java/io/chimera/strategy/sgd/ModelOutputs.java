package io.chimera.strategy.sgd;

import io.chimera.core.linear.Loss;
import io.chimera.proto.v1.Matrix;
import io.chimera.proto.v1.PredictResponse;

/**
 * How a model fitted by SGD answers from its outputs {@code z}, the same for a linear model and a network:
 * regression → the value; binary log loss → P(positive class), as chimera; hinge → the label; multinomial → the
 * most probable label, with {@code classes} and {@code y_pred_proba}.
 */
final class ModelOutputs {

    private ModelOutputs() {}

    /** Adds one row's answer; {@code proba} is non-null for a multinomial model. {@code z} may be overwritten. */
    static void answer(Loss loss, double[] classes, double[] z, PredictResponse.Builder res, Matrix.Builder proba) {
        final int k = z.length;
        switch (loss) {
            case SQUARED_ERROR:
                res.addYPredRows(z[0]);
                break;
            case HINGE:
                res.addYPredRows(z[0] > 0 ? classes[1] : classes[0]);
                break;
            default:
                if (k == 1) {
                    res.addYPredRows(1 / (1 + Math.exp(-z[0])));
                } else {
                    double max = z[0];
                    int best = 0;
                    for (int o = 1; o < k; o++) {
                        if (z[o] > max) {
                            max = z[o];
                            best = o;
                        }
                    }
                    double sum = 0;
                    for (int o = 0; o < k; o++) {
                        z[o] = Math.exp(z[o] - max);
                        sum += z[o];
                    }
                    for (int o = 0; o < k; o++) {
                        proba.addValues(z[o] / sum);
                    }
                    res.addYPredRows(classes[best]);
                }
        }
    }

    /** The answer, with the classes and probabilities of a multinomial model. */
    static PredictResponse finish(double[] classes, PredictResponse.Builder res, Matrix.Builder proba) {
        if (proba != null) {
            for (double c : classes) {
                res.addClasses(c);
            }
            res.setYPredProba(proba);
        }
        return res.build();
    }
}
