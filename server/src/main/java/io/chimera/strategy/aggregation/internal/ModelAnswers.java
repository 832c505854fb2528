package io.chimera.strategy.aggregation.internal;

import java.util.Arrays;
import java.util.List;

import io.chimera.common.ChimeraException;
import io.chimera.common.Table;
import io.chimera.core.learn.FittedModel;
import io.chimera.proto.v1.Matrix;
import io.chimera.proto.v1.PredictResponse;

/**
 * A bagging worker's answer to predict, from its fitted model: in one place so that a master serving an
 * exported ensemble answers for each member exactly as that member's worker did.
 */
public final class ModelAnswers {

    /**
     * Predicts the rows of {@code table} with {@code model}, trained on columns {@code features}.
     *
     * @param learner the learner's name, for messages
     * @param classes the worker's classes (the labels of its whole training set, sorted), or an empty array for
     *        regression
     * @throws ChimeraException 400 when the table's columns are not {@code features}; 413 when its answer, a
     *         prediction and the class probabilities for each row, would not fit in the heap
     *         ({@link Table#checkPredictRows}); 500 when the model answers something unusable
     */
    public static PredictResponse predict(String learner, FittedModel model, List<String> features,
                                          double[] classes, Table table) {
        Table.checkPredictRows(table.rows(), classes.length > 0 ? 1 + classes.length : 1);
        final double[] x = table.valuesInOrder(features);
        final double[] out;
        try {
            out = model.predict(x, table.rows());
        } catch (RuntimeException e) {
            throw ChimeraException.internal("learner " + learner + " failed to predict: " + e);
        }
        return classes.length > 0 ? classification(learner, model.classes(), classes, out, table.rows())
                                  : regression(learner, out, table.rows());
    }

    /**
     * Says why {@code model} cannot answer for a worker trained on {@code featureCount} columns with
     * {@code classes} (empty for regression), e.g. {@code "a regressor (expected: a classifier)"}; returns
     * {@code null} when it can.
     */
    public static String mismatch(FittedModel model, int featureCount, double[] classes) {
        if (model == null) {
            return "nothing";
        }
        if (model.featureCount() != featureCount) {
            return "a model for " + model.featureCount() + " features (expected: " + featureCount + " features)";
        }
        final double[] own = model.classes();
        final boolean classifier = own != null && own.length > 0;
        if (classifier != classes.length > 0) {
            return classifier ? "a classifier (expected: a regressor)" : "a regressor (expected: a classifier)";
        }
        if (classifier) {
            for (double c : own) {
                if (Arrays.binarySearch(classes, c) < 0) {
                    return "a model with class " + c + ", which is not in the training labels "
                           + Arrays.toString(classes);
                }
            }
        }
        return null;
    }

    /**
     * A classification answer: the probabilities, aligned on the worker's {@code classes} (a bootstrap sample
     * may miss a rare class, so the model's own classes {@code own} may be fewer), and per row P(second class)
     * for two classes or the most probable label for more.
     */
    static PredictResponse classification(String learner, double[] own, double[] classes, double[] output,
                                          int rows) {
        final int k = own.length;
        if (output == null || output.length != rows * k) {
            throw ChimeraException.internal(
                    "learner " + learner + " returned " + (output == null ? "nothing" : output.length
                    + " values") + " for " + rows + " rows and " + k + " classes (expected: " + rows * k + ')');
        }
        final int n = classes.length;
        final int[] slot = new int[k];
        for (int j = 0; j < k; j++) {
            slot[j] = Arrays.binarySearch(classes, own[j]);
        }
        final Matrix.Builder proba = Matrix.newBuilder().setRows(rows).setCols(n);
        final PredictResponse.Builder res = PredictResponse.newBuilder();
        final double[] row = new double[n];
        for (int r = 0; r < rows; r++) {
            Arrays.fill(row, 0);
            for (int j = 0; j < k; j++) {
                final double p = output[r * k + j];
                if (!(p >= 0 && p <= 1.000001)) {
                    throw ChimeraException.internal("learner " + learner + " returned probability " + p
                                                    + " for row " + (r + 1) + " (expected: between 0 and 1)");
                }
                row[slot[j]] = p;
            }
            int best = 0;
            for (int j = 0; j < n; j++) {
                proba.addValues(row[j]);
                if (row[j] > row[best]) {
                    best = j;
                }
            }
            res.addYPredRows(n == 2 ? row[1] : classes[best]);
        }
        for (double c : classes) {
            res.addClasses(c);
        }
        return res.setYPredProba(proba).build();
    }

    /** A regression answer: the model's values, which must be finite. */
    static PredictResponse regression(String learner, double[] output, int rows) {
        if (output == null || output.length != rows) {
            throw ChimeraException.internal(
                    "learner " + learner + " returned " + (output == null ? "nothing"
                    : output.length + " values") + " for " + rows + " rows (expected: " + rows + ')');
        }
        final PredictResponse.Builder res = PredictResponse.newBuilder();
        for (double v : output) {
            if (!Double.isFinite(v)) {
                throw ChimeraException.internal("learner " + learner + " predicted " + v);
            }
            res.addYPredRows(v);
        }
        return res.build();
    }

    private ModelAnswers() {}
}
