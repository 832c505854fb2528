package io.chimera.workers;

import java.util.Arrays;

import io.chimera.common.ChimeraException;
import io.chimera.proto.v1.Matrix;
import io.chimera.proto.v1.PredictResponse;
import io.chimera.workers.data.Dataset;
import io.chimera.workers.learn.FittedModel;
import io.chimera.workers.learn.Learner;

/**
 * A bagging worker for classification. Its predictions carry the class labels of its training data and,
 * per row, the probability of each; {@code y_pred_rows} holds P(positive class) for two classes (as chimera)
 * and the most probable label for more.
 *
 * <pre>{@code
 * // chimera_workers/tree1.java
 * public class tree1 {
 *     public static void main(String[] args) {
 *         new ClassificationWorker(DecisionTreeClassifier.builder().maxDepth(5).build(), true).serve();
 *     }
 * }
 * }</pre>
 */
public final class ClassificationWorker extends ModelWorker {

    private double[] classes;

    /** A worker that fits {@code classifier} on all of its data. */
    public ClassificationWorker(Learner classifier) {
        this(classifier, false);
    }

    /** A worker that fits {@code classifier}, on a bootstrap sample of its data when {@code bootstrap}. */
    public ClassificationWorker(Learner classifier, boolean bootstrap) {
        super(classifier, bootstrap);
    }

    @Override
    public ClassificationWorker seed(long seed) {
        super.seed(seed);
        return this;
    }

    @Override
    void checkData(Dataset data) {
        final double[] distinct = data.distinctLabels();
        if (distinct.length < 2) {
            throw new IllegalArgumentException(
                    labelsFile() + ": label column '" + data.labelName() + "' has a single class ("
                    + (distinct.length == 0 ? "none" : distinct[0]) + ") in all " + data.rows()
                    + " data rows; a classifier needs at least two");
        }
        classes = distinct;
    }

    @Override
    void checkFitted(FittedModel fitted) {
        final double[] own = fitted.classes();
        if (own == null || own.length == 0) {
            throw ChimeraException.internal("learner " + learnerName()
                                            + " is a regressor; a ClassificationWorker needs a classifier");
        }
        for (double c : own) {
            if (Arrays.binarySearch(classes, c) < 0) {
                throw ChimeraException.internal("learner " + learnerName() + " returned class " + c
                                                + " that is not in the training labels");
            }
        }
    }

    @Override
    PredictResponse toResponse(FittedModel fitted, double[] output, int rows) {
        final double[] own = fitted.classes();
        final int k = own.length;
        if (output == null || output.length != rows * k) {
            throw ChimeraException.internal(
                    "learner " + learnerName() + " returned " + (output == null ? "nothing" : output.length
                    + " values") + " for " + rows + " rows and " + k + " classes (expected: " + rows * k + ')');
        }
        // Align the model's classes with the worker's: a bootstrap sample may miss a rare class.
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
                    throw ChimeraException.internal("learner " + learnerName() + " returned probability " + p
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
}
