package io.chimera.strategy.aggregation.internal;

import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;

import io.chimera.common.ChimeraException;
import io.chimera.proto.v1.Matrix;
import io.chimera.proto.v1.PredictResponse;
import io.chimera.strategy.aggregation.AggregationMaster;

/**
 * How bagging combines its members' predictions, in one place for the {@code AggregationMaster} (its workers'
 * answers) and for a master serving an exported ensemble (its members' answers): regression takes the mean of
 * the values; classification the mean of the class probabilities, answering P(second class) for two classes,
 * as chimera, and the most probable label (ties: the smaller) with {@code classes} and {@code y_pred_proba}
 * for more.
 */
public final class Aggregation {

    /**
     * Combines the answers of the workers that answered, for {@code rows} rows: the mean of the values
     * (regression) or of the class probabilities aligned on the union of the workers' classes (classification).
     *
     * @throws ChimeraException 500 when the answers cannot be combined (some classify, some regress; a wrong
     *         shape)
     */
    public static PredictResponse aggregate(List<PredictResponse> answers, int rows) {
        final boolean classification = answers.get(0).getClassesCount() > 0;
        for (PredictResponse a : answers) {
            if ((a.getClassesCount() > 0) != classification) {
                throw ChimeraException.internal("workers disagree on the task: some classify, some regress");
            }
            if (a.getYPredRowsCount() != rows) {
                throw ChimeraException.internal("a worker answered " + a.getYPredRowsCount() + " rows for "
                                                + rows);
            }
        }
        return classification ? averageProbabilities(answers, rows) : averageValues(answers, rows);
    }

    private static PredictResponse averageValues(List<PredictResponse> answers, int rows) {
        final double[] sum = new double[rows];
        for (PredictResponse a : answers) {
            for (int r = 0; r < rows; r++) {
                sum[r] += a.getYPredRows(r);
            }
        }
        final PredictResponse.Builder res = PredictResponse.newBuilder();
        for (int r = 0; r < rows; r++) {
            res.addYPredRows(sum[r] / answers.size());
        }
        return res.build();
    }

    private static PredictResponse averageProbabilities(List<PredictResponse> answers, int rows) {
        // Workers holding different data may know different classes: align on the union.
        final TreeSet<Double> union = new TreeSet<>();
        for (PredictResponse a : answers) {
            union.addAll(a.getClassesList());
        }
        final double[] classes = union.stream().mapToDouble(Double::doubleValue).toArray();
        final int n = classes.length;
        final double[] sum = new double[rows * n];
        for (PredictResponse a : answers) {
            final Matrix p = a.getYPredProba();
            final int k = a.getClassesCount();
            if (p.getRows() != rows || p.getCols() != k || p.getValuesCount() != rows * k) {
                throw ChimeraException.internal("a worker answered probabilities of shape " + p.getRows() + " x "
                                                + p.getCols() + " (expected: " + rows + " x " + k + ')');
            }
            final int[] slot = new int[k];
            for (int j = 0; j < k; j++) {
                slot[j] = Arrays.binarySearch(classes, a.getClasses(j));
            }
            for (int r = 0; r < rows; r++) {
                for (int j = 0; j < k; j++) {
                    sum[r * n + slot[j]] += p.getValues(r * k + j);
                }
            }
        }
        final double m = answers.size();
        final PredictResponse.Builder res = PredictResponse.newBuilder();
        if (n == 2) {
            for (int r = 0; r < rows; r++) {
                res.addYPredRows(sum[r * 2 + 1] / m);
            }
            return res.build();
        }
        final Matrix.Builder proba = Matrix.newBuilder().setRows(rows).setCols(n);
        for (int r = 0; r < rows; r++) {
            int best = 0;
            for (int j = 0; j < n; j++) {
                final double v = sum[r * n + j] / m;
                proba.addValues(v);
                if (v > sum[r * n + best] / m) {
                    best = j;
                }
            }
            res.addYPredRows(classes[best]);
        }
        for (double c : classes) {
            res.addClasses(c);
        }
        return res.setYPredProba(proba).build();
    }

    private Aggregation() {}
}
