package com.example.centroid;

import java.util.List;

import io.chimera.common.Table;
import io.chimera.proto.v1.Matrix;
import io.chimera.proto.v1.PredictResponse;
import io.chimera.strategy.Payload;
import io.chimera.strategy.StrategyModel;

/**
 * One centroid per class; a row's class probabilities are the softmax of minus half its squared distances to
 * them. Two classes: {@code y_pred_rows} holds P(second class), as chimera's binary classifiers answer.
 */
public final class NearestCentroidModel implements StrategyModel {

    private final List<String> columns;
    private final double[] classes;
    private final double[] centroids;

    NearestCentroidModel(List<String> columns, double[] classes, double[] centroids) {
        this.columns = List.copyOf(columns);
        this.classes = classes.clone();
        this.centroids = centroids.clone();
    }

    /** Reads back what {@link #toPayload()} wrote: how an exported model is served again. */
    public NearestCentroidModel(Payload payload) {
        this(payload.texts("columns"), payload.vector("classes"), payload.vector("centroids"));
        if (centroids.length != classes.length * columns.size()) {
            throw new IllegalArgumentException(centroids.length + " centroid values for " + classes.length
                                               + " classes x " + columns.size() + " columns");
        }
    }

    @Override
    public List<String> featureColumns() {
        return columns;
    }

    @Override
    public double[] classes() {
        return classes.clone();
    }

    @Override
    public PredictResponse predict(Table rows) {
        final double[] x = rows.valuesInOrder(columns);
        final int d = columns.size();
        final int k = classes.length;
        final PredictResponse.Builder res = PredictResponse.newBuilder();
        final Matrix.Builder proba = Matrix.newBuilder().setRows(rows.rows()).setCols(k);
        final double[] p = new double[k];
        for (int r = 0; r < rows.rows(); r++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < k; c++) {
                double dist = 0;
                for (int j = 0; j < d; j++) {
                    final double diff = x[r * d + j] - centroids[c * d + j];
                    dist += diff * diff;
                }
                p[c] = -dist / 2;
                max = Math.max(max, p[c]);
            }
            double sum = 0;
            int best = 0;
            for (int c = 0; c < k; c++) {
                p[c] = Math.exp(p[c] - max);
                sum += p[c];
                best = p[c] > p[best] ? c : best;
            }
            for (int c = 0; c < k; c++) {
                proba.addValues(p[c] / sum);
            }
            res.addYPredRows(k == 2 ? p[1] / sum : classes[best]);
        }
        for (double c : classes) {
            res.addClasses(c);
        }
        return res.setYPredProba(proba).build();
    }

    @Override
    public Payload toPayload() {
        return Payload.builder().texts("columns", columns).vector("classes", classes)
                      .tensor("centroids", centroids, classes.length, columns.size()).build();
    }
}
