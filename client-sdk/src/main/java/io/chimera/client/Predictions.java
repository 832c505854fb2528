package io.chimera.client;

import io.chimera.proto.v1.Matrix;
import io.chimera.proto.v1.PredictResponse;

/**
 * The master's predictions, one per row sent. For regression {@link #values()} are the predicted values; for
 * binary classification P(positive class), as chimera answers; for multi-class classification the most
 * probable labels, with {@link #classes()} and {@link #probabilities()}.
 */
public final class Predictions {

    private static final double[][] NO_PROBABILITIES = new double[0][];

    static Predictions of(PredictResponse response) {
        final double[] values = response.getYPredRowsList().stream().mapToDouble(Double::doubleValue).toArray();
        final double[] classes = response.getClassesList().stream().mapToDouble(Double::doubleValue).toArray();
        double[][] probabilities = NO_PROBABILITIES;
        if (response.hasYPredProba()) {
            final Matrix m = response.getYPredProba();
            probabilities = new double[m.getRows()][m.getCols()];
            for (int r = 0; r < m.getRows(); r++) {
                for (int c = 0; c < m.getCols(); c++) {
                    probabilities[r][c] = m.getValues(r * m.getCols() + c);
                }
            }
        }
        return new Predictions(values, classes, probabilities);
    }

    private final double[] values;
    private final double[] classes;
    private final double[][] probabilities;

    private Predictions(double[] values, double[] classes, double[][] probabilities) {
        this.values = values;
        this.classes = classes;
        this.probabilities = probabilities;
    }

    /** One prediction per row: the response's {@code y_pred_rows}. */
    public double[] values() {
        return values.clone();
    }

    /** The class labels, sorted; empty when the master sent none (regression, binary classification). */
    public double[] classes() {
        return classes.clone();
    }

    /** Class probabilities, rows x {@link #classes()}, in the order of the classes; empty when absent. */
    public double[][] probabilities() {
        final double[][] copy = new double[probabilities.length][];
        for (int r = 0; r < copy.length; r++) {
            copy[r] = probabilities[r].clone();
        }
        return copy;
    }

    /** Number of predictions (rows). */
    public int size() {
        return values.length;
    }

    @Override
    public String toString() {
        return "Predictions{" + values.length + " rows, " + classes.length + " classes}";
    }
}
